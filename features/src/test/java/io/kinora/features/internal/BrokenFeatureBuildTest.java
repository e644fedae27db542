package io.kinora.features.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * "A feature with a missing dependency fails the build with the analyser's message", proven on a real build: this
 * module's feature files are copied with {@code io.kinora.api} removed from {@code kinora-core.json}, beside a pom.xml
 * that carries this module's {@code slingfeature-maven-plugin} element unchanged (the same aggregates, scans, tasks and
 * framework, read from pom.xml), and the Maven that runs this build builds it offline. The build must fail in
 * {@code analyse-features}, and its log must carry the analyser's message naming the bundle that lost its imports and
 * the packages. The bundles come from this build's {@code target/repository} (a file repository; the sub-build allows
 * the {@code file} protocol offline).
 */
class BrokenFeatureBuildTest {
    static final Path BASEDIR = Path.of(System.getProperty("basedir", ".")).toAbsolutePath();

    /** A property of the real build, passed by surefire (kinora.build.properties), e.g. felix.framework.version. */
    static String buildProperty(String name) {
        for (String kv : System.getProperty("kinora.build.properties", "").split(",")) {
            int i = kv.indexOf('=');
            if (i > 0 && kv.substring(0, i).equals(name)) return kv.substring(i + 1);
        }
        throw new IllegalStateException("the build passes no " + name + " in kinora.build.properties (run through Maven)");
    }

    @Test
    void aFeatureWithoutTheApiBundleFailsTheBuildWithTheAnalysersMessage() throws Exception {
        Path project = BASEDIR.resolve("target/broken-feature-build");
        deleteTree(project);
        Path features = project.resolve("src/main/features");
        copyTree(BASEDIR.resolve("src/main/features"), features);
        removeBundle(features.resolve("kinora-core.json"), "io.kinora:io.kinora.api:");
        // the reactor's parent POMs, which the bundles' POMs in target/repository name (this build installs nothing)
        Path parents = project.resolve("parents-repo");
        String version = System.getProperty("kinora.version", "0.1.0-SNAPSHOT");
        for (String[] pom : new String[][]{{"../pom.xml", "kinora"}, {"../bundles/pom.xml", "kinora-bundles"}, {"../models/pom.xml", "kinora-models"}}) {
            Path dir = Files.createDirectories(parents.resolve("io/kinora/" + pom[1] + "/" + version));
            Files.copy(BASEDIR.resolve(pom[0]).normalize(), dir.resolve(pom[1] + "-" + version + ".pom"));
        }
        Files.writeString(project.resolve("pom.xml"), pom(parents), StandardCharsets.UTF_8);

        String mavenHome = System.getProperty("kinora.maven.home");
        assertNotNull(mavenHome, "the build passes kinora.maven.home (the Maven that runs it)");
        Path log = project.resolve("build.log");
        List<String> cmd = new ArrayList<>(List.of(Path.of(mavenHome, "bin", "mvn").toString(), "-B", "-o", "-Daether.offline.protocols=file",
                "-f", project.resolve("pom.xml").toString(), "process-resources"));
        if (System.getProperty("kinora.m2") != null) cmd.add("-Dmaven.repo.local=" + System.getProperty("kinora.m2"));
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).directory(project.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the sub-build did not end within 300 s; see " + log);
        }
        String out = Files.readString(log, StandardCharsets.UTF_8);
        System.out.printf("sub-build of the broken feature: exit %d after %.1f s%n", p.exitValue(), (System.nanoTime() - t0) / 1e9);
        assertNotEquals(0, p.exitValue(), "the build of a feature without io.kinora.api must fail; log: " + log);
        // the aggregation worked (the harness is sound): it is the analyser that fails the build
        assertTrue(out.contains("slingfeature-maven-plugin:" + buildProperty("slingfeature.version") + ":analyse-features"),
                "the build fails in analyse-features: " + tail(out));
        String message = out.lines().filter(l -> l.contains("[bundle-packages]") && l.contains("io.kinora.jobs")
                && l.contains("io.kinora.api.scene")).findFirst().orElse(null);
        assertNotNull(message, "the build log carries the analyser's message naming the bundle and the missing package: " + tail(out));
        System.out.println("the failed build says: " + message.trim());
        assertTrue(out.contains("BUILD FAILURE"), tail(out));
    }

    /** This module's slingfeature-maven-plugin element, verbatim, in a minimal project with the same coordinates. */
    static String pom(Path parents) throws Exception {
        Document real = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(BASEDIR.resolve("pom.xml").toFile());
        Element plugin = null;
        NodeList plugins = real.getElementsByTagName("plugin");
        for (int i = 0; i < plugins.getLength(); i++) {
            Element e = (Element) plugins.item(i);
            NodeList ids = e.getElementsByTagName("artifactId");
            if (ids.getLength() > 0 && ids.item(0).getTextContent().trim().equals("slingfeature-maven-plugin")
                    && e.getParentNode().getParentNode().getNodeName().equals("build")) {
                plugin = e;
                break;
            }
        }
        assertNotNull(plugin, "pom.xml has the slingfeature-maven-plugin under build/plugins");
        var t = TransformerFactory.newInstance().newTransformer();
        t.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, "yes");
        StringWriter w = new StringWriter();
        t.transform(new DOMSource(plugin), new StreamResult(w));
        Map<String, String> props = new LinkedHashMap<>();
        for (String name : List.of("slingfeature.version", "felix.framework.version", "asm.version", "spifly.version", "slf4j.runtime.version")) {
            props.put(name, buildProperty(name));
        }
        StringBuilder x = new StringBuilder("""
                <?xml version="1.0" encoding="UTF-8"?>
                <project>
                  <modelVersion>4.0.0</modelVersion>
                  <groupId>io.kinora</groupId>
                  <artifactId>kinora-features</artifactId>
                  <version>%s</version>
                  <packaging>pom</packaging>
                  <properties>
                """.formatted(System.getProperty("kinora.version", "0.1.0-SNAPSHOT")));
        props.forEach((k, v) -> x.append("    <").append(k).append('>').append(v).append("</").append(k).append(">\n"));
        x.append("""
                  </properties>
                  <repositories>
                    <repository><id>kinora-build</id><url>%s</url><snapshots><enabled>true</enabled></snapshots></repository>
                    <repository><id>kinora-parents</id><url>%s</url><snapshots><enabled>true</enabled></snapshots></repository>
                  </repositories>
                  <build>
                    <plugins>
                """.formatted(BASEDIR.resolve("target/repository").toUri(), parents.toUri()));
        x.append(w).append("\n    </plugins>\n  </build>\n</project>\n");
        return x.toString();
    }

    static void removeBundle(Path feature, String idPrefix) throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode f = (ObjectNode) json.readTree(feature.toFile());
        ArrayNode bundles = (ArrayNode) f.path("bundles");
        int before = bundles.size();
        for (int i = bundles.size() - 1; i >= 0; i--) {
            JsonNode b = bundles.get(i);
            if ((b.isTextual() ? b.asText() : b.path("id").asText()).startsWith(idPrefix)) bundles.remove(i);
        }
        assertEquals(before - 1, bundles.size(), feature + " lists " + idPrefix + " once");
        json.writerWithDefaultPrettyPrinter().writeValue(feature.toFile(), f);
    }

    static String tail(String out) {
        List<String> lines = out.lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(target);
                else Files.copy(p, target);
            }
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}
