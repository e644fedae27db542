package io.kinora.features.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Build-time generator: writes one {@code <pid>.cfg.json} per configuration of the given features (Sling Feature
 * Model JSON) for Apache Sling's installer ({@code sling.fileinstall.dir}, or {@code /apps/.../config} in a content
 * package), so that an operator copies files made from the feature instead of converting it by hand. Factory
 * configurations keep the feature's {@code factoryPid~name} as file name.
 * <p>The files hold plain JSON values: the feature's type suffixes ({@code max.queued:Integer}) are dropped, because
 * Sling Starter 11's installer does not read them (numbers arrive as Long, which Declarative Services converts to the
 * component's types) and the configurator metadata keys ({@code :configurator:...}) are left out. A host feature's
 * configuration must not use variables ({@code ${...}}): only Kinora's own launcher substitutes them, so the build
 * fails naming the PID and key.
 * <p>Usage: {@code SlingInstallerConfigs <out-dir> <feature.json>...}. Not packaged in the kinora-features jar.
 */
public final class SlingInstallerConfigs {
    static final Pattern TYPE_SUFFIX = Pattern.compile(":(String|Integer|int|Long|long|Float|float|Double|double|Boolean|boolean|Short|short"
            + "|Byte|byte|Character|char)(\\[\\])?$|:Collection<[A-Za-z]+>$");

    private SlingInstallerConfigs() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2) throw new IllegalArgumentException("usage: SlingInstallerConfigs <out-dir> <feature.json>...");
        ObjectMapper json = new ObjectMapper();
        Map<String, ObjectNode> all = new LinkedHashMap<>();
        for (int i = 1; i < args.length; i++) {
            JsonNode feature = json.readTree(Path.of(args[i]).toFile());
            for (Map.Entry<String, ObjectNode> e : configurations(feature).entrySet()) {
                if (all.put(e.getKey(), e.getValue()) != null) {
                    throw new IllegalArgumentException("configuration " + e.getKey() + " is in more than one of the features " + String.join(", ",
                            java.util.Arrays.asList(args).subList(1, args.length)));
                }
            }
        }
        Path out = Files.createDirectories(Path.of(args[0]));
        try (Stream<Path> old = Files.list(out)) {
            for (Path p : (Iterable<Path>) old.filter(p -> p.toString().endsWith(".cfg.json"))::iterator) Files.delete(p);
        }
        for (Map.Entry<String, ObjectNode> e : all.entrySet()) {
            Files.writeString(out.resolve(e.getKey() + ".cfg.json"),
                    json.writerWithDefaultPrettyPrinter().writeValueAsString(e.getValue()) + "\n", StandardCharsets.UTF_8);
        }
    }

    /** The feature's configurations by PID, each as the installer's plain JSON object. */
    static Map<String, ObjectNode> configurations(JsonNode feature) {
        ObjectMapper json = new ObjectMapper();
        Map<String, ObjectNode> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = feature.path("configurations").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> c = it.next();
            if (!c.getValue().isObject()) {
                throw new IllegalArgumentException(feature.path("id").asText() + ": configuration " + c.getKey() + " is not a JSON object");
            }
            ObjectNode plain = json.createObjectNode();
            for (Iterator<Map.Entry<String, JsonNode>> p = c.getValue().fields(); p.hasNext(); ) {
                Map.Entry<String, JsonNode> e = p.next();
                if (e.getKey().startsWith(":")) continue; // configurator metadata (feature origins)
                if (e.getValue().toString().contains("${")) {
                    throw new IllegalArgumentException(feature.path("id").asText() + ": configuration " + c.getKey() + ", property " + e.getKey()
                            + " uses a variable (" + e.getValue() + "); host configurations must carry plain values");
                }
                plain.set(TYPE_SUFFIX.matcher(e.getKey()).replaceFirst(""), e.getValue());
            }
            out.put(c.getKey(), plain);
        }
        return out;
    }
}
