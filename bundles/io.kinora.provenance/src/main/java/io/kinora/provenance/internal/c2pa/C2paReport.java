package io.kinora.provenance.internal.c2pa;

import io.kinora.api.provenance.LayerStatus;
import io.kinora.provenance.internal.Layers;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The {@code c2pa} layer of {@code verify}, from a {@link C2paValidation}. */
public final class C2paReport {
    private C2paReport() {
    }

    public static LayerStatus of(C2paValidation v) {
        if (v.state() == C2paValidation.State.ABSENT) return new LayerStatus(Layers.C2PA, false, "no C2PA manifest");
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("valid", String.valueOf(v.state() == C2paValidation.State.VALID));
        facts.put("trusted", String.valueOf(v.trusted()));
        facts.put("trust", v.trust());
        facts.putAll(v.facts());
        facts.put("actions", json(v.actions()));
        facts.put("ingredients", json(v.ingredients()));
        if (!v.failures().isEmpty()) facts.put("failures", json(v.failures()));
        String what = v.actions().stream().map(a -> a.get("action") + (a.containsKey("digitalSourceType")
                ? " (" + a.get("digitalSourceType").substring(a.get("digitalSourceType").lastIndexOf('/') + 1) + ")" : "")).collect(Collectors.joining(", "));
        String ingredients = v.ingredients().stream().map(i -> i.get("title") + " [" + i.get("relationship") + "]").collect(Collectors.joining(", "));
        if (v.state() == C2paValidation.State.INVALID) {
            return new LayerStatus(Layers.C2PA, true, "INVALID manifest: " + String.join("; ", v.failures()), LayerStatus.State.INVALID, facts);
        }
        String detail = "valid manifest " + v.facts().getOrDefault("manifest", "") + " signed by " + v.signer() + " (" + v.facts().getOrDefault("alg", "?")
                + "); " + v.trust() + "; actions: " + (what.isEmpty() ? "none" : what) + "; ingredients: " + (ingredients.isEmpty() ? "none" : ingredients)
                + (v.facts().containsKey("timeStamp") ? "; time stamp: " + v.facts().get("timeStamp") : "; no time stamp");
        return new LayerStatus(Layers.C2PA, true, detail, LayerStatus.State.VALID, facts);
    }

    /** Compact JSON of strings, lists and maps (the report's facts are JSON text). */
    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("strings only: cannot happen", e);
        }
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();
}
