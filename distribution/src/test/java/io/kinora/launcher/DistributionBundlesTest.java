package io.kinora.launcher;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * distribution/pom.xml copies its runtime dependencies into bundles/ (Maven has to resolve them); the feature files
 * decide what the launcher installs. The two lists must be the same: a bundle a feature lists but the pom does not copy
 * would fail at start ("... is missing"), a bundle the pom copies but no feature lists would ship unused. This test
 * compares the resolved dependency list (target/dist-bundles.txt, written by dependency:list at
 * generate-test-resources) with the bundles of every standalone feature in the kinora-features artifact.
 */
class DistributionBundlesTest {

    @Test
    void thePomCopiesExactlyTheBundlesTheFeaturesList() throws Exception {
        Set<String> features = new TreeSet<>();
        for (Feature f : standaloneFeatures()) for (Feature.BundleRef b : f.bundles()) features.add(b.coordinates());
        assertTrue(features.size() > 20, "the standalone features list Kinora's bundles: " + features);

        Path list = Path.of(System.getProperty("kinora.dist.bundles.list", "target/dist-bundles.txt"));
        assertTrue(Files.isRegularFile(list), list + " is missing (written by dependency:list, execution dist-bundles-list)");
        Set<String> pom = new TreeSet<>();
        for (String line : Files.readAllLines(list)) {
            String token = line.trim().split("\\s+")[0];
            String[] p = token.split(":");
            if (p.length < 5 || !(p[p.length - 1].equals("runtime") || p[p.length - 1].equals("compile"))) continue;
            // groupId:artifactId:type[:classifier]:version:scope
            String coords = p.length == 6 ? p[0] + ":" + p[1] + ":" + p[4] + ":" + p[3] : p[0] + ":" + p[1] + ":" + p[3];
            pom.add(coords);
        }
        assertTrue(!pom.isEmpty(), "no runtime dependency read from " + list);

        String difference = difference(features, pom);
        if (difference != null) fail(difference);
    }

    @Test
    void aDifferenceIsNamedBothWays() {
        String d = difference(Set.of("g:a:1", "g:b:2"), Set.of("g:a:1", "g:b:3", "g:c:1"));
        assertTrue(d.contains("not a runtime dependency of distribution/pom.xml (bin/kinora would fail: bundle missing): [g:b:2]"), d);
        assertTrue(d.contains("that no feature lists (copied to bundles/, never installed): [g:b:3, g:c:1]"), d);
        assertTrue(difference(Set.of("g:a:1"), Set.of("g:a:1")) == null);
    }

    /** What differs between the features' bundles and the pom's runtime dependencies, in words; null when nothing. */
    static String difference(Set<String> features, Set<String> pom) {
        Set<String> missing = new TreeSet<>(features);
        missing.removeAll(pom);
        Set<String> extra = new TreeSet<>(pom);
        extra.removeAll(features);
        if (missing.isEmpty() && extra.isEmpty()) return null;
        return "distribution/pom.xml and the feature files (features/src/main/features/*.json) disagree:"
                + (missing.isEmpty() ? "" : "\n  listed by a feature but not a runtime dependency of distribution/pom.xml (bin/kinora would "
                + "fail: bundle missing): " + missing)
                + (extra.isEmpty() ? "" : "\n  a runtime dependency of distribution/pom.xml that no feature lists (copied to bundles/, never "
                + "installed): " + extra)
                + "\nChange both together.";
    }

    /** The features/*.json of the kinora-features artifact on the class path (a jar, or its classes folder). */
    static List<Feature> standaloneFeatures() throws Exception {
        URL one = DistributionBundlesTest.class.getClassLoader().getResource("features/kinora-core.json");
        assertNotNull(one, "kinora-features (features/kinora-core.json) is on the test class path");
        List<Feature> out = new ArrayList<>();
        if (one.getProtocol().equals("jar")) {
            String jar = one.toString().substring("jar:".length(), one.toString().indexOf("!/"));
            try (FileSystem fs = FileSystems.newFileSystem(Path.of(URI.create(jar)), Map.of())) {
                out.addAll(read(fs.getPath("/features")));
            }
        } else {
            out.addAll(read(Path.of(one.toURI()).getParent()));
        }
        return out;
    }

    private static List<Feature> read(Path dir) throws Exception {
        List<Feature> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path f : s.filter(p -> p.toString().endsWith(".json")).sorted().toList()) out.add(Feature.read(f));
        }
        return out;
    }
}
