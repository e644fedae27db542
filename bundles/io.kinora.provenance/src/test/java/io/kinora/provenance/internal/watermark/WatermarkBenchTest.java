package io.kinora.provenance.internal.watermark;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.kinora.api.compositor.Compositor;
import io.kinora.api.compositor.EncodeRequest;
import io.kinora.api.compositor.EncodeSession;
import io.kinora.api.media.AudioBuffer;
import io.kinora.api.media.RgbImage;
import io.kinora.api.provenance.FrameLabeler;
import io.kinora.api.provenance.LayerStatus;
import io.kinora.api.provenance.ProvenanceRequest;
import io.kinora.api.timeline.Shot;
import io.kinora.api.timeline.Timeline;
import io.kinora.compositor.internal.CompositorImpl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;

import javax.imageio.ImageIO;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.File;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Issue 6's watermark figures, measured in one run (opt-in: {@code -Dkinora.bench=true}):
 * <ul>
 * <li>embedding cost against the real encoder: the same 10 s of 1280x720 frames (a pan over the sample harbour
 * picture) and sound go through the compositor's {@code Mp4EncodeSession} (its defaults: libopenh264, 0.12 bit per
 * pixel, AAC 192 kbit/s) without and with the watermarks (picture: {@link LumaWatermarker#frameMarker}, sound:
 * {@link LumaWatermarker#markAudio}); passes alternate (plain, marked, plain, marked) after a warm-up, so load
 * changes hit both;</li>
 * <li>detection of both marks in that 10 s clip by {@link LumaWatermarker#detect} (what verify runs): warm, in
 * this process, and cold, the first call in a fresh JVM (FFmpeg natives loaded, classes and JIT cold); on the
 * marked clip and on the same clip unmarked (no early stop possible).</li>
 * </ul>
 * Writes {@code bench-results/watermark.json} and {@code bench-results/watermark.md} at the repository root.
 * {@code mvn -B -q -o test -pl bundles/io.kinora.provenance -Dtest=WatermarkBenchTest -Dkinora.bench=true}
 */
@EnabledIfSystemProperty(named = "kinora.bench", matches = "true")
class WatermarkBenchTest {
    static final int W = 1280;
    static final int H = 720;
    static final int FPS = 24;
    static final int FRAMES = 240; // 10 s
    static final String KEY = "bench-key";

    @TempDir
    Path dir;

    /**
     * One pass: wall-clock times, and CPU times (the embed runs on this thread: its thread CPU time; the encoder
     * also uses FFmpeg's threads: the process CPU time spent while write() and finish() run), which the other
     * builds on a shared machine disturb much less than wall-clock times.
     */
    record Pass(boolean marked, int frames, double embedMs, double audioMarkMs, double encodeMs, double wallMs,
                double embedCpuMs, double audioCpuMs, double encodeCpuMs) {
        double embedPerFrame() { return embedMs / frames; }
        double encodePerFrame() { return encodeMs / frames; }
        double embedCpuPerFrame() { return embedCpuMs / frames; }
        double encodeCpuPerFrame() { return encodeCpuMs / frames; }
    }

    static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();
    static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();

    @Test
    void embedCostAndDetectionTime() throws Exception {
        String loadBefore = loadAverage();
        Compositor compositor = compositor();
        byte[] base = baseImage(W + 240, H + 135);
        float[] sound = sound(FRAMES / (double) FPS);

        // warm-up (natives, JIT) with short clips, both paths
        encode(compositor, base, sound, 48, false, dir.resolve("warm-plain.mp4"));
        encode(compositor, base, sound, 48, true, dir.resolve("warm-marked.mp4"));
        List<Pass> passes = new ArrayList<>();
        Path plainFile = dir.resolve("plain.mp4");
        Path markedFile = dir.resolve("marked.mp4");
        for (int round = 0; round < 3; round++) {
            passes.add(encode(compositor, base, sound, FRAMES, false, plainFile));
            passes.add(encode(compositor, base, sound, FRAMES, true, markedFile));
        }
        double plainEncode = passes.stream().filter(p -> !p.marked()).mapToDouble(Pass::encodePerFrame).average().orElseThrow();
        double markedEncode = passes.stream().filter(Pass::marked).mapToDouble(Pass::encodePerFrame).average().orElseThrow();
        double embed = passes.stream().filter(Pass::marked).mapToDouble(Pass::embedPerFrame).average().orElseThrow();
        double audioPerFrame = passes.stream().filter(Pass::marked).mapToDouble(p -> p.audioMarkMs() / p.frames()).average().orElseThrow();
        double plainWall = passes.stream().filter(p -> !p.marked()).mapToDouble(Pass::wallMs).average().orElseThrow();
        double markedWall = passes.stream().filter(Pass::marked).mapToDouble(Pass::wallMs).average().orElseThrow();
        double ratio = (embed + audioPerFrame) / plainEncode;
        double embedCpu = passes.stream().filter(Pass::marked).mapToDouble(Pass::embedCpuPerFrame).average().orElseThrow();
        double audioCpu = passes.stream().filter(Pass::marked).mapToDouble(p -> p.audioCpuMs() / p.frames()).average().orElseThrow();
        double plainEncodeCpu = passes.stream().filter(p -> !p.marked()).mapToDouble(Pass::encodeCpuPerFrame).average().orElseThrow();
        double markedEncodeCpu = passes.stream().filter(Pass::marked).mapToDouble(Pass::encodeCpuPerFrame).average().orElseThrow();
        double cpuRatio = (embedCpu + audioCpu) / plainEncodeCpu;

        // detection: cold (fresh JVM, first call), then warm in this process
        Map<String, Object> cold = coldDetect(markedFile);
        LumaWatermarker wm = new LumaWatermarker(KEY);
        wm.detect(markedFile);
        wm.detect(plainFile);
        double[] warmMarked = new double[5];
        double[] warmPlain = new double[5];
        LayerStatus marked = null;
        LayerStatus plain = null;
        for (int i = 0; i < warmMarked.length; i++) {
            long t0 = System.nanoTime();
            marked = wm.detect(markedFile);
            warmMarked[i] = (System.nanoTime() - t0) / 1e6;
            t0 = System.nanoTime();
            plain = wm.detect(plainFile);
            warmPlain[i] = (System.nanoTime() - t0) / 1e6;
        }
        String payload = Payload.hex(Payload.forContent("bench-content"));
        assertEquals(LayerStatus.State.PRESENT, marked.state(), marked.detail());
        assertEquals(payload, marked.facts().get("picturePayload"), marked.detail());
        assertEquals(payload, marked.facts().get("audioPayload"), marked.detail());
        assertEquals(LayerStatus.State.ABSENT, plain.state(), plain.detail());

        Map<String, Object> out = new LinkedHashMap<>();
        out.put("machine", Map.of("processors", Runtime.getRuntime().availableProcessors(), "loadAverageBefore", loadBefore,
                "loadAverageAfter", loadAverage(), "java", System.getProperty("java.version")));
        out.put("clip", Map.of("width", W, "height", H, "fps", FPS, "frames", FRAMES, "seconds", FRAMES / (double) FPS,
                "encoder", "io.kinora.compositor Mp4EncodeSession, defaults (libopenh264, 0.12 bit/pixel, AAC 192 kbit/s)"));
        List<Map<String, Object>> ps = new ArrayList<>();
        for (Pass p : passes) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("marked", p.marked());
            m.put("encodeMsPerFrame", round(p.encodePerFrame()));
            m.put("embedMsPerFrame", round(p.embedPerFrame()));
            m.put("audioMarkMs", round(p.audioMarkMs()));
            m.put("wallMs", round(p.wallMs()));
            m.put("encodeCpuMsPerFrame", round(p.encodeCpuPerFrame()));
            m.put("embedCpuMsPerFrame", round(p.embedCpuPerFrame()));
            m.put("audioMarkCpuMs", round(p.audioCpuMs()));
            ps.add(m);
        }
        out.put("passes", ps);
        Map<String, Object> emb = new LinkedHashMap<>();
        emb.put("pictureEmbedMsPerFrame", round(embed));
        emb.put("audioEmbedMsPerFrame", round(audioPerFrame));
        emb.put("encodeMsPerFrameUnmarked", round(plainEncode));
        emb.put("encodeMsPerFrameMarked", round(markedEncode));
        emb.put("embedToEncodeRatio", round(ratio));
        emb.put("pictureEmbedCpuMsPerFrame", round(embedCpu));
        emb.put("audioEmbedCpuMsPerFrame", round(audioCpu));
        emb.put("encodeCpuMsPerFrameUnmarked", round(plainEncodeCpu));
        emb.put("encodeCpuMsPerFrameMarked", round(markedEncodeCpu));
        emb.put("embedToEncodeCpuRatio", round(cpuRatio));
        emb.put("wallClockIncrease", round((markedWall - plainWall) / plainWall));
        emb.put("target", "<= 0.10");
        out.put("embedding", emb);
        Map<String, Object> det = new LinkedHashMap<>();
        det.put("warmMarkedMs", median(warmMarked));
        det.put("warmMarkedMaxMs", Arrays.stream(warmMarked).max().orElseThrow());
        det.put("warmUnmarkedMs", median(warmPlain));
        det.put("warmUnmarkedMaxMs", Arrays.stream(warmPlain).max().orElseThrow());
        det.put("cold", cold);
        det.put("markedFacts", marked.facts());
        det.put("unmarkedFacts", plain.facts());
        det.put("target", "< 2000 ms for a 10 s clip");
        out.put("detection", det);
        Path results = repositoryRoot().resolve("bench-results");
        Files.createDirectories(results);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(results.resolve("watermark.json").toFile(), out);
        String md = String.format(Locale.ROOT, """
                        # Watermark benchmark (WatermarkBenchTest)

                        %d processors, load average %s before, %s after; Java %s.
                        Clip: %dx%d, %d fps, %d frames (%.0f s), encoded by the compositor's Mp4EncodeSession with its defaults.

                        ## Embedding vs encoding (same frames and sound; passes alternate plain / marked)

                        | figure | value |
                        |---|---|
                        | picture embed, ms per frame | %.2f |
                        | sound embed (whole mix), ms per frame of video | %.2f |
                        | encode (RGB->YUV, H.264, AAC, mux), ms per frame, unmarked | %.2f |
                        | encode, ms per frame, marked | %.2f |
                        | **embed / encode** (wall clock) | **%.1f %%** (target <= 10 %%) |
                        | wall clock of a marked pass vs an unmarked one | %+.1f %% |
                        | picture embed, CPU ms per frame (this thread) | %.2f |
                        | sound embed, CPU ms per frame of video | %.2f |
                        | encode, CPU ms per frame (all threads), unmarked / marked | %.2f / %.2f |
                        | **embed / encode** (CPU time) | **%.1f %%** |

                        ## Detection in the 10 s clip (LumaWatermarker.detect: decode + picture + sound)

                        | case | ms |
                        |---|---|
                        | warm, marked clip (median of 5) | %.0f |
                        | warm, unmarked clip (median of 5) | %.0f |
                        | cold: first call in a fresh JVM, marked clip | %s |
                        | cold: fresh JVM process, start to result | %s |

                        Marked: %s
                        """, Runtime.getRuntime().availableProcessors(), loadBefore, loadAverage(), System.getProperty("java.version"),
                W, H, FPS, FRAMES, FRAMES / (double) FPS, embed, audioPerFrame, plainEncode, markedEncode, 100 * ratio,
                100 * (markedWall - plainWall) / plainWall, embedCpu, audioCpu, plainEncodeCpu, markedEncodeCpu, 100 * cpuRatio,
                median(warmMarked), median(warmPlain), cold.get("firstDetectMs"),
                cold.get("processMs"), marked.detail());
        Files.writeString(results.resolve("watermark.md"), md);
        System.out.println(md);
    }

    private Pass encode(Compositor c, byte[] base, float[] sound, int frames, boolean mark, Path file) {
        int bw = W + 240;
        int bh = H + 135;
        Timeline t = new Timeline(frames / (double) FPS, FPS, frames, List.of(), List.of(new Shot(0, frames / (double) FPS, null)));
        float[] pcm = Arrays.copyOf(sound, frames * 48_000 / FPS * 2);
        AudioBuffer audio = new AudioBuffer(48_000, 2, pcm);
        LumaWatermarker wm = new LumaWatermarker(KEY);
        ProvenanceRequest req = new ProvenanceRequest("bench-content", "bench-job", null, null, null);
        long wall0 = System.nanoTime();
        long audioNanos = 0;
        long audioCpu = 0;
        if (mark) {
            long a0 = System.nanoTime();
            long c0 = THREADS.getCurrentThreadCpuTime();
            audio = wm.markAudio(req, audio);
            audioCpu = THREADS.getCurrentThreadCpuTime() - c0;
            audioNanos = System.nanoTime() - a0;
        }
        FrameLabeler marker = mark ? wm.frameMarker(req, W, H) : null;
        byte[] px = new byte[W * H * 3];
        RgbImage frame = new RgbImage(W, H, px);
        long embedNanos = 0;
        long encodeNanos = 0;
        long embedCpu = 0;
        long encodeCpu = 0;
        try (EncodeSession s = c.open(new EncodeRequest(file, W, H, t, audio, Map.of()))) {
            for (int i = 0; i < frames; i++) {
                int ox = i % (bw - W);
                int oy = (i / 2) % (bh - H);
                for (int y = 0; y < H; y++) System.arraycopy(base, ((y + oy) * bw + ox) * 3, px, y * W * 3, W * 3);
                long c0 = THREADS.getCurrentThreadCpuTime();
                long t0 = System.nanoTime();
                if (marker != null) marker.apply(i, frame);
                long t1 = System.nanoTime();
                long c1 = THREADS.getCurrentThreadCpuTime();
                long p1 = OS.getProcessCpuTime();
                s.write(frame);
                long p2 = OS.getProcessCpuTime();
                long t2 = System.nanoTime();
                embedNanos += t1 - t0;
                encodeNanos += t2 - t1;
                embedCpu += c1 - c0;
                encodeCpu += p2 - p1;
            }
            long t0 = System.nanoTime();
            long p0 = OS.getProcessCpuTime();
            s.finish();
            encodeCpu += OS.getProcessCpuTime() - p0;
            encodeNanos += System.nanoTime() - t0;
        }
        return new Pass(mark, frames, embedNanos / 1e6, audioNanos / 1e6, encodeNanos / 1e6, (System.nanoTime() - wall0) / 1e6,
                embedCpu / 1e6, audioCpu / 1e6, encodeCpu / 1e6);
    }

    /** The real compositor service: its DS constructor, a context without kinora.work, the metatype defaults. */
    static Compositor compositor() {
        BundleContext context = (BundleContext) Proxy.newProxyInstance(BundleContext.class.getClassLoader(),
                new Class<?>[]{BundleContext.class}, (p, m, a) -> null);
        CompositorImpl.Config config = (CompositorImpl.Config) Proxy.newProxyInstance(CompositorImpl.Config.class.getClassLoader(),
                new Class<?>[]{CompositorImpl.Config.class}, (p, m, a) -> m.getDefaultValue());
        return new CompositorImpl(context, config);
    }

    /** The sample harbour picture at w x h (RGB), or a synthetic texture without the samples folder. */
    static byte[] baseImage(int w, int h) throws Exception {
        Path png = repositoryRoot().resolve("samples/harbour.png");
        byte[] rgb = new byte[w * h * 3];
        if (!Files.exists(png)) {
            RgbImage t = LumaWatermarkerTest.textured(w, h, 3);
            return t.rgb();
        }
        BufferedImage src = ImageIO.read(png.toFile());
        BufferedImage big = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = big.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(src, 0, 0, w, h, null);
        g.dispose();
        byte[] bgr = ((java.awt.image.DataBufferByte) big.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < w * h; i++) {
            rgb[3 * i] = bgr[3 * i + 2];
            rgb[3 * i + 1] = bgr[3 * i + 1];
            rgb[3 * i + 2] = bgr[3 * i];
        }
        return rgb;
    }

    /** Voice-like stereo sound (the null test's generator), interleaved. */
    static float[] sound(double seconds) {
        float[] mono = NullDistributionTest.voice(new Random(7), seconds);
        float[] st = new float[mono.length * 2];
        for (int i = 0; i < mono.length; i++) {
            st[2 * i] = mono[i];
            st[2 * i + 1] = mono[i];
        }
        return st;
    }

    /** Runs {@link ColdDetect} in a fresh JVM with this test's class path. */
    private static Map<String, Object> coldDetect(Path file) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path")));
        String cache = System.getProperty(ClipDecoder.CACHEDIR_PROPERTY);
        if (cache != null) cmd.add(1, "-D" + ClipDecoder.CACHEDIR_PROPERTY + "=" + cache);
        cmd.addAll(List.of(ColdDetect.class.getName(), file.toString(), KEY));
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        double processMs = (System.nanoTime() - t0) / 1e6;
        assertEquals(0, p.exitValue(), output);
        Map<String, Object> m = new LinkedHashMap<>();
        for (String line : output.split("\n")) {
            if (line.startsWith("COLD ")) {
                String[] f = line.split(" ");
                m.put("firstDetectMs", Double.parseDouble(f[1]));
                m.put("secondDetectMs", Double.parseDouble(f[2]));
                m.put("state", f[3]);
            }
        }
        assertFalse(m.isEmpty(), output);
        m.put("processMs", round(processMs));
        return m;
    }

    static Path repositoryRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !(Files.isDirectory(p.resolve("bundles")) && Files.exists(p.resolve("pom.xml")))) p = p.getParent();
        return p == null ? Path.of("").toAbsolutePath() : p;
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (Exception e) {
            return "unknown";
        }
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return round(s[s.length / 2]);
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    /** The cold measurement, in its own JVM: the first and second detection of the watermark in a file. */
    public static final class ColdDetect {
        public static void main(String[] args) {
            File f = new File(args[0]);
            LumaWatermarker wm = new LumaWatermarker(args[1]);
            long t0 = System.nanoTime();
            LayerStatus s = wm.detect(f.toPath());
            double first = (System.nanoTime() - t0) / 1e6;
            t0 = System.nanoTime();
            wm.detect(f.toPath());
            double second = (System.nanoTime() - t0) / 1e6;
            System.out.println(String.format(Locale.ROOT, "COLD %.1f %.1f %s", first, second, s.state()));
        }
    }
}
