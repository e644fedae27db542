package io.kinora.features.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Build-time generator: writes Karaf's features XML from Kinora's aggregated host feature (Sling Feature Model JSON),
 * so Karaf gets no hand-kept second list. Each bundle's {@code feature-origins} decides the Karaf feature it lands in:
 * core and models become {@code kinora-core} (with Felix SCR as dependency bundles, on Karaf's {@code eventadmin}), web becomes
 * {@code kinora-web} (on Karaf's {@code http-whiteboard} and {@code webconsole}), and {@code kinora} is both.
 * Configurations of the host feature become {@code <config>} elements of {@code kinora-core}; Karaf does not
 * overwrite a configuration an operator already has.
 * <p>Start orders map onto Karaf start levels above its own bundles (80): {@code 80 + start-order}.
 * <p>Feature-level {@code capabilities} (e.g. the engine's own {@code ai.djl.engine.Engine} service, which it registers
 * without a DS declaration) become {@code <capability>} elements: Karaf's resolver checks {@code osgi.service}
 * requirements. The aggregator does not carry feature-level capabilities, so they are read from the source features
 * the host feature's bundles come from ({@code feature-origins}), found in the given folder.
 * <p>Usage: {@code KarafFeaturesXml <feature-host.json> <source-features-dir> <out.xml>}. Not packaged in the
 * kinora-features jar.
 */
public final class KarafFeaturesXml {
    /** Declarative Services for kinora-core (Felix SCR 2.2.6, the DS 1.5 API package and the OSGi utilities it imports). */
    static final java.util.List<String> SCR_BUNDLES = java.util.List.of("mvn:org.osgi/org.osgi.util.function/1.2.0",
            "mvn:org.osgi/org.osgi.util.promise/1.3.0", "mvn:org.osgi/org.osgi.service.component/1.5.1",
            "mvn:org.apache.felix/org.apache.felix.scr/2.2.6");

    /** Karaf's default bundle start level; Kinora's start orders go on top of it. */
    static final int KARAF_BASE_LEVEL = 80;

    private KarafFeaturesXml() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            throw new IllegalArgumentException("usage: KarafFeaturesXml <feature.json> <source-features-dir> <out.xml>");
        }
        ObjectMapper json = new ObjectMapper();
        JsonNode host = json.readTree(Path.of(args[0]).toFile());
        List<JsonNode> sources = new ArrayList<>();
        try (var files = Files.list(Path.of(args[1]))) {
            for (Path f : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".json")).sorted()::iterator) {
                sources.add(json.readTree(f.toFile()));
            }
        }
        String xml = generate(host, sources);
        Path out = Path.of(args[2]);
        if (out.getParent() != null) Files.createDirectories(out.getParent());
        Files.writeString(out, xml, StandardCharsets.UTF_8);
    }

    /** The features XML for one aggregated host feature, without feature-level capabilities. */
    static String generate(JsonNode feature) {
        return generate(feature, List.of());
    }

    /** The features XML for one aggregated host feature; capabilities come from the source features its bundles came from. */
    static String generate(JsonNode feature, List<JsonNode> sources) {
        String id = feature.path("id").asText();
        String[] gav = id.split(":");
        if (gav.length < 3) throw new IllegalArgumentException("feature id is not a Maven id: " + id);
        String version = gav[gav.length - 1];
        Map<String, List<String>> bundlesBy = new LinkedHashMap<>();
        bundlesBy.put("kinora-core", new ArrayList<>());
        bundlesBy.put("kinora-web", new ArrayList<>());
        for (JsonNode b : feature.path("bundles")) {
            String bid = b.isTextual() ? b.asText() : b.path("id").asText();
            int order = b.isTextual() ? 20 : Integer.parseInt(b.path("start-order").asText("20"));
            String origin = b.path("feature-origins").asText("");
            String karaf = origin.contains(":web:") ? "kinora-web" : "kinora-core";
            bundlesBy.get(karaf).add("    <bundle start-level=\"" + (KARAF_BASE_LEVEL + order) + "\">" + mvnUrl(bid) + "</bundle>");
        }
        if (bundlesBy.get("kinora-core").isEmpty()) throw new IllegalArgumentException(id + " lists no core bundles");
        String kv = karafVersion(version);
        StringBuilder x = new StringBuilder();
        x.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        x.append("<!-- Generated at build time from ").append(esc(id)).append(" (Sling Feature Model). Do not edit. -->\n");
        x.append("<features name=\"kinora-").append(esc(version)).append("\" xmlns=\"http://karaf.apache.org/xmlns/features/v1.6.0\">\n");
        x.append("  <feature name=\"kinora-core\" version=\"").append(kv)
                .append("\" description=\"Kinora engine, stages, model registry, jobs, Gogo commands and the default model\">\n");
        // Declarative Services: Felix SCR and the OSGi utilities it needs, as dependency bundles (Karaf skips them when
        // the framework already has an SCR, e.g. from its own scr feature). Not Karaf's scr feature itself: its
        // management bundles cannot be resolved from Maven Central (their parent POM is not published there).
        for (String b : SCR_BUNDLES) x.append("    <bundle dependency=\"true\" start-level=\"30\">").append(b).append("</bundle>\n");
        x.append("    <feature>eventadmin</feature>\n");
        java.util.Set<String> origins = new java.util.TreeSet<>();
        for (JsonNode b : feature.path("bundles")) origins.add(b.path("feature-origins").asText(""));
        java.util.Set<String> capabilities = new java.util.LinkedHashSet<>();
        for (JsonNode c : feature.path("capabilities")) capabilities.add(capability(c));
        for (JsonNode src : sources) {
            if (!origins.contains(src.path("id").asText())) continue;
            for (JsonNode c : src.path("capabilities")) capabilities.add(capability(c));
        }
        for (String c : capabilities) x.append("    <capability>").append(esc(c)).append("</capability>\n");
        for (Iterator<Map.Entry<String, JsonNode>> it = feature.path("configurations").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> c = it.next();
            x.append("    <config name=\"").append(esc(c.getKey())).append("\">\n");
            for (Iterator<Map.Entry<String, JsonNode>> p = c.getValue().fields(); p.hasNext(); ) {
                Map.Entry<String, JsonNode> e = p.next();
                if (e.getKey().startsWith(":")) continue; // configurator metadata (feature origins)
                String key = e.getKey().contains(":") ? e.getKey().substring(0, e.getKey().indexOf(':')) : e.getKey();
                x.append("      ").append(esc(key)).append(" = ").append(esc(value(e.getValue()))).append('\n');
            }
            x.append("    </config>\n");
        }
        bundlesBy.get("kinora-core").forEach(l -> x.append(l).append('\n'));
        x.append("  </feature>\n");
        if (!bundlesBy.get("kinora-web").isEmpty()) {
            x.append("  <feature name=\"kinora-web\" version=\"").append(kv)
                    .append("\" description=\"Kinora REST API (HTTP Whiteboard) and Kinora's Web Console pages\">\n");
            x.append("    <feature version=\"").append(kv).append("\">kinora-core</feature>\n");
            x.append("    <feature>http-whiteboard</feature>\n    <feature>webconsole</feature>\n");
            bundlesBy.get("kinora-web").forEach(l -> x.append(l).append('\n'));
            x.append("  </feature>\n");
        }
        x.append("  <feature name=\"kinora\" version=\"").append(kv).append("\" description=\"")
                .append(esc(feature.path("title").asText("Kinora"))).append("\">\n");
        x.append("    <feature version=\"").append(kv).append("\">kinora-core</feature>\n");
        if (!bundlesBy.get("kinora-web").isEmpty()) {
            x.append("    <feature version=\"").append(kv).append("\">kinora-web</feature>\n");
        }
        x.append("  </feature>\n</features>\n");
        return x.toString();
    }

    /** {@code g:a:v}, {@code g:a:type:v} or {@code g:a:type:classifier:v} as a Pax URL {@code mvn:g/a/v[/type[/classifier]]}. */
    static String mvnUrl(String id) {
        String[] p = id.split(":");
        return switch (p.length) {
            case 3 -> "mvn:" + p[0] + "/" + p[1] + "/" + p[2];
            case 4 -> "mvn:" + p[0] + "/" + p[1] + "/" + p[3] + "/" + p[2];
            case 5 -> "mvn:" + p[0] + "/" + p[1] + "/" + p[4] + "/" + p[2] + "/" + p[3];
            default -> throw new IllegalArgumentException("not a Maven id: " + id);
        };
    }

    /** OSGi version from a Maven version: {@code 0.1.0-SNAPSHOT} becomes {@code 0.1.0.SNAPSHOT}. */
    static String karafVersion(String maven) {
        String[] parts = maven.split("-", 2);
        String[] nums = parts[0].split("\\.");
        StringBuilder v = new StringBuilder();
        for (int i = 0; i < 3; i++) v.append(i > 0 ? "." : "").append(i < nums.length ? nums[i] : "0");
        if (parts.length > 1) v.append('.').append(parts[1].replaceAll("[^A-Za-z0-9_-]", "_"));
        return v.toString();
    }

    /**
     * A feature-level capability as an OSGi header clause, e.g. the engine's {@code ai.djl.engine.Engine} service, which
     * it registers itself (no DS declaration): Karaf's resolver checks {@code osgi.service} requirements against these.
     */
    static String capability(JsonNode c) {
        StringBuilder b = new StringBuilder(c.path("namespace").asText());
        if (b.length() == 0) throw new IllegalArgumentException("capability without namespace: " + c);
        for (Iterator<Map.Entry<String, JsonNode>> it = c.path("attributes").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> a = it.next();
            b.append(';').append(a.getKey()).append("=\"").append(value(a.getValue())).append('"');
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = c.path("directives").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> d = it.next();
            b.append(';').append(d.getKey()).append(":=").append(value(d.getValue()));
        }
        return b.toString();
    }

    private static String value(JsonNode v) {
        if (v.isArray()) {
            List<String> items = new ArrayList<>();
            v.forEach(i -> items.add(i.asText()));
            return String.join(",", items);
        }
        return v.asText();
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
