package io.kinora.provenance.internal;

import io.kinora.api.compositor.Compositor;
import io.kinora.api.compositor.EncodeRequest;
import io.kinora.api.compositor.EncodeSession;
import io.kinora.api.media.AudioBuffer;
import io.kinora.api.media.RgbImage;
import io.kinora.api.provenance.FrameLabeler;
import io.kinora.api.provenance.LayerStatus;
import io.kinora.api.provenance.ProvenanceRequest;
import io.kinora.api.scene.Aspect;
import io.kinora.api.scene.LabelSpec;
import io.kinora.api.scene.Resolution;
import io.kinora.api.scene.SceneSpec;
import io.kinora.api.timeline.Shot;
import io.kinora.api.timeline.Timeline;
import io.kinora.api.video.ModelInfo;
import io.kinora.compositor.internal.CompositorImpl;
import io.kinora.provenance.internal.c2pa.UnsignedC2pa;
import io.kinora.provenance.internal.visible.LabelFonts;
import io.kinora.provenance.internal.watermark.LumaWatermarker;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * verify reads the visible label and the rhythm cue back from real clips: frames and sound labelled by the
 * service (visible label, then the watermark; cue, then the audio watermark), encoded by the real compositor
 * (H.264 4:2:0 + AAC, its defaults), decoded by verify's embedded FFmpeg. Also after a CRF 28 / AAC 64 kbit/s
 * re-encode by /usr/bin/ffmpeg, and never in unlabelled clips.
 */
class LabelVerifyTest {
    static final int W = 1280;
    static final int H = 720;
    static final int FPS = 24;
    static final double SECONDS = 4;
    @TempDir
    static Path dir;
    static byte[] base; // RGB, (W + 200) x (H + 100)
    static final int BW = W + 200;
    static final int BH = H + 100;
    static Compositor compositor;

    @BeforeAll
    static void setUp() throws Exception {
        assumeTrue(LabelFonts.systemFonts().stream().anyMatch(f -> f.canDisplayUpTo("AI生成") == -1), "SKIPPED: no CJK font installed");
        base = picture(BW, BH);
        compositor = compositor();
    }

    static ProvenanceRequest request(String id, String policy, String language, double seconds) {
        SceneSpec scene = new SceneSpec(null, "a harbour at dusk", seconds, FPS, Resolution.P720, List.of(Aspect.LANDSCAPE), null, null, null,
                null, new LabelSpec(policy), language, null, 7L);
        int frames = (int) Math.round(seconds * FPS);
        return new ProvenanceRequest(id, "job-" + id, scene, new Timeline(seconds, FPS, frames, List.of(), List.of(new Shot(0, seconds, null))),
                new ModelInfo("parallax", "1.0.0", "parallax", "2.5D motion"));
    }

    static ProvenanceServiceImpl service(Map<String, Object> config) {
        return new ProvenanceServiceImpl(TestConfig.of(config), LabelFonts::systemFonts, new UnsignedC2pa(), new LumaWatermarker("label-test-key"));
    }

    /** Renders, labels and encodes a clip through the service and the compositor; {@code overlay} draws on the frames first. */
    static Path clip(ProvenanceServiceImpl s, ProvenanceRequest r, String name, java.util.function.Consumer<RgbImage> overlay) {
        Path out = dir.resolve(name + ".mp4");
        Timeline t = r.timeline();
        float[] voice = voice(new Random(3), t.duration());
        AudioBuffer audio = s.labelAudio(r, new AudioBuffer(48_000, 1, voice));
        FrameLabeler labeler = s.frameLabeler(r, W, H);
        try (EncodeSession e = compositor.open(new EncodeRequest(out, W, H, t, audio, s.implicitMetadata(r)))) {
            for (int i = 0; i < t.frameCount(); i++) {
                RgbImage f = frame(i);
                if (overlay != null) overlay.accept(f);
                e.write(labeler.apply(i, f));
            }
            e.finish();
        }
        return out;
    }

    /** A pan over the harbour picture (moves 3 px right and 1 px down per frame). */
    static RgbImage frame(int i) {
        byte[] rgb = new byte[W * H * 3];
        int ox = (3 * i) % (BW - W);
        int oy = i % (BH - H);
        for (int y = 0; y < H; y++) System.arraycopy(base, ((y + oy) * BW + ox) * 3, rgb, y * W * 3, W * 3);
        return new RgbImage(W, H, rgb);
    }

    static LayerStatus layer(List<LayerStatus> v, String name) {
        return v.stream().filter(l -> l.layer().equals(name)).findFirst().orElseThrow();
    }

    static List<LayerStatus> verify(ProvenanceServiceImpl s, Path file) {
        long t0 = System.nanoTime();
        List<LayerStatus> v = s.verify(file);
        System.out.printf("%s (%d ms):%n", file.getFileName(), (System.nanoTime() - t0) / 1_000_000);
        for (LayerStatus l : v) if (!l.layer().equals("implicit-label")) System.out.println("  " + l.layer() + " " + l.state() + " " + l.detail() + " " + l.facts());
        return v;
    }

    /** The letter height (px) the labeller draws {@code text} at for {@code pct} of the 720 px short side. */
    static int labelPx(String text, double pct) {
        Font font = new LabelFonts(null, LabelFonts::systemFonts).fontFor(text);
        return io.kinora.provenance.internal.visible.VisibleLabeler.create(text, font, W, H, pct,
                io.kinora.provenance.internal.visible.Corner.TOP_RIGHT, FPS, 2, true).sprite().textPx();
    }

    static void assertLabel(LayerStatus l, String text, String corner, boolean persistent) {
        assertLabel(l, text, corner, persistent, 6.0);
    }

    static void assertLabel(LayerStatus l, String text, String corner, boolean persistent, double pct) {
        assertEquals(LayerStatus.State.PRESENT, l.state(), l.detail());
        assertTrue(l.present());
        assertEquals(text, l.facts().get("text"), l.detail());
        assertEquals(corner, l.facts().get("corner"), l.detail());
        int px = Integer.parseInt(l.facts().get("heightPx"));
        assertEquals(labelPx(text, pct), px, 1, "the letter height drawn: " + l.detail());
        assertTrue(Double.parseDouble(l.facts().get("heightPercent")) >= pct, l.detail());
        assertEquals("meets the 5 % height and 2 s rules", l.facts().get("gb45438"), l.detail());
        assertEquals(String.valueOf(persistent), l.facts().get("persistent"), l.detail());
        double shown = Double.parseDouble(l.facts().get("shownSeconds"));
        if (persistent) assertEquals(SECONDS, shown, 0.5 + 1e-9, l.detail());
        else assertEquals(2.0, shown, 1e-9, "the opening is exactly 48 frames at 24 fps: " + l.detail());
        assertTrue(Double.parseDouble(l.facts().get("confidence")) > 0.5, l.detail());
    }

    static void assertCue(LayerStatus a) {
        assertEquals(LayerStatus.State.PRESENT, a.state(), a.detail());
        assertEquals(120.0, Double.parseDouble(a.facts().get("unitMs")), 6.0, a.detail());
        assertTrue(Math.abs(Double.parseDouble(a.facts().get("start"))) < 0.03, a.detail());
    }

    @Test
    void chinaLabelAndCueAreFoundAlsoAfterCrf28AndAac64() throws Exception {
        ProvenanceServiceImpl s = service(Map.of());
        Path file = clip(s, request("cn-1", "cn", "en", SECONDS), "cn", null);
        verify(s, file); // warm-up: natives, JIT, templates (a running service)
        List<LayerStatus> v = verify(s, file);
        assertLabel(layer(v, "visible-label"), "AI生成", "top-right", true);
        assertCue(layer(v, "audio-label"));
        assertEquals(LayerStatus.State.PRESENT, layer(v, "watermark").state(), layer(v, "watermark").detail());

        Path crf = reencode(file, "cn-crf28");
        List<LayerStatus> v2 = verify(s, crf);
        assertLabel(layer(v2, "visible-label"), "AI生成", "top-right", true);
        assertCue(layer(v2, "audio-label"));
    }

    @TempDir
    static Path caDir;

    /** Sealed with the real signer: the manifest records the label, and verify says the pixels agree. */
    @Test
    void theSignedManifestRecordsTheLabelAndVerifyComparesIt() {
        ProvenanceServiceImpl s = new ProvenanceServiceImpl(TestConfig.of(Map.of("labelCorner", "bottom-right")), LabelFonts::systemFonts,
                caDir.resolve("ca"), new LumaWatermarker("label-test-key"));
        ProvenanceRequest r = request("sealed-1", "cn", "en", SECONDS);
        Path file = clip(s, r, "sealed", null);
        s.seal(file, r);
        List<LayerStatus> v = verify(s, file);
        LayerStatus c = layer(v, "c2pa");
        assertEquals(LayerStatus.State.VALID, c.state(), c.detail());
        String rec = c.facts().get("labels");
        assertNotNull(rec, c.facts().toString());
        assertTrue(rec.contains("\"text\":\"AI生成\"") && rec.contains("\"corner\":\"bottom-right\"") && rec.contains("\"audioCue\":true"), rec);
        LayerStatus l = layer(v, "visible-label");
        assertLabel(l, "AI生成", "bottom-right", true);
        assertEquals("true", l.facts().get("matchesManifest"), l.detail());
        assertTrue(l.detail().endsWith("as the signed manifest records"), l.detail());
        assertCue(layer(v, "audio-label"));
    }

    @Test
    void chinaLabelOnlyInTheOpeningLastsTwoSeconds() {
        ProvenanceServiceImpl s = service(Map.of("cnPersistentLabel", false, "labelCorner", "bottom-left"));
        Path file = clip(s, request("cn-2", "cn", "zh", SECONDS), "cn-opening", null);
        List<LayerStatus> v = verify(s, file);
        assertLabel(layer(v, "visible-label"), "AI生成", "bottom-left", false);
    }

    @Test
    void euNoticeInTheSceneLanguageIsFoundAlsoAfterCrf28() throws Exception {
        ProvenanceServiceImpl s = service(Map.of("labelCorner", "bottom-right"));
        Path file = clip(s, request("eu-1", "eu", "de", SECONDS), "eu-de", null);
        List<LayerStatus> v = verify(s, file);
        assertLabel(layer(v, "visible-label"), "KI-generiert", "bottom-right", true);
        assertEquals(LayerStatus.State.ABSENT, layer(v, "audio-label").state(), "eu has no audio cue: " + layer(v, "audio-label").detail());
        List<LayerStatus> v2 = verify(s, reencode(file, "eu-crf28"));
        assertLabel(layer(v2, "visible-label"), "KI-generiert", "bottom-right", true);

        Path en = clip(s, request("eu-2", "eu", "en-GB", SECONDS), "eu-en", null);
        assertLabel(layer(verify(s, en), "visible-label"), "AI-generated", "bottom-right", true);
    }

    @Test
    void aLargerConfiguredLabelIsFoundByTheSearch() {
        // verify runs with the defaults (6 %, top-right) and still finds a 9 % label in the top-left corner
        ProvenanceServiceImpl labeller = service(Map.of("labelHeightPercent", 9.0, "labelCorner", "top-left"));
        Path file = clip(labeller, request("eu-3", "eu", "fr", SECONDS), "eu-fr-9", null);
        LayerStatus l = layer(verify(service(Map.of()), file), "visible-label");
        assertEquals(LayerStatus.State.PRESENT, l.state(), l.detail());
        assertEquals("Généré par IA", l.facts().get("text"));
        assertEquals("top-left", l.facts().get("corner"));
        assertEquals(labelPx("Généré par IA", 9.0), Integer.parseInt(l.facts().get("heightPx")), l.detail());
    }

    @Test
    void unlabelledClipsHaveNoLabelEvenWithTextInACorner() {
        ProvenanceServiceImpl s = service(Map.of());
        Path plain = clip(s, request("none-1", "none", "en", SECONDS), "none", null);
        List<LayerStatus> v = verify(s, plain);
        assertEquals(LayerStatus.State.ABSENT, layer(v, "visible-label").state(), layer(v, "visible-label").detail());
        assertFalse(layer(v, "visible-label").present());
        assertEquals(LayerStatus.State.ABSENT, layer(v, "audio-label").state(), layer(v, "audio-label").detail());
        // the unlabelled pass stops after the opening
        assertTrue(Double.parseDouble(layer(v, "visible-label").facts().get("checkedSeconds")) <= 2.1, layer(v, "visible-label").facts().toString());

        // a broadcaster's bug and a caption on dark plates where Kinora's label would sit, and white text without a plate
        Path captions = clip(s, request("none-2", "none", "en", SECONDS), "none-captions", f -> {
            draw(f, "LIVE  AI news", 40, W - 420, 25, true);
            draw(f, "生日快乐", 44, 25, 25, true);
            draw(f, "Generated by hand", 40, 25, H - 90, false);
            draw(f, "KI 2026", 44, W - 300, H - 90, true);
        });
        List<LayerStatus> v2 = verify(s, captions);
        assertEquals(LayerStatus.State.ABSENT, layer(v2, "visible-label").state(), layer(v2, "visible-label").detail());
    }

    /** White anti-aliased text at (x, y) (top-left of the box), optionally on a dark plate like Kinora's. */
    static void draw(RgbImage f, String text, int px, int x, int y, boolean plate) {
        Font font = new io.kinora.provenance.internal.visible.LabelFonts(null, LabelFonts::systemFonts).fontFor(text).deriveFont((float) px);
        BufferedImage img = new BufferedImage(f.width(), f.height(), BufferedImage.TYPE_3BYTE_BGR);
        byte[] bgr = ((java.awt.image.DataBufferByte) img.getRaster().getDataBuffer()).getData();
        byte[] rgb = f.rgb();
        for (int i = 0; i < rgb.length; i += 3) {
            bgr[i] = rgb[i + 2];
            bgr[i + 1] = rgb[i + 1];
            bgr[i + 2] = rgb[i];
        }
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setFont(font);
        int tw = g.getFontMetrics().stringWidth(text);
        if (plate) {
            g.setColor(new Color(0, 0, 0, 170));
            g.fillRoundRect(x, y, tw + px, (int) (px * 1.7), 20, 20);
        }
        g.setColor(Color.WHITE);
        g.drawString(text, x + px / 2, y + (int) (px * 1.25));
        g.dispose();
        for (int i = 0; i < rgb.length; i += 3) {
            rgb[i] = bgr[i + 2];
            rgb[i + 1] = bgr[i + 1];
            rgb[i + 2] = bgr[i];
        }
    }

    /** As a publishing platform: libx264 CRF 28, AAC 64 kbit/s (/usr/bin/ffmpeg). */
    static Path reencode(Path in, String name) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/ffmpeg")), "SKIPPED: /usr/bin/ffmpeg is not installed");
        Path out = dir.resolve(name + ".mp4");
        Process p = new ProcessBuilder("/usr/bin/ffmpeg", "-v", "error", "-nostdin", "-y", "-i", in.toString(), "-c:v", "libx264", "-preset", "veryfast",
                "-crf", "28", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "64k", out.toString()).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "ffmpeg hangs");
        assertEquals(0, p.exitValue(), log);
        return out;
    }

    static Compositor compositor() {
        BundleContext context = (BundleContext) Proxy.newProxyInstance(BundleContext.class.getClassLoader(),
                new Class<?>[]{BundleContext.class}, (p, m, a) -> null);
        CompositorImpl.Config config = (CompositorImpl.Config) Proxy.newProxyInstance(CompositorImpl.Config.class.getClassLoader(),
                new Class<?>[]{CompositorImpl.Config.class}, (p, m, a) -> m.getDefaultValue());
        return new CompositorImpl(context, config);
    }

    /** The sample harbour picture (or, without the samples folder, a synthetic scene) at w x h, RGB. */
    static byte[] picture(int w, int h) throws Exception {
        Path png = Path.of("../../samples/harbour.png").toAbsolutePath().normalize();
        BufferedImage big = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = big.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        if (Files.exists(png)) {
            g.drawImage(ImageIO.read(png.toFile()), 0, 0, w, h, null);
        } else {
            Random r = new Random(5);
            for (int k = 0; k < 300; k++) {
                g.setColor(new Color(r.nextInt(256), r.nextInt(256), r.nextInt(256)));
                g.fillOval(r.nextInt(w), r.nextInt(h), 20 + r.nextInt(200), 20 + r.nextInt(200));
            }
        }
        g.dispose();
        byte[] bgr = ((java.awt.image.DataBufferByte) big.getRaster().getDataBuffer()).getData();
        byte[] rgb = new byte[bgr.length];
        for (int i = 0; i < bgr.length; i += 3) {
            rgb[i] = bgr[i + 2];
            rgb[i + 1] = bgr[i + 1];
            rgb[i + 2] = bgr[i];
        }
        return rgb;
    }

    /** Voice-like sound: harmonics of a gliding fundamental with a syllable envelope and breath noise. */
    static float[] voice(Random r, double seconds) {
        int n = (int) Math.round(48_000 * seconds);
        float[] s = new float[n];
        double ph = 0;
        for (int i = 0; i < n; i++) {
            double t = i / 48_000.0;
            ph += 2 * Math.PI * (160 + 40 * Math.sin(2 * Math.PI * 0.6 * t)) / 48_000;
            double v = 0;
            for (int k = 1; k <= 14; k++) v += Math.sin(k * ph) / k;
            s[i] = (float) (0.16 * Math.max(0, Math.sin(2 * Math.PI * 3.3 * t)) * v + 0.01 * r.nextGaussian());
        }
        return s;
    }

}
