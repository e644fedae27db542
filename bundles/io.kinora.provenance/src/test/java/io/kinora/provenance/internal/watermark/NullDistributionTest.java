package io.kinora.provenance.internal.watermark;

import io.kinora.api.media.AudioBuffer;
import io.kinora.api.media.RgbImage;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * False positives: the detectors' sync statistics over unmarked inputs (deterministic seeds), the thresholds checked
 * against the measured null distribution, and no unmarked input ever reported as marked.
 *
 * <p>Picture, 240 unmarked clips of 4 frames: 60 synthetic textured pans, 60 random images (white and smoothed
 * noise at several grain sizes), 80 pans, crops and rescales of the sample pictures (harbour, bottle) at 1280x720,
 * 640x360 and 720x1280, and 40 clips marked with a different key. Sound, 200 unmarked 4 s clips: voice-like
 * sounds (random pitch, rate, noise), white/pink noise, chords, and sound marked with a different key.
 */
class NullDistributionTest {
    static final LumaMark MARK = new LumaMark("null-key");
    static final AudioMark AUDIO = new AudioMark("null-key");

    record Stats(int n, double mean, double sd, double max) {
        static Stats of(List<Double> v) {
            double m = v.stream().mapToDouble(d -> d).average().orElse(0);
            double s = Math.sqrt(v.stream().mapToDouble(d -> (d - m) * (d - m)).sum() / Math.max(1, v.size() - 1));
            return new Stats(v.size(), m, s, v.stream().mapToDouble(d -> d).max().orElse(0));
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "n=%d mean=%.2f sd=%.2f max=%.2f mean+6sd=%.2f", n, mean, sd, max, mean + 6 * sd);
        }
    }

    static byte[] picture(Path p, int w, int h) throws Exception {
        BufferedImage src = ImageIO.read(p.toFile());
        BufferedImage big = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = big.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(src, 0, 0, w, h, null);
        g.dispose();
        byte[] bgr = ((java.awt.image.DataBufferByte) big.getRaster().getDataBuffer()).getData();
        byte[] y = new byte[w * h];
        for (int i = 0; i < y.length; i++) {
            y[i] = (byte) Math.round(0.114 * (bgr[3 * i] & 0xff) + 0.587 * (bgr[3 * i + 1] & 0xff) + 0.299 * (bgr[3 * i + 2] & 0xff));
        }
        return y;
    }

    static byte[] window(byte[] src, int sw, int x0, int y0, int w, int h) {
        byte[] out = new byte[w * h];
        for (int y = 0; y < h; y++) System.arraycopy(src, (y + y0) * sw + x0, out, y * w, w);
        return out;
    }

    static byte[] noise(Random r, int w, int h, int grain) {
        int gw = w / grain + 2;
        int gh = h / grain + 2;
        double[] g = new double[gw * gh];
        for (int i = 0; i < g.length; i++) g[i] = r.nextGaussian();
        byte[] out = new byte[w * h];
        double amp = 20 + r.nextInt(40);
        int base = 60 + r.nextInt(120);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double fx = x / (double) grain;
                double fy = y / (double) grain;
                int x0 = (int) fx;
                int y0 = (int) fy;
                double tx = fx - x0;
                double ty = fy - y0;
                double v = (1 - ty) * ((1 - tx) * g[y0 * gw + x0] + tx * g[y0 * gw + x0 + 1]) + ty * ((1 - tx) * g[(y0 + 1) * gw + x0] + tx * g[(y0 + 1) * gw + x0 + 1]);
                out[y * w + x] = (byte) Math.max(0, Math.min(255, base + amp * v));
            }
        }
        return out;
    }

    @Test
    void pictureNullDistribution() throws Exception {
        List<Double> z = new ArrayList<>();
        int found = 0;
        Random r = new Random(20261125);
        List<byte[][]> clips = new ArrayList<>();
        List<int[]> sizes = new ArrayList<>();
        // 60 synthetic textured pans (640x360)
        for (int c = 0; c < 60; c++) {
            byte[][] f = new byte[4][];
            for (int i = 0; i < 4; i++) f[i] = WatermarkRobustnessTest.luma(LumaWatermarkerTest.textured(640, 360, c * 10L + i));
            clips.add(f);
            sizes.add(new int[]{640, 360});
        }
        // 60 random images: grain 1 (white), 2, 4, 8, 16, 32 px
        int[] grains = {1, 2, 4, 8, 16, 32};
        for (int c = 0; c < 60; c++) {
            byte[][] f = new byte[4][];
            for (int i = 0; i < 4; i++) f[i] = noise(r, 640, 360, grains[c % grains.length]);
            clips.add(f);
            sizes.add(new int[]{640, 360});
        }
        // 80 clips from the sample pictures: pans and crops at several sizes and scales
        Path samples = Path.of("../../samples").toAbsolutePath().normalize();
        List<Path> pics = new ArrayList<>();
        for (String n : new String[]{"harbour.png", "bottle.png"}) if (Files.exists(samples.resolve(n))) pics.add(samples.resolve(n));
        if (!pics.isEmpty()) {
            int[][] dims = {{1280, 720}, {640, 360}, {720, 1280}, {960, 540}};
            for (int c = 0; c < 80; c++) {
                int[] d = dims[c % dims.length];
                double s = 1.05 + 0.1 * (c / 8 % 5);
                int bw = (int) (d[0] * s) + 64;
                int bh = (int) (d[1] * s) + 64;
                byte[] big = picture(pics.get(c % pics.size()), bw, bh);
                byte[][] f = new byte[4][];
                int ox = r.nextInt(bw - d[0] - 40);
                int oy = r.nextInt(bh - d[1] - 40);
                for (int i = 0; i < 4; i++) f[i] = window(big, bw, ox + i * 3, oy + i * 2, d[0], d[1]);
                clips.add(f);
                sizes.add(d);
            }
        }
        // 40 clips marked with ANOTHER key (unmarked for this key)
        LumaMark other = new LumaMark("some-other-key");
        for (int c = 0; c < 40; c++) {
            LumaEmbedder e = new LumaEmbedder(other, r.nextLong(), 640, 360);
            byte[][] f = new byte[4][];
            for (int i = 0; i < 4; i++) f[i] = WatermarkRobustnessTest.luma(e.apply(LumaWatermarkerTest.textured(640, 360, 5000 + c * 10L + i)));
            clips.add(f);
            sizes.add(new int[]{640, 360});
        }
        for (int c = 0; c < clips.size(); c++) {
            LumaDetector d = new LumaDetector(MARK);
            for (byte[] f : clips.get(c)) d.add(f, sizes.get(c)[0], sizes.get(c)[1]);
            LumaDetector.Detection x = d.detect();
            z.add(x.syncZ());
            if (x.found()) found++;
        }
        Stats s = Stats.of(z);
        System.out.println("picture null distribution of the sync z over " + clips.size() + " unmarked clips: " + s + ", threshold " + LumaDetector.SYNC_Z);
        assertTrue(clips.size() >= 200, "at least 200 unmarked clips");
        assertEquals(0, found, "false positives");
        assertTrue(LumaDetector.SYNC_Z > s.max() + 0.5, "the threshold lies well above every unmarked clip: " + s);
        assertTrue(LumaDetector.SYNC_Z >= s.mean() + 5 * s.sd(), "the threshold lies >= 5 sd above the null mean: " + s);
    }

    static float[] voice(Random r, double seconds) {
        int n = (int) (48_000 * seconds);
        float[] s = new float[n];
        double f0 = 90 + r.nextDouble() * 200;
        double rate = 2 + r.nextDouble() * 4;
        double noise = r.nextDouble() * 0.05;
        double ph = 0;
        for (int i = 0; i < n; i++) {
            double t = i / 48_000.0;
            ph += 2 * Math.PI * f0 * (1 + 0.2 * Math.sin(2 * Math.PI * 0.5 * t)) / 48_000;
            double v = 0;
            for (int k = 1; k <= 15; k++) v += Math.sin(k * ph) / k;
            s[i] = (float) (0.15 * Math.max(0, Math.sin(2 * Math.PI * rate * t)) * v + noise * r.nextGaussian());
        }
        return s;
    }

    @Test
    void soundNullDistribution() {
        Random r = new Random(451);
        List<Double> z = new ArrayList<>();
        int found = 0;
        AudioMark other = new AudioMark("some-other-key");
        int n = 200;
        for (int c = 0; c < n; c++) {
            float[] s;
            switch (c % 5) {
                case 0, 1 -> s = voice(r, 4);
                case 2 -> { // white or pink-ish noise
                    s = new float[48_000 * 4];
                    double lp = 0;
                    boolean pink = r.nextBoolean();
                    for (int i = 0; i < s.length; i++) {
                        double w = r.nextGaussian() * 0.1;
                        lp = 0.98 * lp + 0.02 * w;
                        s[i] = (float) (pink ? lp * 5 : w);
                    }
                }
                case 3 -> { // chords
                    s = new float[48_000 * 4];
                    double[] f = {110 + r.nextInt(200), 0, 0};
                    f[1] = f[0] * 1.26;
                    f[2] = f[0] * 1.5;
                    for (int i = 0; i < s.length; i++) {
                        double v = 0;
                        for (double q : f) v += Math.sin(2 * Math.PI * q * i / 48_000.0) + 0.3 * Math.sin(4 * Math.PI * q * i / 48_000.0);
                        s[i] = (float) (0.1 * v);
                    }
                }
                default -> s = other.mark(new AudioBuffer(48_000, 1, voice(r, 4)), r.nextLong()).samples();
            }
            AudioMark.Detection d = AUDIO.detect(s);
            z.add(d.syncZ());
            if (d.found()) found++;
        }
        Stats s = Stats.of(z);
        System.out.println("sound null distribution of the sync z over " + n + " unmarked clips: " + s + ", threshold " + AudioMark.SYNC_Z);
        assertEquals(0, found, "false positives");
        assertTrue(AudioMark.SYNC_Z > s.max(), "the threshold lies above every unmarked clip: " + s);
        assertTrue(AudioMark.SYNC_Z >= s.mean() + 6 * s.sd(), "the threshold lies >= 6 sd above the null mean: " + s);
    }
}
