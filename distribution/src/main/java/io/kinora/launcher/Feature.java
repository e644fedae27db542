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
 * The bundles and framework properties of a Sling Feature Model file ({@code lib/features/*.json}): Maven coordinates
 * and start order. The distribution installs exactly what its feature files list; the same files describe Kinora to
 * hosts. Host-only features (the aggregated {@code kinora-host}, {@code kinora-sling}) live in {@code lib/host/} and are
 * never read from here. Configurations in a feature are not applied by this launcher (the standalone features carry
 * none; operators use conf/*.cfg).
 */
record Feature(String id, List<BundleRef> bundles, Map<String, String> frameworkProperties) {

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
        JsonNode root = new ObjectMapper().readTree(file.toFile());
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
        return new Feature(root.path("id").asText(file.getFileName().toString()), bundles, Map.copyOf(props));
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
