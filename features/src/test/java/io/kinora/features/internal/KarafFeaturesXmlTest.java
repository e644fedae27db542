package io.kinora.features.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The generated Karaf features XML lists exactly the host feature's bundles and configurations. */
class KarafFeaturesXmlTest {

    @Test
    void everyHostBundleIsInExactlyOneKarafFeature() throws Exception {
        Path host = Path.of(System.getProperty("kinora.aggregated", "target/slingfeature-tmp"), "feature-host.json");
        JsonNode feature = new ObjectMapper().readTree(host.toFile());
        Document xml = parse(KarafFeaturesXml.generate(feature, sources()));

        Map<String, Element> features = new HashMap<>();
        NodeList fs = xml.getDocumentElement().getElementsByTagName("feature");
        for (int i = 0; i < fs.getLength(); i++) {
            Element f = (Element) fs.item(i);
            if (f.getParentNode() == xml.getDocumentElement()) features.put(f.getAttribute("name"), f);
        }
        assertEquals(List.of("kinora", "kinora-core", "kinora-web"), features.keySet().stream().sorted().toList());

        List<String> listed = new ArrayList<>();
        for (Element f : features.values()) {
            NodeList bs = f.getElementsByTagName("bundle");
            for (int i = 0; i < bs.getLength(); i++) {
                if (!KarafFeaturesXml.SCR_BUNDLES.contains(bs.item(i).getTextContent())) listed.add(bs.item(i).getTextContent());
            }
        }
        List<String> expected = new ArrayList<>();
        for (JsonNode b : feature.path("bundles")) expected.add(KarafFeaturesXml.mvnUrl(b.path("id").asText()));
        assertEquals(expected.stream().sorted().toList(), listed.stream().sorted().toList());
        assertTrue(listed.stream().anyMatch(u -> u.startsWith("mvn:io.kinora/io.kinora.engine/")), listed.toString());

        Element core = features.get("kinora-core");
        assertEquals("82", bundle(core, "io.kinora.engine").getAttribute("start-level"), "engine first: 80 + start-order 2");
        assertEquals("88", bundle(core, "io.kinora.models.parallax").getAttribute("start-level"));
        for (String scr : KarafFeaturesXml.SCR_BUNDLES) {
            assertEquals("true", bundle(core, scr.substring(scr.indexOf('/') + 1, scr.lastIndexOf('/'))).getAttribute("dependency"),
                    "kinora-core brings Declarative Services as dependency bundles: " + scr);
        }
        assertEquals("osgi.service;objectClass=\"ai.djl.engine.Engine\";effective:=active",
                core.getElementsByTagName("capability").item(0).getTextContent(), "the engine's own service, for Karaf's resolver");
        assertTrue(dependsOn(features.get("kinora-web"), "http-whiteboard"));
        assertTrue(dependsOn(features.get("kinora"), "kinora-web") && dependsOn(features.get("kinora"), "kinora-core"));

        NodeList configs = core.getElementsByTagName("config");
        assertTrue(configs.getLength() >= 1);
        Element queue = (Element) configs.item(0);
        assertEquals("io.kinora.jobs.queue", queue.getAttribute("name"));
        assertTrue(queue.getTextContent().contains("concurrency = 1"), queue.getTextContent());
        assertFalse(queue.getTextContent().contains(":configurator:"), "configurator metadata stays out");
    }

    @Test
    void theBuildWroteTheSameXml() throws Exception {
        Path host = Path.of(System.getProperty("kinora.aggregated", "target/slingfeature-tmp"), "feature-host.json");
        Path built = Path.of(System.getProperty("kinora.karaf.features", "missing"));
        assertTrue(Files.isRegularFile(built), "the build generates " + built);
        assertEquals(KarafFeaturesXml.generate(new ObjectMapper().readTree(host.toFile()), sources()), Files.readString(built));
    }

    @Test
    void mavenIdsAndVersions() {
        assertEquals("mvn:g/a/1.0", KarafFeaturesXml.mvnUrl("g:a:1.0"));
        assertEquals("mvn:g/a/1.0/zip", KarafFeaturesXml.mvnUrl("g:a:zip:1.0"));
        assertEquals("mvn:g/a/1.0/jar/linux", KarafFeaturesXml.mvnUrl("g:a:jar:linux:1.0"));
        assertThrows(IllegalArgumentException.class, () -> KarafFeaturesXml.mvnUrl("g-a-1.0"));
        assertEquals("0.1.0.SNAPSHOT", KarafFeaturesXml.karafVersion("0.1.0-SNAPSHOT"));
        assertEquals("2.0.0", KarafFeaturesXml.karafVersion("2"));
    }

    @Test
    void aFeatureWithoutBundlesIsRefused() throws Exception {
        JsonNode empty = new ObjectMapper().readTree("{\"id\":\"io.kinora:kinora-features:slingosgifeature:host:1.0.0\",\"bundles\":[]}");
        assertThrows(IllegalArgumentException.class, () -> KarafFeaturesXml.generate(empty));
    }

    /** The filtered source features, as the build passes them to the generator. */
    private static List<JsonNode> sources() throws Exception {
        List<JsonNode> out = new ArrayList<>();
        try (var files = Files.list(Path.of("target/classes/features"))) {
            for (Path f : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".json")).sorted()::iterator) {
                out.add(new ObjectMapper().readTree(f.toFile()));
            }
        }
        return out;
    }

    private static boolean dependsOn(Element feature, String name) {
        NodeList fs = feature.getElementsByTagName("feature");
        for (int i = 0; i < fs.getLength(); i++) if (fs.item(i).getTextContent().equals(name)) return true;
        return false;
    }

    private static Element bundle(Element feature, String artifactId) {
        NodeList bs = feature.getElementsByTagName("bundle");
        for (int i = 0; i < bs.getLength(); i++) {
            if (bs.item(i).getTextContent().contains("/" + artifactId + "/")) return (Element) bs.item(i);
        }
        assertNotNull(null, artifactId + " in " + feature.getAttribute("name"));
        return null;
    }

    private static Document parse(String xml) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }
}
