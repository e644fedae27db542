package io.kinora.features.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Sling installer files are the host features' configurations, value for value, and nothing else. */
class SlingInstallerConfigsTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void typeSuffixesAndConfiguratorKeysAreDroppedValuesKept() throws Exception {
        JsonNode feature = JSON.readTree("""
                {"id": "g:a:slingosgifeature:x:1", "configurations": {"p": {"n:Integer": 5, "l:Long": 7, "t:String[]": ["a", "b"],
                 "plain": "v", ":configurator:feature-origins": ["g:a:1"]}, "f~one": {"c:Collection<String>": ["x"]}}}""");
        Map<String, ObjectNode> c = SlingInstallerConfigs.configurations(feature);
        assertEquals(JSON.readTree("{\"n\": 5, \"l\": 7, \"t\": [\"a\", \"b\"], \"plain\": \"v\"}"), c.get("p"));
        assertEquals(JSON.readTree("{\"c\": [\"x\"]}"), c.get("f~one"));
    }

    @Test
    void aVariableInAHostConfigurationIsRefusedNamingIt() throws Exception {
        JsonNode feature = JSON.readTree("{\"id\": \"g:a:slingosgifeature:x:1\", \"configurations\": {\"p\": {\"dir\": \"${kinora.home}/m\"}}}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SlingInstallerConfigs.configurations(feature));
        assertTrue(e.getMessage().contains("configuration p, property dir"), e.getMessage());
    }

    @Test
    void theBuildsInstallerFilesAreTheHostFeaturesConfigurations() throws Exception {
        Path classes = Path.of(System.getProperty("basedir", ".")).resolve("target/classes/host");
        Set<String> expected = new TreeSet<>();
        for (String f : new String[]{"kinora-host.json", "kinora-sling.json"}) {
            JsonNode feature = JSON.readTree(classes.resolve(f).toFile());
            for (Map.Entry<String, ObjectNode> e : SlingInstallerConfigs.configurations(feature).entrySet()) {
                expected.add(e.getKey());
                Path file = classes.resolve("install/" + e.getKey() + ".cfg.json");
                assertTrue(Files.isRegularFile(file), file + " is generated");
                assertEquals(e.getValue(), JSON.readTree(file.toFile()), file.toString());
            }
        }
        Set<String> files = new TreeSet<>();
        try (Stream<Path> s = Files.list(classes.resolve("install"))) {
            s.forEach(p -> files.add(p.getFileName().toString().replaceFirst("\\.cfg\\.json$", "")));
        }
        assertEquals(expected, files);
        assertEquals(Set.of("io.kinora.jobs.queue", "io.kinora.rest", "org.apache.sling.event.jobs.QueueConfiguration~kinora"), expected);
        // no secret among the defaults
        String all = Files.readString(classes.resolve("install/io.kinora.rest.cfg.json"));
        assertTrue(!all.contains("users") && !all.contains("tokens") && !all.contains("password"), all);
    }
}
