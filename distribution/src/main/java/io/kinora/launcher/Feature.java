package io.kinora.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The bundles of a Sling Feature Model file ({@code features/*.json}): Maven coordinates and start order.
 * The distribution installs exactly what its feature files list; the same files describe Kinora to hosts.
 */
record Feature(String id, List<BundleRef> bundles) {

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
        return new Feature(root.path("id").asText(file.getFileName().toString()), bundles);
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
