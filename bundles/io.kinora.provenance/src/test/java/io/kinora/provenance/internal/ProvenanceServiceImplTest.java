package io.kinora.provenance.internal;

import io.kinora.api.media.AudioBuffer;
import io.kinora.api.media.RgbImage;
import io.kinora.api.media.StageException;
import io.kinora.api.provenance.FrameLabeler;
import io.kinora.api.provenance.LayerStatus;
import io.kinora.api.provenance.ProvenanceRequest;
import io.kinora.api.scene.Aspect;
import io.kinora.api.scene.LabelSpec;
import io.kinora.api.scene.Resolution;
import io.kinora.api.scene.SceneSpec;
import io.kinora.api.timeline.Timeline;
import io.kinora.api.video.ModelInfo;
import io.kinora.provenance.internal.c2pa.UnsignedC2pa;
import io.kinora.provenance.internal.visible.LabelFonts;
import io.kinora.provenance.internal.watermark.NoWatermark;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.Font;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.kinora.provenance.internal.bmff.Mp4Bytes.*;
import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class ProvenanceServiceImplTest {
    @TempDir
    Path dir;
    /** The local CA the services below sign with (one per test class, as one per installation). */
    @TempDir
    static Path caDir;

    static ProvenanceRequest request(String contentId, String policy, String language) {
        SceneSpec scene = new SceneSpec(null, "a lighthouse at dusk", 3.0, 24, Resolution.P720, List.of(Aspect.LANDSCAPE), null, null, null,
                null, new LabelSpec(policy), language, null, 7L);
        return new ProvenanceRequest(contentId, "job-1", scene, new Timeline(3.0, 24, 72, List.of(), List.of()),
                new ModelInfo("parallax", "1.0.0", "parallax", "2.5D motion"));
    }

    static ProvenanceServiceImpl service(Map<String, Object> config) {
        return new ProvenanceServiceImpl(TestConfig.of(config), LabelFonts::systemFonts, caDir.resolve("ca"), new NoWatermark());
    }

    /** A service that sees only fonts without CJK glyphs, as on a machine without fonts-noto-cjk. */
    static ProvenanceServiceImpl latinOnly(Map<String, Object> config) {
        List<Font> latin = LabelFonts.systemFonts().stream().filter(f -> f.canDisplayUpTo("生成") != -1).toList();
        return new ProvenanceServiceImpl(TestConfig.of(config), () -> latin, new UnsignedC2pa(), new NoWatermark());
    }

    static RgbImage frame(int w, int h) {
        byte[] b = new byte[w * h * 3];
        Arrays.fill(b, (byte) 100);
        return new RgbImage(w, h, b);
    }

    /** An MP4 whose moov/udta/meta carries {@code tags} exactly as FFmpeg writes them with use_metadata_tags. */
    Path mp4(String name, Map<String, String> tags) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, concat(ftyp(), moovWithUdta(mdtaMeta(true, new ArrayList<>(tags.entrySet()))), mdat(2000)));
        return p;
    }

    static LayerStatus layer(List<LayerStatus> l, String name) {
        return l.stream().filter(s -> s.layer().equals(name)).findFirst().orElseThrow(() -> new AssertionError("no layer " + name + " in " + l));
    }

    @Test
    void signingIdentityNamesTheLocalCaAsNotPubliclyTrustedAndNeverASecret() throws Exception {
        Map<String, String> id = service(Map.of()).signingIdentity();
        assertEquals("signing every clip", id.get("status"), id.toString());
        assertTrue(id.get("subject").contains("CN="), id.toString());
        assertTrue(id.get("source").startsWith("Kinora's local CA in "), id.toString());
        assertTrue(id.get("publiclyTrusted").startsWith("no: "), id.toString());
        assertTrue(id.get("trustAnchors").contains("[local]"), id.toString());
        assertTrue(id.get("certificateSha256").matches("[0-9a-f]{64}"), id.toString());
        assertTrue(java.time.Instant.parse(id.get("validUntil")).isAfter(java.time.Instant.now()));
        assertTrue(id.keySet().stream().noneMatch(k -> k.toLowerCase(java.util.Locale.ROOT).contains("password")
                || k.toLowerCase(java.util.Locale.ROOT).contains("key")), "no secrets: " + id.keySet());
        assertEquals("no signing set-up in this instance", latinOnly(Map.of()).signingIdentity().get("status"));
    }

    @Test
    void knowsThreePoliciesAndRejectsOthersByName() {
        ProvenanceServiceImpl s = service(Map.of());
        assertEquals(List.of("cn", "eu", "none"), s.policies());
        StageException e = assertThrows(StageException.class, () -> s.frameLabeler(request("c1", "us", "en"), 640, 360));
        assertEquals("Unknown label policy \"us\" in labels.policy; known policies: cn, eu, none", e.getMessage());
        assertEquals("eu", s.policyFor(request("c1", null, "en")).id(), "default policy eu");
        assertEquals("none", s.policyFor(request("c1", " NONE ", "en")).id());
        assertEquals("cn", service(Map.of("defaultPolicy", "cn")).policyFor(request("c1", null, "en")).id());
        // an unknown default falls back to eu, saying why (CustomPolicyTest checks the report)
        ProvenanceServiceImpl.Chosen bad = service(Map.of("defaultPolicy", "mars")).choose(request("c", null, "en").scene());
        assertEquals("eu", bad.policy().id());
        assertTrue(bad.fallback().contains("\"mars\"") && bad.fallback().contains("io.kinora.provenance"), bad.fallback());
    }

    @Test
    void euLabelSpeaksTheSceneLanguage() throws IOException {
        ProvenanceServiceImpl s = service(Map.of());
        for (String[] c : new String[][] {{"en", "AI-generated"}, {"de-AT", "KI-generiert"}, {"fr", "Généré par IA"}, {"es", "Generado por IA"},
                {"fi", "Tekoälyn luoma"}, {"tr", "AI-generated"}}) {
            ProvenanceRequest r = request("c-" + c[0], "eu", c[0]);
            FrameLabeler l = s.frameLabeler(r, 1280, 720);
            RgbImage before = frame(1280, 720);
            RgbImage after = l.apply(100, frame(1280, 720));
            assertFalse(Arrays.equals(before.rgb(), after.rgb()), "eu labels the whole clip, frame 100 too");
            List<LayerStatus> sealed = s.seal(mp4(c[0] + ".mp4", s.implicitMetadata(r)), r);
            LayerStatus v = layer(sealed, "visible-label");
            assertTrue(v.present());
            assertTrue(v.detail().contains("\"" + c[1] + "\""), v.detail());
        }
    }

    @Test
    void cnLabelsTheOpeningAndOptionallyTheRest() {
        String env = System.getenv("KINORA_CJK_FONT");
        Map<String, Object> cfg = env == null ? Map.of("cnPersistentLabel", false) : Map.of("cnPersistentLabel", false, "labelFontFile", env);
        ProvenanceServiceImpl s = service(cfg);
        FrameLabeler l;
        try {
            l = s.frameLabeler(request("c-cn", "cn", "en"), 1280, 720);
        } catch (StageException e) {
            assumeTrue(false, "no CJK font here (" + e.getMessage() + ")");
            return;
        }
        RgbImage base = frame(1280, 720);
        assertFalse(Arrays.equals(base.rgb(), l.apply(47, frame(1280, 720)).rgb()), "frame 47 (1.96 s) labelled");
        assertArrayEquals(base.rgb(), l.apply(48, frame(1280, 720)).rgb(), "frame 48 (2.0 s) untouched when not persisted");

        Map<String, Object> persist = env == null ? Map.of() : Map.of("labelFontFile", env);
        FrameLabeler p = service(persist).frameLabeler(request("c-cn2", "cn", "en"), 1280, 720);
        assertFalse(Arrays.equals(base.rgb(), p.apply(70, frame(1280, 720)).rgb()), "persisted by default");
    }

    @Test
    void cnWithoutCjkFontFailsClearly() {
        StageException e = assertThrows(StageException.class, () -> latinOnly(Map.of()).frameLabeler(request("c", "cn", "en"), 1280, 720));
        assertTrue(e.getMessage().contains("fonts-noto-cjk"), e.getMessage());
        assertTrue(e.getMessage().contains("labelFontFile"), e.getMessage());
        StageException zh = assertThrows(StageException.class, () -> latinOnly(Map.of()).frameLabeler(request("c", "eu", "zh-CN"), 1280, 720));
        assertTrue(zh.getMessage().contains("AI生成"), zh.getMessage());
    }

    @Test
    void noneDrawsNothing() {
        FrameLabeler l = service(Map.of()).frameLabeler(request("c", "none", "en"), 640, 360);
        RgbImage f = frame(640, 360);
        assertArrayEquals(frame(640, 360).rgb(), l.apply(0, f).rgb());
    }

    @Test
    void audioCueOnlyUnderCn() {
        ProvenanceServiceImpl s = service(Map.of());
        AudioBuffer master = AudioBuffer.silence(48_000, 2, 3.0);
        assertSame(master, s.labelAudio(request("c", "eu", "en"), master));
        assertSame(master, s.labelAudio(request("c", "none", "en"), master));
        AudioBuffer cued = s.labelAudio(request("c", "cn", "en"), master);
        assertNotSame(master, cued);
        double early = 0, late = 0;
        for (int i = 0; i < 48_000 * 2; i++) {
            if (i < 48_000 * 2 * 1.3) early = Math.max(early, Math.abs(cued.samples()[i]));
        }
        for (int i = (int) (48_000 * 2 * 1.5); i < cued.samples().length; i++) late = Math.max(late, Math.abs(cued.samples()[i]));
        assertEquals(0.3, early, 0.01);
        assertEquals(0.0, late);
    }

    @Test
    void implicitMetadataCarriesTheGb45438Label() {
        Map<String, String> m = service(Map.of("producer", "001191110102MAD55U9H0F10002")).implicitMetadata(request("c-42", null, "en"));
        assertEquals("{\"AIGC\":{\"Label\":\"1\",\"ContentProducer\":\"001191110102MAD55U9H0F10002\",\"ProduceID\":\"c-42\",\"ReservedCode1\":\"\","
                + "\"ContentPropagator\":\"001191110102MAD55U9H0F10002\",\"PropagateID\":\"c-42\",\"ReservedCode2\":\"\"}}", m.get("AIGC"));
        assertEquals("job-1", m.get("kinora.job"));
        assertTrue(m.get("comment").startsWith("AI-generated video"), m.get("comment"));
        assertTrue(m.get("comment").contains("c-42"));
        StageException e = assertThrows(StageException.class, () -> service(Map.of("producer", "Acme Corp")).implicitMetadata(request("c", null, "en")));
        assertTrue(e.getMessage().contains("space") && e.getMessage().contains("producer in configuration io.kinora.provenance"), e.getMessage());
    }

    @Test
    void sealReportsEveryLayerAsApplied() throws IOException {
        ProvenanceServiceImpl s = service(Map.of());
        ProvenanceRequest r = request("c-7", "eu", "en");
        FrameLabeler l = s.frameLabeler(r, 640, 360);
        for (int i = 0; i < 72; i++) l.apply(i, frame(640, 360));
        s.labelAudio(r, AudioBuffer.silence(48_000, 2, 3.0));
        Path file = mp4("out.mp4", s.implicitMetadata(r));
        List<LayerStatus> sealed = s.seal(file, r);
        assertEquals(List.of("visible-label", "audio-label", "implicit-label", "c2pa", "watermark"), sealed.stream().map(LayerStatus::layer).toList());
        LayerStatus v = layer(sealed, "visible-label");
        assertTrue(v.present());
        assertTrue(v.detail().contains("72 frame(s)"), v.detail());
        assertFalse(layer(sealed, "audio-label").present());
        assertTrue(layer(sealed, "audio-label").detail().contains("policy eu"));
        LayerStatus imp = layer(sealed, "implicit-label");
        assertTrue(imp.present());
        assertTrue(imp.detail().contains("ContentProducer Kinora") && imp.detail().contains("ProduceID c-7"), imp.detail());
        LayerStatus c2pa = layer(sealed, "c2pa");
        assertEquals(LayerStatus.State.VALID, c2pa.state(), c2pa.detail());
        assertTrue(c2pa.detail().startsWith("signed urn:c2pa:") && c2pa.detail().contains("NOT a publicly trusted identity"), c2pa.detail());
        assertEquals("true", c2pa.facts().get("localCa"));
        assertFalse(layer(sealed, "watermark").present());
        LayerStatus verified = layer(s.verify(file), "c2pa");
        assertEquals(LayerStatus.State.VALID, verified.state(), verified.detail());
        assertEquals("true", verified.facts().get("trusted"), verified.detail());
        // The file is signed now: sealing it again is refused rather than stacking manifests.
        StageException again = assertThrows(StageException.class, () -> s.seal(file, r));
        assertTrue(again.getMessage().contains("already carries a C2PA box"), again.getMessage());
        // The applied record is used once: a second seal cannot claim frames it did not see.
        assertFalse(layer(s.seal(mp4("again.mp4", s.implicitMetadata(r)), r), "visible-label").present());
    }

    @Test
    void sealWithoutLabelledFramesSaysSo() throws IOException {
        ProvenanceServiceImpl s = service(Map.of());
        ProvenanceRequest r = request("c-8", "eu", "en");
        LayerStatus v = layer(s.seal(mp4("o.mp4", s.implicitMetadata(r)), r), "visible-label");
        assertFalse(v.present());
        assertTrue(v.detail().contains("no frames of this content were labelled"), v.detail());
    }

    @Test
    void sealRequiresExactlyOneMatchingImplicitLabel() throws IOException {
        ProvenanceServiceImpl s = service(Map.of());
        ProvenanceRequest r = request("c-9", null, "en");
        StageException none = assertThrows(StageException.class, () -> s.seal(mp4("none.mp4", Map.of("comment", "x")), r));
        assertTrue(none.getMessage().startsWith("none.mp4 carries no implicit AI label"), none.getMessage());

        String aigc = s.implicitMetadata(r).get("AIGC");
        Path twice = dir.resolve("twice.mp4");
        byte[] meta = mdtaMeta(true, List.of(Map.entry("AIGC", aigc)));
        Files.write(twice, concat(ftyp(), box("moov", fullBox("mvhd", 0, 0, new byte[96]), meta, box("udta", meta)), mdat(10)));
        StageException dup = assertThrows(StageException.class, () -> s.seal(twice, r));
        assertTrue(dup.getMessage().contains("carries 2 implicit AI labels") && dup.getMessage().contains("§6.1 c)"), dup.getMessage());

        StageException other = assertThrows(StageException.class, () -> s.seal(mp4("other.mp4", s.implicitMetadata(request("c-10", null, "en"))), r));
        assertTrue(other.getMessage().contains("ProduceID \"c-10\" is not this clip's content id \"c-9\""), other.getMessage());

        StageException broken = assertThrows(StageException.class, () -> s.seal(mp4("broken.mp4", Map.of("AIGC", "{oops")), r));
        assertTrue(broken.getMessage().contains("malformed"), broken.getMessage());
    }

    @Test
    void verifyReadsEveryLayer() throws IOException {
        ProvenanceServiceImpl s = service(Map.of());
        ProvenanceRequest r = request("c-11", "cn", "zh");
        Path plain = mp4("v.mp4", s.implicitMetadata(r));
        List<LayerStatus> v = s.verify(plain);
        assertEquals(List.of("visible-label", "audio-label", "implicit-label", "c2pa", "watermark"), v.stream().map(LayerStatus::layer).toList());
        assertFalse(layer(v, "visible-label").present());
        // a byte-built MP4 without decodable streams: the label detectors say why they could not look
        assertTrue(layer(v, "visible-label").detail().startsWith("not checked: cannot decode v.mp4"), layer(v, "visible-label").detail());
        assertEquals(LayerStatus.State.UNCHECKED, layer(v, "audio-label").state(), layer(v, "audio-label").detail());
        assertTrue(layer(v, "audio-label").detail().startsWith("not checked: cannot decode v.mp4"), layer(v, "audio-label").detail());
        LayerStatus imp = layer(v, "implicit-label");
        assertTrue(imp.present());
        assertTrue(imp.detail().contains("AIGC in moov/udta/meta: Label 1 (AI-generated), ContentProducer Kinora, ProduceID c-11"), imp.detail());
        assertEquals(new LayerStatus("c2pa", false, "no C2PA manifest"), layer(v, "c2pa"));
        assertEquals(LayerStatus.State.VALID, imp.state());
        assertEquals("c-11", imp.facts().get("ProduceID"));
        assertEquals("Kinora", imp.facts().get("ContentProducer"));
        assertEquals(LayerStatus.State.UNCHECKED, layer(v, "visible-label").state());
        assertEquals(new LayerStatus("watermark", false, "no detector yet"), layer(v, "watermark"));

        Path signed = dir.resolve("signed.mp4");
        Files.write(signed, concat(ftyp(), c2pa("manifest"), moovWithUdta(), mdat(10)));
        List<LayerStatus> v2 = s.verify(signed);
        LayerStatus c = layer(v2, "c2pa");
        assertTrue(c.present());
        assertEquals(LayerStatus.State.INVALID, c.state());
        assertTrue(c.detail().startsWith("INVALID manifest: manifest.malformed"), c.detail());
        assertFalse(layer(v2, "implicit-label").present());
        assertEquals("no AIGC metadata key in moov/udta/meta or moov/meta", layer(v2, "implicit-label").detail());
    }

    @Test
    void badFilesAreNamed() throws IOException {
        ProvenanceServiceImpl s = service(Map.of());
        Path png = Files.write(dir.resolve("photo.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0, 0, 0});
        StageException e = assertThrows(StageException.class, () -> s.verify(png));
        assertTrue(e.getMessage().startsWith(png + " is not an MP4/ISO-BMFF file"), e.getMessage());
        assertThrows(StageException.class, () -> s.seal(png, request("c", null, "en")));
        StageException missing = assertThrows(StageException.class, () -> s.verify(dir.resolve("gone.mp4")));
        assertTrue(missing.getMessage().startsWith("File not found"), missing.getMessage());
        byte[] whole = concat(ftyp(), moovWithUdta(mdtaMeta(true, List.of(Map.entry("AIGC", "x")))), mdat(100));
        Path cut = Files.write(dir.resolve("cut.mp4"), Arrays.copyOf(whole, 60));
        StageException damaged = assertThrows(StageException.class, () -> s.verify(cut));
        assertTrue(damaged.getMessage().startsWith(cut + " is a damaged MP4 file: box 'moov'"), damaged.getMessage());
    }

    /** Cross-check with a real FFmpeg-written file (skipped where ffmpeg is not installed). */
    @Test
    void readsTheLabelFromAnFfmpegWrittenMp4() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/ffmpeg")), "ffmpeg not installed");
        ProvenanceServiceImpl s = service(Map.of());
        ProvenanceRequest r = request("c-ff", "eu", "en");
        Map<String, String> meta = s.implicitMetadata(r);
        Path out = dir.resolve("ff.mp4");
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/ffmpeg", "-v", "error", "-nostdin", "-f", "lavfi", "-i", "color=c=gray:s=64x64:r=24:d=0.5",
                "-c:v", "mpeg4", "-movflags", "+faststart+use_metadata_tags"));
        meta.forEach((k, v) -> { cmd.add("-metadata"); cmd.add(k + "=" + v); });
        cmd.add(out.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assumeTrue(p.exitValue() == 0, "ffmpeg could not encode: " + log);
        List<LayerStatus> sealed = s.seal(out, r);
        assertTrue(layer(sealed, "implicit-label").present(), sealed.toString());
        assertTrue(layer(s.verify(out), "implicit-label").detail().contains("ProduceID c-ff"));
    }
}
