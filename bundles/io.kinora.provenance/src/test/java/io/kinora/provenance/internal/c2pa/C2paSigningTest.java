package io.kinora.provenance.internal.c2pa;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kinora.api.media.StageException;
import io.kinora.api.provenance.LayerStatus;
import io.kinora.api.provenance.ProvenanceIngredient;
import io.kinora.api.provenance.ProvenanceRequest;
import io.kinora.api.video.ModelInfo;
import io.kinora.provenance.internal.bmff.BmffReader;
import io.kinora.provenance.internal.bmff.Box;
import io.kinora.provenance.internal.bmff.Mp4Inspector;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Signs real FFmpeg-made MP4s (H.264 + AAC, moov before and after mdat), then checks: the media decodes to the
 * very same frames; our validator and the CAI's c2pa-rs (c2pa-node) both say valid and trusted with the test root
 * as anchor; one changed mdat byte or an edited metadata value after signing is invalid in both.
 */
class C2paSigningTest {
    static final String AIGC = "{\"AIGC\":{\"Label\":\"1\",\"ContentProducer\":\"Kinora\",\"ProduceID\":\"c-1\",\"ReservedCode1\":\"\","
            + "\"ContentPropagator\":\"Kinora\",\"PropagateID\":\"c-1\",\"ReservedCode2\":\"\"}}";
    @TempDir
    static Path shared;
    @TempDir
    Path dir;
    static SigningIdentity id;
    static ManifestSigner signer;
    static C2paValidator validator;

    @BeforeAll
    static void keys() throws Exception {
        id = Keys.localCa(shared.resolve("ca"), "Kinora-Test");
        validator = new C2paValidator(List.of(new C2paValidator.Anchor(id.anchor(), "test root", true)));
        signer = new ManifestSigner(() -> id, null, ManifestSigner.TRAINED, "0.1.0-test", () -> validator);
    }

    static ProvenanceRequest request(String contentId) {
        return new ProvenanceRequest(contentId, "job-1", null, null, new ModelInfo("parallax", "1.0.0", "parallax", "2.5D"),
                List.of(ProvenanceIngredient.sourceImage(Path.of("/in/bottle.png"), "0123456789abcdef".repeat(4)),
                        ProvenanceIngredient.audioStem("voice line 1", "kevin16 says: hello"),
                        ProvenanceIngredient.audioStem("ambient bed", "room tone")));
    }

    Path signedClip(String name, boolean faststart) throws Exception {
        Tools.assumeFfmpeg();
        Path f = Tools.encode(dir.resolve(name), 1.0, faststart, Map.of("AIGC", AIGC));
        LayerStatus s = signer.sign(f, request("c-1"), Mp4Inspector.inspect(f), LABELS);
        assertEquals(LayerStatus.State.VALID, s.state(), s.detail());
        return f;
    }

    /** The io.kinora.label record as the service writes it. */
    static final Map<String, Object> LABELS = Map.of("policy", "cn", "audioCue", true, "visible", Map.of("text", "AI生成", "corner", "top-right",
            "heightPx", 55, "heightPercent", "6.00", "openingFrames", 48, "fps", 24, "persistent", true));

    @Test
    void signedFileDecodesToTheSameFramesAndValidates() throws Exception {
        for (boolean faststart : new boolean[]{true, false}) {
            Tools.assumeFfmpeg();
            Path original = Tools.encode(dir.resolve("orig-" + faststart + ".mp4"), 1.0, faststart, Map.of("AIGC", AIGC));
            Path f = dir.resolve("signed-" + faststart + ".mp4");
            Files.copy(original, f);
            String before = Tools.decodedFrames(original);
            LayerStatus s = signer.sign(f, request("c-1"), Mp4Inspector.inspect(f));
            assertEquals(LayerStatus.State.VALID, s.state(), s.detail());
            assertEquals(before, Tools.decodedFrames(f), "the signed file decodes to other frames (faststart " + faststart + ")");
            try (BmffReader r = new BmffReader(f)) {
                List<Box> top = r.topLevel();
                assertEquals("ftyp", top.get(0).type());
                assertEquals("uuid", top.get(1).type(), "the manifest box follows ftyp: " + top);
                assertEquals(Files.size(original) + top.get(1).size(), Files.size(f));
            }
            C2paValidation v = validator.validate(f);
            assertEquals(C2paValidation.State.VALID, v.state(), v.failures().toString());
            assertTrue(v.trusted(), v.trust());
            assertEquals("c2pa.created", v.actions().get(0).get("action"));
            assertEquals(ManifestSigner.TRAINED, v.actions().get(0).get("digitalSourceType"));
            assertEquals(3, v.ingredients().size());
            assertEquals(Map.of("title", "bottle.png", "relationship", "inputTo", "format", "image/png",
                    "description", "source image animated by the video model; SHA-256 " + "0123456789abcdef".repeat(4)), v.ingredients().get(0));
            assertEquals("componentOf", v.ingredients().get(1).get("relationship"));
            assertEquals("c2pa.claim.v2", v.facts().get("claim"));
            assertEquals("ES256", v.facts().get("alg"));
        }
    }

    @Test
    void theSameInputSignsToTheSameBytes() throws Exception {
        Tools.assumeFfmpeg();
        Path a = Tools.encode(dir.resolve("a.mp4"), 0.5, true, Map.of("AIGC", AIGC));
        Path b = dir.resolve("b.mp4");
        Files.copy(a, b);
        signer.sign(a, request("c-1"), Mp4Inspector.inspect(a));
        signer.sign(b, request("c-1"), Mp4Inspector.inspect(b));
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b), "deterministic ECDSA and derived ids give identical files");
    }

    @Test
    void independentValidatorTrustsOurManifest() throws Exception {
        Tools.assumeOracle();
        Path f = signedClip("oracle.mp4", true);
        Path anchor = Files.writeString(dir.resolve("root.pem"), Keys.pem("CERTIFICATE", id.anchor().getEncoded()));
        JsonNode j = new ObjectMapper().readTree(Tools.oracle(f, anchor));
        assertEquals("Trusted", j.path("validation_state").asText(), j.toPrettyString());
        assertEquals(0, j.path("validation_results").path("activeManifest").path("failure").size(), j.toPrettyString());
        JsonNode m = j.path("manifest");
        assertEquals("Kinora", m.path("claim_generator_info").path(0).path("name").asText());
        assertEquals("inputTo", m.path("ingredients").path(0).path("relationship").asText());
        assertEquals("bottle.png", m.path("ingredients").path(0).path("title").asText());
        JsonNode actions = null;
        for (JsonNode a : m.path("assertions")) if (a.path("label").asText().startsWith("c2pa.actions")) actions = a.path("data").path("actions");
        assertNotNull(actions, m.toPrettyString());
        assertEquals("c2pa.created", actions.path(0).path("action").asText());
        assertEquals(ManifestSigner.TRAINED, actions.path(0).path("digitalSourceType").asText());
        JsonNode labels = null;
        for (JsonNode a : m.path("assertions")) if (a.path("label").asText().equals(C2paSigner.LABEL_ASSERTION)) labels = a.path("data");
        assertNotNull(labels, "c2pa-node reads Kinora's label record: " + m.toPrettyString());
        assertEquals("AI生成", labels.path("visible").path("text").asText());
        assertEquals(55, labels.path("visible").path("heightPx").asInt());
        assertTrue(validator.validate(f).facts().get("labels").contains("\"corner\":\"top-right\""), validator.validate(f).facts().toString());
        // without our root as an anchor it is valid but not trusted
        Path other = Files.writeString(dir.resolve("other.pem"), Keys.pem("CERTIFICATE",
                Keys.caCertificate(Keys.ecKeyPair(), "Other", java.time.Instant.now()).getEncoded()));
        assertEquals("Valid", new ObjectMapper().readTree(Tools.oracle(f, other)).path("validation_state").asText());
    }

    @Test
    void oneChangedMdatByteIsInvalidInBothValidators() throws Exception {
        Path f = signedClip("mdat.mp4", true);
        Box mdat;
        try (BmffReader r = new BmffReader(f)) {
            mdat = r.topLevel().stream().filter(b -> b.is("mdat")).findFirst().orElseThrow();
        }
        flip(f, mdat.payloadOffset() + mdat.payloadSize() / 2);
        C2paValidation v = validator.validate(f);
        assertEquals(C2paValidation.State.INVALID, v.state());
        assertTrue(v.failures().get(0).startsWith("assertion.bmffHash.mismatch"), v.failures().toString());
        oracleSays(f, "Invalid", "assertion.bmffHash.mismatch");
    }

    @Test
    void metadataEditedAfterSigningIsInvalidInBothValidators() throws Exception {
        Path f = signedClip("meta.mp4", false);
        byte[] bytes = Files.readAllBytes(f);
        int at = indexOf(bytes, "\"ProduceID\":\"c-1\"".getBytes(StandardCharsets.US_ASCII));
        assertTrue(at > 0);
        bytes[at + 14] = '2'; // c-1 -> c-2, same length: only a hash can notice
        Files.write(f, bytes);
        C2paValidation v = validator.validate(f);
        assertEquals(C2paValidation.State.INVALID, v.state());
        assertTrue(v.failures().get(0).startsWith("assertion.bmffHash.mismatch"), v.failures().toString());
        oracleSays(f, "Invalid", "assertion.bmffHash.mismatch");
    }

    @Test
    void anEditedAssertionOrClaimIsNamed() throws Exception {
        Path f = signedClip("claim.mp4", true);
        Path g = dir.resolve("claim2.mp4");
        Files.copy(f, g);
        byte[] bytes = Files.readAllBytes(f);
        int at = indexOf(bytes, "kevin16 says".getBytes(StandardCharsets.US_ASCII));
        bytes[at] = 'K';
        Files.write(f, bytes);
        assertTrue(validator.validate(f).failures().get(0).startsWith("assertion.hashedURI.mismatch"), validator.validate(f).failures().toString());
        oracleSays(f, "Invalid", "assertion.hashedURI.mismatch");
        byte[] g2 = Files.readAllBytes(g);
        int inst = indexOf(g2, "xmp:iid:".getBytes(StandardCharsets.US_ASCII));
        g2[inst + 8] = (byte) (g2[inst + 8] == 'a' ? 'b' : 'a');
        Files.write(g, g2);
        assertTrue(validator.validate(g).failures().get(0).startsWith("claimSignature.mismatch"), validator.validate(g).failures().toString());
    }

    @Test
    void refusesToSignTwiceAndLeavesTheFileAlone() throws Exception {
        Path f = signedClip("twice.mp4", true);
        byte[] before = Files.readAllBytes(f);
        StageException e = assertThrows(StageException.class, () -> signer.sign(f, request("c-1"), Mp4Inspector.inspect(f)));
        assertTrue(e.getMessage().contains("already carries a C2PA box"), e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(f));
        try (var s = Files.list(dir)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().endsWith(".c2pa-tmp")), "temporary file left behind");
        }
    }

    @Test
    void aSecondManifestBoxIsInvalid() throws Exception {
        Path f = signedClip("two.mp4", true);
        byte[] bytes = Files.readAllBytes(f);
        Box uuid;
        try (BmffReader r = new BmffReader(f)) {
            uuid = r.topLevel().get(1);
        }
        byte[] box = Arrays.copyOfRange(bytes, (int) uuid.offset(), (int) uuid.end());
        byte[] doubled = new byte[bytes.length + box.length];
        System.arraycopy(bytes, 0, doubled, 0, (int) uuid.end());
        System.arraycopy(box, 0, doubled, (int) uuid.end(), box.length);
        System.arraycopy(bytes, (int) uuid.end(), doubled, (int) uuid.end() + box.length, bytes.length - (int) uuid.end());
        Files.write(f, doubled);
        C2paValidation v = validator.validate(f);
        assertEquals(C2paValidation.State.INVALID, v.state());
        assertTrue(v.failures().get(0).startsWith("manifest.multipleStores"), v.failures().toString());
    }

    @Test
    @Timeout(120)
    void corruptManifestsGiveAResultNeverACrash() throws Exception {
        Path f = signedClip("fuzz.mp4", true);
        byte[] good = Files.readAllBytes(f);
        Box uuid;
        try (BmffReader r = new BmffReader(f)) {
            uuid = r.topLevel().get(1);
        }
        java.util.Random rnd = new java.util.Random(42);
        Path g = dir.resolve("fuzzed.mp4");
        int invalid = 0;
        for (int i = 0; i < 300; i++) {
            byte[] b = good.clone();
            int flips = 1 + rnd.nextInt(3);
            for (int k = 0; k < flips; k++) {
                int at = (int) uuid.offset() + 8 + rnd.nextInt((int) uuid.size() - 8);
                b[at] = (byte) (i % 3 == 0 ? rnd.nextInt(256) : b[at] ^ (1 << rnd.nextInt(8)));
            }
            Files.write(g, b);
            C2paValidation v = validator.validate(g); // must return, whatever the bytes
            assertNotNull(v.state());
            if (v.state() == C2paValidation.State.INVALID) {
                invalid++;
                assertFalse(v.failures().isEmpty());
            }
        }
        // the unhashed COSE padding may take flips harmlessly, nothing else may
        assertTrue(invalid > 200, "only " + invalid + " of 300 corrupted manifests were invalid");
        // truncated anywhere: a result, never an exception
        for (int cut : new int[]{10, 40, (int) uuid.offset() + 60, (int) uuid.end() - 5, good.length - 1}) {
            Files.write(g, Arrays.copyOf(good, cut));
            assertNotEquals(C2paValidation.State.VALID, validator.validate(g).state(), "cut at " + cut);
        }
    }

    /**
     * Named damage to each layer of the store, beside the random flips above: a JUMBF superbox claiming a size beyond
     * its parent, a claim that is not CBOR, a signature that is not a COSE_Sign1, a store box whose size runs past
     * the end of the file. Each gives INVALID with the matching code, never an exception or a hang.
     */
    @Test
    @Timeout(60)
    void targetedDamageToJumbfCborAndCoseIsNamed() throws Exception {
        Path f = signedClip("targets.mp4", true);
        byte[] good = Files.readAllBytes(f);
        int claim = contentOf(good, "c2pa.claim.v2");
        int signature = contentOf(good, "c2pa.signature");
        int claimSuperbox = superboxOf(good, "c2pa.claim.v2");
        Path g = dir.resolve("target.mp4");

        byte[] b = good.clone();
        putInt(b, claimSuperbox, 0x7fff_fff0); // the claim's jumb box claims 2 GB inside a store of a few KB
        assertInvalid(g, b, "manifest.malformed", "broken JUMBF");

        b = good.clone();
        b[claim] = (byte) 0xff; // a CBOR "break" where the claim map starts
        b[claim + 1] = (byte) 0xff;
        assertInvalid(g, b, "claim.cbor.invalid", null);

        b = good.clone();
        b[signature] = 0x01; // the COSE_Sign1 tag 18 replaced by the integer 1
        assertInvalid(g, b, "claimSignature.malformed", null);

        Box uuid;
        try (BmffReader r = new BmffReader(f)) {
            uuid = r.topLevel().get(1);
        }
        b = good.clone();
        putInt(b, (int) uuid.offset(), good.length * 2); // the C2PA box claims more bytes than the file has
        assertInvalid(g, b, "general.error", "damaged MP4");
    }

    private void assertInvalid(Path g, byte[] bytes, String code, String text) throws Exception {
        Files.write(g, bytes);
        C2paValidation v = validator.validate(g);
        assertEquals(C2paValidation.State.INVALID, v.state(), code + ": " + v.failures());
        assertTrue(v.failures().stream().anyMatch(x -> x.startsWith(code) && (text == null || x.contains(text))), code + ": " + v.failures());
    }

    /** Offset of the first byte of the content box payload (after its 8-byte header) of the JUMBF box labelled {@code label}. */
    private static int contentOf(byte[] b, String label) {
        int jumd = superboxOf(b, label) + 8;
        int jumdSize = getInt(b, jumd);
        return jumd + jumdSize + 8;
    }

    /** Offset of the jumb superbox whose description box carries {@code label}. */
    private static int superboxOf(byte[] b, String label) {
        byte[] l = (label + "\0").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        outer:
        for (int i = 0; i + l.length <= b.length; i++) {
            for (int k = 0; k < l.length; k++) if (b[i + k] != l[k]) continue outer;
            int jumd = i - 8 - 16 - 1; // size, 'jumd', 16-byte type, toggles
            assertEquals("jumd", new String(b, jumd + 4, 4, java.nio.charset.StandardCharsets.US_ASCII), label);
            return jumd - 8;
        }
        throw new AssertionError("no JUMBF box labelled " + label);
    }

    private static int getInt(byte[] b, int at) {
        return ((b[at] & 0xff) << 24) | ((b[at + 1] & 0xff) << 16) | ((b[at + 2] & 0xff) << 8) | (b[at + 3] & 0xff);
    }

    private static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }

    @Test
    void validatorAcceptsAManifestWrittenByC2paRs() throws Exception {
        Tools.assumeOracle();
        Tools.assumeFfmpeg();
        Path src = Tools.encode(dir.resolve("rs.mp4"), 0.5, true, Map.of());
        Path ca = dir.resolve("rs-ca");
        Files.createDirectories(ca);
        Path pem = Files.writeString(ca.resolve("leaf.pem"), Keys.pem("CERTIFICATE", id.leaf().getEncoded()));
        Path key = Files.writeString(ca.resolve("leaf.key"), Keys.pem("PRIVATE KEY", id.key().getEncoded()));
        Path out = dir.resolve("rs-signed.mp4");
        String script = "import {readFileSync} from 'node:fs';\n"
                + "import {Builder, LocalSigner} from '" + Tools.ORACLE.resolve("node_modules/@contentauth/c2pa-node/dist/index.js") + "';\n"
                + "const s = LocalSigner.newSigner(readFileSync('" + pem + "'), readFileSync('" + key + "'), 'es256');\n"
                + "const b = Builder.withJson({claim_generator_info:[{name:'rs',version:'1'}], assertions:[{label:'c2pa.actions.v2', data:{actions:"
                + "[{action:'c2pa.created', digitalSourceType:'" + ManifestSigner.TRAINED + "'}]}}]});\n"
                + "await b.sign(s, {path:'" + src + "', mimeType:'video/mp4'}, {path:'" + out + "'});\n";
        Path js = Files.writeString(dir.resolve("sign.mjs"), script);
        Tools.Run r = Tools.run(List.of(Tools.node(), js.toString()), 120);
        assertEquals(0, r.code(), r.output());
        C2paValidation v = validator.validate(out);
        assertEquals(C2paValidation.State.VALID, v.state(), v.failures().toString());
        assertTrue(v.trusted(), v.trust());
        assertEquals("rs 1", v.facts().get("claimGenerator"));
    }

    static void oracleSays(Path f, String state, String code) throws Exception {
        // our validator's verdict was asserted before; without node or c2pa-node the test says it skipped the second opinion
        Tools.assumeOracle();
        Path anchor = Files.writeString(f.resolveSibling("anchor.pem"), Keys.pem("CERTIFICATE", id.anchor().getEncoded()));
        String out = Tools.oracle(f, anchor);
        JsonNode j = new ObjectMapper().readTree(out);
        assertEquals(state, j.path("validation_state").asText(), out);
        assertTrue(out.contains(code), out);
    }

    static void flip(Path f, long at) throws Exception {
        byte[] b = Files.readAllBytes(f);
        b[(int) at] ^= 0x01;
        Files.write(f, b);
    }

    static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
            return i;
        }
        return -1;
    }

}
