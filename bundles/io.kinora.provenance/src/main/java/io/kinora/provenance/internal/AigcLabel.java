package io.kinora.provenance.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The GB 45438-2025 implicit label (§6.1, normative Annex E): seven string fields in a JSON object, stored
 * under a metadata key containing {@code AIGC} as {@code {"AIGC":{"Label":"1",...}}} (the form Annex E gives;
 * the reader also accepts the bare inner object that some tools write).
 *
 * @param label             {@code 1} AI-generated, {@code 2} possibly, {@code 3} suspected
 * @param contentProducer   name or code of the generation service provider
 * @param produceId         the provider's unique id for this content
 * @param reservedCode1     provider's integrity / security information (empty until signing lands)
 * @param contentPropagator name or code of the distribution platform (the producer at first write)
 * @param propagateId       the platform's content id (the produce id at first write)
 * @param reservedCode2     platform's security information
 */
public record AigcLabel(String label, String contentProducer, String produceId, String reservedCode1,
                        String contentPropagator, String propagateId, String reservedCode2) {

    /** The metadata key the label is written under. */
    public static final String KEY = "AIGC";
    /** Strict reading (no duplicate keys, nothing after the value); compact writing in insertion order. */
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = com.fasterxml.jackson.databind.json.JsonMapper.builder()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    /** Annex E field names, in the order they are written. */
    public static final List<String> FIELDS = List.of("Label", "ContentProducer", "ProduceID", "ReservedCode1",
            "ContentPropagator", "PropagateID", "ReservedCode2");

    /** A first-write label for AI-generated content: propagator and propagation id equal producer and produce id. */
    public static AigcLabel generated(String producer, String produceId) {
        return new AigcLabel("1", producer, produceId, "", producer, produceId, "");
    }

    /**
     * Checks every value against Annex E j): only the code points 0x21, 0x23-0x5B and 0x5D-0x7E (a quotation
     * mark is allowed only escaped, which {@link #toJson()} does). Returns {@code null} when valid, otherwise
     * the problem naming the field and the character.
     */
    public String problem() {
        Map<String, String> f = fields();
        for (Map.Entry<String, String> e : f.entrySet()) {
            String v = e.getValue();
            if (v == null) return e.getKey() + " is missing";
            for (int k = 0; k < v.length(); k++) {
                char c = v.charAt(k);
                if (!(c == 0x21 || c == '"' || (c >= 0x23 && c <= 0x5B) || (c >= 0x5D && c <= 0x7E))) {
                    return e.getKey() + " \"" + v + "\" contains " + describe(c)
                            + ", which GB 45438-2025 Annex E j) does not allow (printable ASCII without spaces or backslashes)";
                }
            }
        }
        if (!List.of("1", "2", "3").contains(label)) return "Label \"" + label + "\" is not 1, 2 or 3";
        return null;
    }

    /** The metadata value: {@code {"AIGC":{...}}}, compact, fields in Annex E order. */
    public String toJson() {
        try {
            return JSON.writeValueAsString(Map.of(KEY, fields()));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("AIGC label not serializable", e); // strings only: cannot happen
        }
    }

    /**
     * Reads a metadata value back, wrapped or bare. Missing fields read as {@code null}; non-string field
     * values are an error.
     *
     * @throws IllegalArgumentException saying what is wrong with the value
     */
    public static AigcLabel parse(String value) {
        Object root;
        try {
            root = JSON.readValue(value.trim(), Object.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("the value is not valid JSON (" + e.getOriginalMessage() + ")");
        }
        if (!(root instanceof Map<?, ?> map)) throw new IllegalArgumentException("the value is not a JSON object");
        Object inner = map.get(KEY);
        Map<?, ?> m = inner instanceof Map<?, ?> im ? im : map;
        if (inner != null && !(inner instanceof Map)) throw new IllegalArgumentException("\"AIGC\" is not a JSON object");
        if (!m.containsKey("Label")) throw new IllegalArgumentException("it has no \"Label\" field");
        String[] v = new String[FIELDS.size()];
        for (int k = 0; k < v.length; k++) {
            Object o = m.get(FIELDS.get(k));
            if (o != null && !(o instanceof String)) throw new IllegalArgumentException("\"" + FIELDS.get(k) + "\" is not a string");
            v[k] = (String) o;
        }
        return new AigcLabel(v[0], v[1], v[2], v[3], v[4], v[5], v[6]);
    }

    /** Label meaning per Annex E: 1 AI-generated, 2 possibly, 3 suspected. */
    public String labelMeaning() {
        return switch (label == null ? "" : label) {
            case "1" -> "AI-generated";
            case "2" -> "possibly AI-generated";
            case "3" -> "suspected AI-generated";
            default -> "unknown label value";
        };
    }

    private Map<String, String> fields() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("Label", label);
        m.put("ContentProducer", contentProducer);
        m.put("ProduceID", produceId);
        m.put("ReservedCode1", reservedCode1);
        m.put("ContentPropagator", contentPropagator);
        m.put("PropagateID", propagateId);
        m.put("ReservedCode2", reservedCode2);
        return m;
    }

    private static String describe(char c) {
        String name = c == ' ' ? "a space" : c == '\\' ? "a backslash" : "'" + c + "'";
        return name + String.format(" (U+%04X)", (int) c);
    }
}
