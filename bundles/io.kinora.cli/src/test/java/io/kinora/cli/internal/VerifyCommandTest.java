package io.kinora.cli.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kinora.api.media.AudioBuffer;
import io.kinora.api.media.StageException;
import io.kinora.api.provenance.FrameLabeler;
import io.kinora.api.provenance.LayerStatus;
import io.kinora.api.provenance.ProvenanceRequest;
import io.kinora.api.provenance.ProvenanceService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.*;

class VerifyCommandTest {
    @TempDir
    Path dir;
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    KinoraCli cli(Function<Path, List<LayerStatus>> verify) {
        ProvenanceService p = new ProvenanceService() {
            public List<String> policies() { return List.of(); }

            public FrameLabeler frameLabeler(ProvenanceRequest r, int w, int h) { throw new UnsupportedOperationException(); }

            public AudioBuffer labelAudio(ProvenanceRequest r, AudioBuffer m) { throw new UnsupportedOperationException(); }

            public Map<String, String> implicitMetadata(ProvenanceRequest r) { throw new UnsupportedOperationException(); }

            public List<LayerStatus> seal(Path f, ProvenanceRequest r) { throw new UnsupportedOperationException(); }

            public List<LayerStatus> verify(Path f) { return verify.apply(f); }

            @Override
            public java.util.Map<String, String> signingIdentity() { return java.util.Map.of(); }
        };
        return new KinoraCli(null, null, p, null, null, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    static LayerStatus c2pa(LayerStatus.State state) {
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("valid", String.valueOf(state == LayerStatus.State.VALID));
        facts.put("trusted", "true");
        facts.put("signer", "CN=Kinora \"content\" signer");
        facts.put("actions", "[{\"action\":\"c2pa.created\"}]");
        if (state == LayerStatus.State.INVALID) facts.put("failures", "[\"assertion.bmffHash.mismatch: x\"]");
        return new LayerStatus("c2pa", true, "manifest", state, facts);
    }

    JsonNode json() throws Exception {
        return new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
    }

    Path file() throws Exception {
        return Files.write(dir.resolve("clip.mp4"), new byte[16]);
    }

    @Test
    void validSignedFileExitsZeroWithJson() throws Exception {
        Path f = file();
        int code = cli(p -> List.of(new LayerStatus("implicit-label", true, "AIGC", LayerStatus.State.VALID, Map.of("Label", "1")),
                c2pa(LayerStatus.State.VALID), new LayerStatus("watermark", false, "none"))).apply(new String[]{"verify", "--json", f.toString()});
        assertEquals(0, code, err.toString());
        JsonNode j = json();
        assertEquals("valid", j.path("result").asText());
        assertEquals(0, j.path("exitCode").asInt());
        assertEquals(f.toString(), j.path("file").asText());
        JsonNode c = j.path("layers").path(1);
        assertEquals("c2pa", c.path("layer").asText());
        assertEquals("valid", c.path("state").asText());
        assertTrue(c.path("facts").path("trusted").asBoolean());
        assertEquals("CN=Kinora \"content\" signer", c.path("facts").path("signer").asText());
        assertEquals("c2pa.created", c.path("facts").path("actions").path(0).path("action").asText());
        assertEquals("1", j.path("layers").path(0).path("facts").path("Label").asText());
        assertEquals("absent", j.path("layers").path(2).path("state").asText());
    }

    @Test
    void anInvalidLayerExitsFour() throws Exception {
        Path f = file();
        assertEquals(4, cli(p -> List.of(c2pa(LayerStatus.State.INVALID))).apply(new String[]{"verify", f.toString()}));
        assertTrue(out.toString().startsWith(f + ": invalid"), out.toString());
        assertTrue(out.toString().contains("c2pa            present  invalid"), out.toString());
        out.reset();
        assertEquals(4, cli(p -> List.of(c2pa(LayerStatus.State.VALID),
                new LayerStatus("implicit-label", true, "2 copies", LayerStatus.State.INVALID, null))).apply(new String[]{"verify", "--json", f.toString()}));
        assertEquals("invalid", json().path("result").asText());
        assertEquals("assertion.bmffHash.mismatch: x", cli(p -> List.of(c2pa(LayerStatus.State.INVALID))).apply(new String[]{"verify", "--json", f.toString()}) == 4
                ? lastJson().path("layers").path(0).path("facts").path("failures").path(0).asText() : "");
    }

    private JsonNode lastJson() throws Exception {
        String[] lines = out.toString(StandardCharsets.UTF_8).trim().split("\n");
        return new ObjectMapper().readTree(lines[lines.length - 1]);
    }

    @Test
    void noManifestExitsFive() throws Exception {
        Path f = file();
        assertEquals(5, cli(p -> List.of(new LayerStatus("c2pa", false, "no C2PA manifest"))).apply(new String[]{"verify", "--json", f.toString()}));
        assertEquals("unsigned", json().path("result").asText());
    }

    @Test
    void unreadableInputExitsThreeAndStillPrintsJson() throws Exception {
        Path f = file();
        int code = cli(p -> {
            throw new StageException(p + " is not an MP4/ISO-BMFF file: it does not start with an MP4 box");
        }).apply(new String[]{"verify", "--json", f.toString()});
        assertEquals(3, code);
        JsonNode j = json();
        assertEquals("unreadable", j.path("result").asText());
        assertTrue(j.path("error").asText().contains("is not an MP4/ISO-BMFF file"));
        out.reset();
        assertEquals(3, cli(p -> List.of()).apply(new String[]{"verify", "--json", dir.resolve("gone.mp4").toString()}));
        assertTrue(json().path("error").asText().contains("does not exist"));
        assertEquals(3, cli(p -> List.of()).apply(new String[]{"verify", dir.resolve("gone.mp4").toString()}));
        assertEquals(2, cli(p -> List.of()).apply(new String[]{"verify", "--jsonx", f.toString()}));
    }
}
