package io.kinora.provenance.internal.watermark;

import io.kinora.api.media.RgbImage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The luma watermark through real H.264: a 2 s pan over the harbour sample photo at 1280x720, marked, published at
 * CRF 18, then attacked with FFmpeg (re-encode CRF 28, 0.5x downscale, 10 % off-centre crop, all combined).
 * Measures luma PSNR and checks that unmarked clips are never reported as marked.
 */
class WatermarkRobustnessTest {
    static final Path FFMPEG = Path.of("/usr/bin/ffmpeg");
    static final Path PHOTO = Path.of("../../samples/harbour.png").toAbsolutePath().normalize();
    static final int W = 1280;
    static final int H = 720;
    static final int FRAMES = 72;
    static final long PAYLOAD = 0x1234_5678_9abc_def0L;
    static final LumaMark MARK = new LumaMark("test-key");
    @TempDir
    static Path dir;
    static byte[] photo; // RGB, 1400x800 so the pan has room
    static Path marked;
    static Path plain;

    @BeforeAll
    static void publish() throws Exception {
        assumeTrue(Files.isExecutable(FFMPEG), "SKIPPED: /usr/bin/ffmpeg is not installed");
        assumeTrue(Files.exists(PHOTO), "SKIPPED: samples/harbour.png not found");
        photo = run(List.of(FFMPEG.toString(), "-v", "error", "-i", PHOTO.toString(), "-vf", "scale=1400:800", "-f", "rawvideo", "-pix_fmt", "rgb24", "-"), null);
        assertEquals(1400 * 800 * 3, photo.length);
        marked = encode(dir.resolve("marked.mp4"), true);
        plain = encode(dir.resolve("plain.mp4"), false);
    }

    static RgbImage frame(int i) {
        byte[] rgb = new byte[W * H * 3];
        int ox = i;
        int oy = i / 2;
        for (int y = 0; y < H; y++) System.arraycopy(photo, ((y + oy) * 1400 + ox) * 3, rgb, y * W * 3, W * 3);
        return new RgbImage(W, H, rgb);
    }

    static Path encode(Path out, boolean mark) throws Exception {
        LumaEmbedder e = new LumaEmbedder(MARK, PAYLOAD, W, H);
        ByteArrayOutputStreamEx raw = new ByteArrayOutputStreamEx();
        for (int i = 0; i < FRAMES; i++) {
            RgbImage f = frame(i);
            raw.write(mark ? e.apply(f).rgb() : f.rgb());
        }
        run(List.of(FFMPEG.toString(), "-v", "error", "-y", "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", W + "x" + H, "-r", "24", "-i", "-",
                "-c:v", "libx264", "-preset", "veryfast", "-crf", "18", "-pix_fmt", "yuv420p", out.toString()), raw.toByteArray());
        return out;
    }

    static Path attack(Path in, String name, String vf, int crf) throws Exception {
        Path out = dir.resolve(name + ".mp4");
        List<String> cmd = new ArrayList<>(List.of(FFMPEG.toString(), "-v", "error", "-y", "-i", in.toString()));
        if (vf != null) {
            cmd.add("-vf");
            cmd.add(vf);
        }
        cmd.addAll(List.of("-c:v", "libx264", "-preset", "veryfast", "-crf", String.valueOf(crf), "-pix_fmt", "yuv420p", out.toString()));
        run(cmd, null);
        return out;
    }

    static LumaDetector.Detection detect(Path file) throws Exception {
        String probe = new String(run(List.of(FFMPEG.toString().replace("ffmpeg", "ffprobe"), "-v", "error", "-select_streams", "v:0",
                "-show_entries", "stream=width,height", "-of", "csv=p=0", file.toString()), null)).trim();
        String[] wh = probe.split(",");
        int w = Integer.parseInt(wh[0]);
        int h = Integer.parseInt(wh[1]);
        byte[] y = run(List.of(FFMPEG.toString(), "-v", "error", "-i", file.toString(), "-f", "rawvideo", "-pix_fmt", "gray", "-"), null);
        LumaDetector d = new LumaDetector(MARK);
        long t0 = System.nanoTime();
        for (int off = 0; off + w * h <= y.length; off += w * h) d.add(java.util.Arrays.copyOfRange(y, off, off + w * h), w, h);
        LumaDetector.Detection r = d.detect();
        int right = 0;
        boolean[] want = Convolutional.encode(Payload.encode(PAYLOAD));
        if (d.lastCode != null) for (int i = 0; i < want.length; i++) if (d.lastCode[i] == want[i]) right++;
        System.out.printf("%-28s %dx%d z=%.1f scale=%.2f found=%s corrected=%d raw bits %d/%d (%d ms)%n", file.getFileName(), w, h, r.syncZ(), r.scale(),
                r.found(), r.corrected(), right, want.length, (System.nanoTime() - t0) / 1_000_000);
        return r;
    }

    @Test
    void survivesReencodeAndCropAndNeverMisreads() throws Exception {
        List<LumaDetector.Detection> all = new ArrayList<>();
        all.add(detect(marked));
        all.add(detect(attack(marked, "crf28", null, 28)));
        all.add(detect(attack(marked, "crop-crf28", "crop=1152:648:37:53", 28)));
        all.add(detect(attack(marked, "half-crf28", "scale=640:360", 28)));
        all.add(detect(attack(marked, "crop-half-crf28", "crop=1152:648:37:53,scale=576:324", 28)));
        all.forEach(WatermarkRobustnessTest::assertFound);
    }

    @Test
    void unmarkedClipsAreNeverReportedAsMarked() throws Exception {
        for (Path p : List.of(plain, attack(plain, "plain-half", "scale=640:360", 28), attack(plain, "plain-crop", "crop=1152:648:37:53", 28))) {
            LumaDetector.Detection d = detect(p);
            assertFalse(d.found(), p + ": " + d);
            assertNull(d.payload());
        }
        // a marked clip read with another key is unmarked to that key
        LumaDetector other = new LumaDetector(new LumaMark("another-key"));
        for (int i = 0; i < 10; i++) other.add(luma(new LumaEmbedder(MARK, PAYLOAD, W, H).apply(frame(i))), W, H);
        assertFalse(other.detect().found());
    }

    @Test
    void lumaPsnrIsAtLeast40dB() {
        LumaEmbedder e = new LumaEmbedder(MARK, PAYLOAD, W, H);
        double se = 0;
        long n = 0;
        for (int i = 0; i < FRAMES; i += 8) {
            byte[] a = luma(frame(i));
            byte[] b = luma(e.apply(frame(i)));
            for (int k = 0; k < a.length; k++) {
                double d = (a[k] & 0xff) - (b[k] & 0xff);
                se += d * d;
            }
            n += a.length;
        }
        double psnr = 10 * Math.log10(255.0 * 255.0 / (se / n));
        System.out.printf("luma PSNR %.2f dB%n", psnr);
        assertTrue(psnr >= 40.0, "PSNR " + psnr);
    }

    static byte[] luma(RgbImage f) {
        byte[] rgb = f.rgb();
        byte[] y = new byte[f.width() * f.height()];
        for (int i = 0; i < y.length; i++) {
            y[i] = (byte) Math.round(0.299 * (rgb[3 * i] & 0xff) + 0.587 * (rgb[3 * i + 1] & 0xff) + 0.114 * (rgb[3 * i + 2] & 0xff));
        }
        return y;
    }

    static void assertFound(LumaDetector.Detection d) {
        assertTrue(d.found(), d.toString());
        assertEquals(PAYLOAD, d.payload(), d.toString());
    }

    static byte[] run(List<String> cmd, byte[] stdin) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        Thread feeder = null;
        if (stdin != null) {
            feeder = new Thread(() -> {
                try (OutputStream o = p.getOutputStream()) {
                    o.write(stdin);
                } catch (IOException ignored) {
                    // ffmpeg exited early; its exit code tells
                }
            });
            feeder.start();
        } else {
            p.getOutputStream().close();
        }
        byte[] out;
        try (InputStream in = p.getInputStream()) {
            out = in.readAllBytes();
        }
        assertTrue(p.waitFor(300, TimeUnit.SECONDS));
        if (feeder != null) feeder.join();
        assertEquals(0, p.exitValue(), "ffmpeg failed: " + cmd);
        return out;
    }

    static final class ByteArrayOutputStreamEx extends java.io.ByteArrayOutputStream {
        ByteArrayOutputStreamEx() {
            super(W * H * 3 * FRAMES);
        }

        @Override
        public void write(byte[] b) {
            write(b, 0, b.length);
        }
    }
}
