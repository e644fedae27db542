package io.kinora.features.internal;

import org.apache.sling.feature.Artifact;
import org.apache.sling.feature.ArtifactId;
import org.apache.sling.feature.Feature;
import org.apache.sling.feature.analyser.Analyser;
import org.apache.sling.feature.analyser.AnalyserResult;
import org.apache.sling.feature.analyser.task.AnalyserTask;
import org.apache.sling.feature.builder.ArtifactProvider;
import org.apache.sling.feature.io.json.FeatureJSONReader;
import org.apache.sling.feature.scanner.Scanner;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.Reader;
import java.net.MalformedURLException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs the same Sling feature analysers the build runs (the task list of this module's pom.xml, against the same
 * Felix framework) on the aggregated features, and on deliberately broken copies: a feature with a missing dependency
 * must produce the analyser's error naming it. If the analysers stop catching missing imports, these tests fail.
 * That the build itself then fails is {@link BrokenFeatureBuildTest}.
 */
class FeatureAnalyserTest {
    static final List<String> TASKS = pluginTasks();
    static final ArtifactId FRAMEWORK = ArtifactId.parse("org.apache.felix:org.apache.felix.framework:"
            + BrokenFeatureBuildTest.buildProperty("felix.framework.version"));

    /** The analyser tasks of the build's analyse-features execution, read from this module's pom.xml. */
    static List<String> pluginTasks() {
        try {
            org.w3c.dom.Document pom = javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder()
                    .parse(Path.of(System.getProperty("basedir", ".")).resolve("pom.xml").toFile());
            org.w3c.dom.NodeList nodes = pom.getElementsByTagName("includeTask");
            List<String> tasks = new ArrayList<>();
            for (int i = 0; i < nodes.getLength(); i++) tasks.add(nodes.item(i).getTextContent().trim());
            if (tasks.isEmpty()) throw new IllegalStateException("pom.xml lists no analyser task (includeTask)");
            return List.copyOf(tasks);
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the analyser tasks from pom.xml: " + e, e);
        }
    }

    static Path aggregated;
    static Analyser analyser;

    @BeforeAll
    static void setUp() throws IOException {
        aggregated = Path.of(System.getProperty("kinora.aggregated", "target/slingfeature-tmp"));
        Path repo = Path.of(System.getProperty("kinora.repository", "target/repository"));
        ArtifactProvider provider = id -> {
            Path p = repo.resolve(id.toMvnPath());
            try {
                return Files.isRegularFile(p) ? p.toUri().toURL() : null;
            } catch (MalformedURLException e) {
                throw new IllegalStateException(e);
            }
        };
        // the tasks by id, as the plugin selects them (tasks whose optional libraries are absent are skipped)
        Set<String> wanted = Set.copyOf(TASKS);
        List<AnalyserTask> tasks = new ArrayList<>();
        Iterator<AnalyserTask> it = ServiceLoader.load(AnalyserTask.class).iterator();
        for (int guard = 0; guard < 1000; guard++) {
            try {
                if (!it.hasNext()) break;
                AnalyserTask t = it.next();
                if (wanted.contains(t.getId())) tasks.add(t);
            } catch (ServiceConfigurationError | LinkageError e) {
                // e.g. content-package tasks without Jackrabbit FileVault on the class path: not ours
            }
        }
        assertEquals(wanted.size(), tasks.size(), "every analyser task is available: " + tasks);
        analyser = new Analyser(new Scanner(provider), tasks.toArray(new AnalyserTask[0]));
    }

    static Feature read(String classifier) throws IOException {
        Path f = aggregated.resolve("feature-" + classifier + ".json");
        try (Reader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
            return FeatureJSONReader.read(r, f.toString());
        }
    }

    static List<String> errors(Feature f) throws Exception {
        AnalyserResult r = analyser.analyse(f, FRAMEWORK);
        return r.getErrors();
    }

    @Test
    void standaloneDistributionPassesEveryAnalyser() throws Exception {
        assertEquals(List.of(), errors(read("standalone")));
    }

    @Test
    void hostFeatureOnAMinimalFelixHostPasses() throws Exception {
        assertEquals(List.of(), errors(read("host-on-felix")));
    }

    @Test
    void slingFeatureOnASlingLikeHostPasses() throws Exception {
        // the host feature plus kinora-sling on Felix + the standard services + the Sling Event API and its job manager
        Feature sling = read("sling-on-felix");
        assertTrue(sling.getBundles().stream().anyMatch(b -> b.getId().getArtifactId().equals("io.kinora.jobs.sling")), "kinora-sling is in it");
        assertEquals(List.of(), errors(sling));
    }

    @Test
    void slingFeatureWithoutTheSlingEventApiNamesIt() throws Exception {
        Feature broken = brokenCopy("sling-on-felix", "without-sling-event");
        Artifact api = broken.getBundles().getExact(ArtifactId.parse("org.apache.sling:org.apache.sling.event.api:1.0.0"));
        assertTrue(broken.getBundles().remove(api));
        List<String> errors = errors(broken);
        assertTrue(errors.stream().anyMatch(e -> e.startsWith("[bundle-packages]") && e.contains("io.kinora.jobs.sling")
                && e.contains("org.apache.sling.event.jobs")), String.join("\n", errors));
    }

    @Test
    void missingApiBundleFailsWithTheMissingPackages() throws Exception {
        Feature broken = brokenCopy("standalone", "without-api");
        Artifact api = broken.getBundles().getExact(ArtifactId.parse("io.kinora:io.kinora.api:" + version(broken)));
        assertTrue(broken.getBundles().remove(api), "the standalone feature lists io.kinora.api");
        List<String> errors = errors(broken);
        assertFalse(errors.isEmpty(), "a feature without io.kinora.api must fail the analysers");
        // "no missing imports": the bundle-packages analyser names the bundle and the packages nobody exports
        String missingImports = errors.stream().filter(e -> e.startsWith("[bundle-packages]") && e.contains("io.kinora.jobs"))
                .findFirst().orElseThrow(() -> new AssertionError("no bundle-packages error for io.kinora.jobs: " + errors));
        System.out.println("analyser on a feature without io.kinora.api:\n  " + missingImports);
        assertTrue(missingImports.contains("io.kinora.api.scene"), missingImports);
    }

    @Test
    void missingEngineFailsForTheModelBundle() throws Exception {
        Feature broken = brokenCopy("standalone", "without-engine");
        Artifact engine = broken.getBundles().getExact(ArtifactId.parse("io.kinora:io.kinora.engine:" + version(broken)));
        assertTrue(broken.getBundles().remove(engine));
        List<String> errors = errors(broken);
        assertTrue(errors.stream().anyMatch(e -> e.startsWith("[bundle-packages]") && e.contains("io.kinora.models.parallax")
                && e.contains("ai.djl")), String.join("\n", errors));
    }

    @Test
    void hostFeatureAloneNamesWhatTheHostMustProvide() throws Exception {
        // without a host's HTTP Whiteboard and SCR the host feature cannot resolve: the analyser says what is missing
        String all = String.join("\n", errors(read("host")));
        assertTrue(all.contains("javax.servlet"), all);
        assertTrue(all.contains("osgi.component"), all);
    }

    /** A copy under its own id (the scanner caches what it scanned by feature id). */
    private static Feature brokenCopy(String classifier, String newClassifier) throws IOException {
        Feature f = read(classifier);
        return f.copy(f.getId().changeClassifier(newClassifier));
    }

    private static String version(Feature f) {
        return f.getId().getVersion();
    }
}
