package io.kinora.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The bundles, framework properties and default configurations of a Sling Feature Model file
 * ({@code lib/features/*.json}): Maven coordinates and start order. The distribution installs exactly what its feature
 * files list and applies their configurations through Config Admin ({@link FeatureConfigurations}); the same files
 * describe Kinora to hosts. Host-only features (the aggregated {@code kinora-host}, {@code kinora-sling}) live in
 * {@code lib/host/} and are never read from here.
 */
record Feature(String id, List<BundleRef> bundles, Map<String, String> frameworkProperties, List<Configuration> configurations) {

    /**
     * One configuration of the feature's {@code configurations} section: a PID, or {@code factoryPid~name} for a
     * factory configuration, and its properties with Java types (the feature's type suffixes, e.g.
     * {@code max.queued:Integer}, decide; without one a JSON string is a String, an integral number a Long, another
     * number a Double, a boolean a Boolean, an array of those an array). String values may name framework properties
     * as {@code ${name}}; they are substituted when the configuration is applied.
     */
    record Configuration(String featureId, String pid, Map<String, Object> properties) {
        /** The factory PID of a factory configuration ({@code factoryPid~name}), else null. */
        String factoryPid() {
            int i = pid.indexOf('~');
            return i < 0 ? null : pid.substring(0, i);
        }

        /** The name of a factory configuration, else null. */
        String name() {
            int i = pid.indexOf('~');
            return i < 0 ? null : pid.substring(i + 1);
        }
    }

    /** One bundle: {@code groupId:artifactId[:type[:classifier]]:version} and its start order. */
    record BundleRef(String groupId, String artifactId, String version, String classifier, int startOrder) {
        static BundleRef parse(String id, int startOrder) {
            String[] p = id.split(":");
            return switch (p.length) {
                case 3 -> new BundleRef(p[0], p[1], p[2], null, startOrder);
                case 4 -> new BundleRef(p[0], p[1], p[3], null, startOrder);
                case 5 -> new BundleRef(p[0], p[1], p[4], p[3], startOrder);
                default -> throw new IllegalArgumentException("not a Maven id: " + id);
            };
        }

        /** The file name Maven's copy-dependencies gives this artifact. */
        String fileName() {
            return artifactId + "-" + version + (classifier == null ? "" : "-" + classifier) + ".jar";
        }

        String coordinates() {
            return groupId + ":" + artifactId + ":" + version + (classifier == null ? "" : ":" + classifier);
        }
    }

    static Feature read(Path file) throws IOException {
        JsonNode root;
        try (java.io.InputStream in = Files.newInputStream(file)) {
            root = new ObjectMapper().readTree(in);
        }
        if (root == null || !root.isObject()) throw new IOException(file + " is not a feature (JSON object)");
        List<BundleRef> bundles = new ArrayList<>();
        JsonNode list = root.path("bundles");
        for (JsonNode b : list) {
            if (b.isTextual()) {
                bundles.add(BundleRef.parse(b.asText(), 20));
            } else {
                bundles.add(BundleRef.parse(b.path("id").asText(), Integer.parseInt(b.path("start-order").asText("20"))));
            }
        }
        Map<String, String> props = new LinkedHashMap<>();
        root.path("framework-properties").fields().forEachRemaining(e -> props.put(e.getKey(), e.getValue().asText()));
        String id = root.path("id").asText(file.getFileName().toString());
        List<Configuration> configs = new ArrayList<>();
        for (var it = root.path("configurations").fields(); it.hasNext(); ) {
            var c = it.next();
            if (!c.getValue().isObject()) throw new IOException(file + ": configuration " + c.getKey() + " is not a JSON object");
            if (c.getKey().startsWith("~") || c.getKey().endsWith("~")) throw new IOException(file + ": configuration '" + c.getKey()
                    + "' is not a PID or factoryPid~name");
            Map<String, Object> values = new LinkedHashMap<>();
            for (var p = c.getValue().fields(); p.hasNext(); ) {
                var e = p.next();
                if (e.getKey().startsWith(":configurator:")) continue; // feature model metadata
                try {
                    Typed t = typed(e.getKey(), e.getValue());
                    values.put(t.key(), t.value());
                } catch (IllegalArgumentException ex) {
                    throw new IOException(file + ": configuration " + c.getKey() + ", property " + e.getKey() + ": " + ex.getMessage());
                }
            }
            configs.add(new Configuration(id, c.getKey(), java.util.Collections.unmodifiableMap(values)));
        }
        return new Feature(id, bundles, Map.copyOf(props), List.copyOf(configs));
    }

    private record Typed(String key, Object value) { }

    private static final java.util.regex.Pattern TYPED_KEY = java.util.regex.Pattern.compile("(.+):([A-Za-z]+)(\\[\\])?|(.+):Collection<([A-Za-z]+)>");

    /** A property key with an optional type suffix (the Felix/OSGi configuration JSON format) and its Java value. */
    static Typed typed(String key, JsonNode v) {
        java.util.regex.Matcher m = TYPED_KEY.matcher(key);
        if (m.matches() && m.group(1) != null && scalarType(m.group(2)) != null) {
            String type = m.group(2);
            if (m.group(3) == null) {
                if (v.isArray()) throw new IllegalArgumentException("an array for the single-valued type " + type);
                return new Typed(m.group(1), scalar(type, v));
            }
            return new Typed(m.group(1), array(type, v));
        }
        if (m.matches() && m.group(4) != null && scalarType(m.group(5)) != null) {
            List<Object> list = new ArrayList<>();
            for (JsonNode e : elements(v)) list.add(scalar(m.group(5), e));
            return new Typed(m.group(4), list);
        }
        if (v.isArray()) {
            String type = null;
            for (JsonNode e : v) {
                String t = e.isTextual() ? "String" : e.isBoolean() ? "Boolean" : e.isIntegralNumber() ? "Long" : e.isNumber() ? "Double" : null;
                if (t == null || (type != null && !type.equals(t))) throw new IllegalArgumentException("an array whose elements are not all strings, "
                        + "all booleans or all numbers of one kind: give a type suffix (e.g. " + key + ":String[])");
                type = t;
            }
            return new Typed(key, array(type == null ? "String" : type, v));
        }
        if (v.isTextual()) return new Typed(key, v.asText());
        if (v.isBoolean()) return new Typed(key, v.asBoolean());
        if (v.isIntegralNumber()) return new Typed(key, v.asLong());
        if (v.isNumber()) return new Typed(key, v.asDouble());
        throw new IllegalArgumentException("unsupported value " + v + " (a string, number, boolean or an array of them)");
    }

    private static Iterable<JsonNode> elements(JsonNode v) {
        if (!v.isArray()) throw new IllegalArgumentException("a single value for a multi-valued type");
        return v;
    }

    private static Class<?> scalarType(String t) {
        return switch (t) {
            case "String" -> String.class;
            case "Integer", "int" -> Integer.class;
            case "Long", "long" -> Long.class;
            case "Float", "float" -> Float.class;
            case "Double", "double" -> Double.class;
            case "Boolean", "boolean" -> Boolean.class;
            case "Short", "short" -> Short.class;
            case "Byte", "byte" -> Byte.class;
            case "Character", "char" -> Character.class;
            default -> null;
        };
    }

    private static Object array(String type, JsonNode v) {
        List<Object> list = new ArrayList<>();
        for (JsonNode e : elements(v)) list.add(scalar(type, e));
        Object a = java.lang.reflect.Array.newInstance(scalarType(type), list.size());
        for (int i = 0; i < list.size(); i++) java.lang.reflect.Array.set(a, i, list.get(i));
        return a;
    }

    private static Object scalar(String type, JsonNode v) {
        String text = v.asText();
        try {
            return switch (type) {
                case "String" -> text;
                case "Integer", "int" -> Integer.valueOf(text);
                case "Long", "long" -> Long.valueOf(text);
                case "Float", "float" -> Float.valueOf(text);
                case "Double", "double" -> Double.valueOf(text);
                case "Boolean", "boolean" -> {
                    if (!text.equals("true") && !text.equals("false")) throw new NumberFormatException();
                    yield Boolean.valueOf(text);
                }
                case "Short", "short" -> Short.valueOf(text);
                case "Byte", "byte" -> Byte.valueOf(text);
                case "Character", "char" -> {
                    if (text.length() != 1) throw new NumberFormatException();
                    yield text.charAt(0);
                }
                default -> throw new IllegalArgumentException("unknown type " + type);
            };
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a " + type);
        }
    }

    /**
     * The framework properties of all features, for the framework's configuration; two features setting one property
     * differently is an error (the feature model's aggregation would refuse it too).
     */
    static Map<String, String> frameworkProperties(List<Feature> features) throws IOException {
        Map<String, String> all = new LinkedHashMap<>();
        for (Feature f : features) {
            for (Map.Entry<String, String> e : f.frameworkProperties().entrySet()) {
                String before = all.putIfAbsent(e.getKey(), e.getValue());
                if (before != null && !before.equals(e.getValue())) {
                    throw new IOException("features set framework property " + e.getKey() + " differently: '" + before
                            + "' and '" + e.getValue() + "' (" + f.id() + ")");
                }
            }
        }
        return all;
    }

    static List<Feature> readAll(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) throw new IOException("no feature folder at " + dir);
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.toString().endsWith(".json")).sorted().collect(Collectors.toList());
        }
        if (files.isEmpty()) throw new IOException("no feature files (*.json) in " + dir);
        List<Feature> out = new ArrayList<>();
        for (Path f : files) out.add(read(f));
        return out;
    }
}
