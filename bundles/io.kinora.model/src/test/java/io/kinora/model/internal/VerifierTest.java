package io.kinora.model.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.kinora.api.model.ModelException;
import io.kinora.model.itest.ModelJars;

class VerifierTest {

    @TempDir
    Path dir;

    Descriptor verify(ModelJars jars) throws Exception {
        try (JarArchive a = new JarArchive(jars.write(dir))) {
            return Verifier.verify(a);
        }
    }

    String refusal(ModelJars jars) {
        return assertThrows(ModelException.class, () -> verify(jars)).getMessage();
    }

    @Test
    void validBundleIsAccepted() throws Exception {
        Descriptor d = verify(new ModelJars());
        assertEquals("fake", d.id());
        assertEquals("test-video", d.family());
        assertEquals(1, d.files().size());
    }

    @Test
    void mavenSnapshotVersionInTheDescriptorMatchesTheBundleVersion() throws Exception {
        ModelJars j = new ModelJars();
        j.version = "0.1.0.SNAPSHOT";
        j.descriptor = "{\"id\":\"fake\",\"version\":\"0.1.0-SNAPSHOT\",\"family\":\"f\",\"files\":[]}";
        assertEquals("0.1.0-SNAPSHOT", verify(j).version());
    }

    @Test
    void refusals() {
        ModelJars noHeader = new ModelJars();
        noHeader.header = false;
        assertTrue(refusal(noHeader).contains("has no Kinora-Model manifest header: not a model bundle"));

        ModelJars otherName = new ModelJars();
        otherName.symbolicName = "com.example.models.fake";
        assertEquals("Bundle-SymbolicName \"com.example.models.fake\" differs from the Kinora-Model header \"fake\": "
                + "a model bundle's symbolic name is its model id", refusal(otherName));

        ModelJars wrongHash = new ModelJars();
        wrongHash.declaredSha = "0".repeat(64);
        String m = refusal(wrongHash);
        assertTrue(m.startsWith("weight file META-INF/kinora/weights.bin: SHA-256 is ") && m.endsWith("expects " + "0".repeat(64)), m);

        ModelJars missing = new ModelJars();
        missing.includeWeights = false;
        assertTrue(refusal(missing).startsWith("weight file META-INF/kinora/weights.bin named in the descriptor is missing"));

        ModelJars badJson = new ModelJars();
        badJson.descriptor = "{\"id\": \"fake\", ";
        assertTrue(refusal(badJson).startsWith("invalid descriptor META-INF/kinora/model.json: "));

        ModelJars noFamily = new ModelJars();
        noFamily.descriptor = "{\"id\":\"fake\",\"version\":\"1.0.0\",\"files\":[]}";
        assertEquals("invalid descriptor META-INF/kinora/model.json: \"family\" is missing", refusal(noFamily));

        ModelJars otherId = new ModelJars();
        otherId.descriptor = "{\"id\":\"other\",\"version\":\"1.0.0\",\"family\":\"f\",\"files\":[]}";
        assertTrue(refusal(otherId).contains("descriptor id \"other\" differs"));

        ModelJars otherVersion = new ModelJars();
        otherVersion.descriptor = "{\"id\":\"fake\",\"version\":\"2.0.0\",\"family\":\"f\",\"files\":[]}";
        assertTrue(refusal(otherVersion).contains("descriptor version \"2.0.0\" differs from the bundle version \"1.0.0\""));

        ModelJars escaping = new ModelJars();
        escaping.extraEntries.put("META-INF/kinora/../../../evil.sh", "rm -rf".getBytes(StandardCharsets.UTF_8));
        assertTrue(refusal(escaping).startsWith("archive entry \"META-INF/kinora/../../../evil.sh\" escapes its folder"));

        ModelJars escapingFile = new ModelJars();
        escapingFile.descriptor = "{\"id\":\"fake\",\"version\":\"1.0.0\",\"family\":\"f\",\"files\":"
                + "[{\"path\":\"../../x.bin\",\"sha256\":\"" + "a".repeat(64) + "\"}]}";
        assertTrue(refusal(escapingFile).contains("archive path \"../../x.bin\" escapes its folder"));

        ModelJars shortSha = new ModelJars();
        shortSha.declaredSha = "abc";
        assertTrue(refusal(shortSha).contains("is not 64 hex digits"));
    }

    @Test
    void escapeDetection() {
        assertTrue(Descriptor.escapes("/etc/passwd"));
        assertTrue(Descriptor.escapes("a/../../b"));
        assertTrue(Descriptor.escapes("C:/x"));
        assertTrue(Descriptor.escapes("a\\b"));
        assertTrue(!Descriptor.escapes("META-INF/kinora/weights/a..b.bin"));
    }
}
