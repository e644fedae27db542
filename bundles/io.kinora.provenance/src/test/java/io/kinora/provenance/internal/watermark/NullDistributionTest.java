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
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * False positives: the detectors' sync statistics over unmarked inputs (deterministic seeds), the thresholds checked
 * against the measured null distribution, and no unmarked input ever reported as marked.
 *
 * <p>Every unmarked input is as long as what verify reads: picture clips of 60 frames and sounds of 20 s, of varied
 * content (see each test); 200 of each in every build (the figure; about 80 s and 55 s here), fewer with
 * -Dkinora.nullRuns=N for a quick local run. The picture clips are small (384x216) to keep the test time modest.
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

    /** Frames per unmarked clip: what verify reads of a clip ({@link LumaWatermarker#FRAMES_READ}). */
    static final int FRAMES = LumaWatermarker.FRAMES_READ;
    /** Seconds per unmarked sound: what verify reads ({@link LumaWatermarker#AUDIO_SECONDS}). */
    static final double SECONDS = LumaWatermarker.AUDIO_SECONDS;
    /** Unmarked inputs of each kind: 200 (the figure) unless -Dkinora.nullRuns says otherwise. */
    static final int RUNS = Integer.getInteger("kinora.nullRuns", 200);

    /**
     * Unmarked picture clips of 60 frames each (verify's window) at 384x216 (a fold over more than one tile), 10
     * kinds of content: noise of every grain, gradients, the sample photographs, flat colour (with and without sensor
     * noise, black and white included), static and scrolling text, textured pans, photographs with captions,
     * checkerboards and stripes, zooms, and clips marked with another key. 200 clips (-Dkinora.nullRuns: fewer, for a quick local run).
     *
     * <p>Clips marked with another key are a harder null than natural content: 60 frames of one coherent foreign
     * mark fold into a strong structured tile whose correlation with this key's sync row can reach the threshold
     * (measured: max 5.87 over 20 such clips). The payload's CRC-24 then rejects it; they are checked for zero
     * detections, and the margins are asserted on natural content.
     */
    @Test
    void pictureNullDistribution() throws Exception {
        int w = 384;
        int h = 216;
        List<Path> photos = samplePictures();
        Random r = new Random(20261125);
        List<Double> z = new ArrayList<>();
        Map<String, List<Double>> byKind = new java.util.TreeMap<>();
        int found = 0;
        int clips = RUNS;
        long t0 = System.nanoTime();
        for (int c = 0; c < clips; c++) {
            int kind = c % 10;
            int vx = r.nextInt(5) - 2;
            int vy = r.nextInt(3) - 1;
            int bw = w + Math.abs(vx) * FRAMES + 8;
            int bh = h + Math.abs(vy) * FRAMES + 8;
            String name;
            byte[] base;
            switch (kind) {
                case 0 -> { name = "noise"; base = noise(r, bw, bh, new int[]{1, 2, 4, 8, 16, 32}[c / 10 % 6]); }
                case 1 -> { name = "gradient"; base = gradient(r, bw, bh); }
                case 2 -> { name = "photo"; base = photos.isEmpty() ? noise(r, bw, bh, 6) : photo(photos.get(c / 10 % photos.size()), r, bw, bh); }
                case 3 -> { name = "flat"; base = flat(r, bw, bh, c / 10 % 4); vx = c / 10 % 2 == 0 ? 0 : vx; }
                case 4 -> { name = "text"; base = text(r, bw, bh, null); if (c / 10 % 2 == 0) { vx = 0; vy = 0; } }
                case 5 -> { name = "textured"; base = WatermarkRobustnessTest.luma(LumaWatermarkerTest.textured(bw, bh, c)); }
                case 6 -> { name = "photo+caption"; base = text(r, bw, bh, photos.isEmpty() ? gradient(r, bw, bh) : photo(photos.get(c / 10 % photos.size()), r, bw, bh)); vx = 0; vy = 0; }
                case 7 -> { name = "pattern"; base = pattern(r, bw, bh); }
                case 8 -> { name = "zoom"; base = photos.isEmpty() ? gradient(r, bw, bh) : photo(photos.get(c / 10 % photos.size()), r, bw, bh); }
                default -> { name = "other-key"; base = null; }
            }
            LumaDetector d = new LumaDetector(MARK);
            if (base == null) {
                // marked with ANOTHER key: unmarked for this one
                LumaEmbedder e = new LumaEmbedder(new LumaMark("some-other-key"), r.nextLong(), w, h);
                for (int i = 0; i < FRAMES; i++) {
                    d.add(WatermarkRobustnessTest.luma(e.apply(LumaWatermarkerTest.textured(w, h, 5000 + c * 100L + i))), w, h);
                }
            } else {
                byte[] f = new byte[w * h];
                boolean grain = kind != 3 || c / 10 % 4 >= 2; // flat colour half of the time without any noise
                Random n = new Random(c);
                for (int i = 0; i < FRAMES; i++) {
                    int ox = (vx < 0 ? bw - w - 4 : 4) + vx * i;
                    int oy = (vy < 0 ? bh - h - 4 : 4) + vy * i;
                    if (kind == 8) zoomed(base, bw, bh, f, w, h, 1.0 + 0.004 * i);
                    else for (int y = 0; y < h; y++) System.arraycopy(base, (y + oy) * bw + ox, f, y * w, w);
                    if (grain) for (int q = 0; q < f.length; q += 1 + n.nextInt(3)) f[q] = (byte) Math.max(0, Math.min(255, (f[q] & 0xff) + n.nextInt(3) - 1));
                    d.add(f, w, h);
                }
            }
            LumaDetector.Detection x = d.detect();
            z.add(x.syncZ());
            byKind.computeIfAbsent(name, k -> new ArrayList<>()).add(x.syncZ());
            if (x.found()) found++;
        }
        Stats s = Stats.of(z);
        // natural content with something to correlate: a flat picture without any noise whitens to zero (z = 0)
        List<Double> natural = new ArrayList<>();
        byKind.forEach((k, v) -> { if (!k.equals("other-key")) for (double q : v) if (q > 1) natural.add(q); });
        Stats n = Stats.of(natural);
        System.out.printf(Locale.ROOT, "picture null distribution of the sync z over %d unmarked clips of %d frames at %dx%d (%.1f s): %s;"
                        + " natural content (without the other-key clips and the noiseless flat ones, z = 0): %s; threshold %.1f; payloads found: %d%n",
                clips, FRAMES, w, h, (System.nanoTime() - t0) / 1e9, s, n, LumaDetector.SYNC_Z, found);
        byKind.forEach((k, v) -> System.out.println("  " + k + ": " + Stats.of(v)));
        assertEquals(0, found, "false positives");
        assertTrue(LumaDetector.SYNC_Z > n.max() + 0.5, "the threshold lies well above every unmarked natural clip: " + n);
        assertTrue(LumaDetector.SYNC_Z >= n.mean() + 5 * n.sd(), "the threshold lies >= 5 sd above the null mean: " + n);
    }

    static List<Path> samplePictures() {
        Path samples = WatermarkBenchTest.repositoryRoot().resolve("samples");
        List<Path> pics = new ArrayList<>();
        for (String n : new String[]{"harbour.png", "bottle.png"}) if (Files.exists(samples.resolve(n))) pics.add(samples.resolve(n));
        return pics;
    }

    static byte[] photo(Path p, Random r, int w, int h) throws Exception {
        double s = 1.0 + r.nextDouble();
        int bw = (int) (w * s);
        int bh = (int) (h * s);
        byte[] big = picture(p, bw, bh);
        return window(big, bw, r.nextInt(bw - w + 1), r.nextInt(bh - h + 1), w, h);
    }

    static byte[] gradient(Random r, int w, int h) {
        double a = r.nextDouble() * Math.PI * 2;
        double lo = r.nextInt(256);
        double hi = r.nextInt(256);
        boolean radial = r.nextBoolean();
        byte[] out = new byte[w * h];
        double cx = r.nextDouble() * w;
        double cy = r.nextDouble() * h;
        double diag = Math.hypot(w, h);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double t = radial ? Math.hypot(x - cx, y - cy) / diag : ((x * Math.cos(a) + y * Math.sin(a)) / diag + 1) / 2;
                out[y * w + x] = (byte) Math.max(0, Math.min(255, lo + (hi - lo) * t));
            }
        }
        return out;
    }

    /** Flat colour: black, white, mid-grey or a random level. */
    static byte[] flat(Random r, int w, int h, int which) {
        byte[] out = new byte[w * h];
        java.util.Arrays.fill(out, (byte) (which == 0 ? 0 : which == 1 ? 255 : which == 2 ? 128 : r.nextInt(256)));
        return out;
    }

    /** Lines of random text (several fonts and sizes) over a plain background or over {@code under}. */
    static byte[] text(Random r, int w, int h, byte[] under) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        byte[] px = ((java.awt.image.DataBufferByte) img.getRaster().getDataBuffer()).getData();
        if (under != null) System.arraycopy(under, 0, px, 0, px.length);
        else java.util.Arrays.fill(px, (byte) r.nextInt(256));
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        int size = 10 + r.nextInt(30);
        g.setFont(new java.awt.Font(r.nextBoolean() ? java.awt.Font.SANS_SERIF : java.awt.Font.MONOSPACED, java.awt.Font.PLAIN, size));
        int grey = r.nextInt(256);
        g.setColor(new java.awt.Color(grey, grey, grey));
        String letters = "abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ 0123456789 .,;:!?";
        for (int y = under != null ? h - 2 * size : size; y < h; y += size + 2) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < w / (size / 2 + 1); i++) line.append(letters.charAt(r.nextInt(letters.length())));
            g.drawString(line.toString(), 2, y);
        }
        g.dispose();
        return px.clone();
    }

    /** Checkerboards and stripes of random period and angle (periodic content, the hardest kind for a tiled mark). */
    static byte[] pattern(Random r, int w, int h) {
        int period = 4 + r.nextInt(60);
        boolean stripes = r.nextBoolean();
        double a = r.nextDouble() * Math.PI;
        int lo = r.nextInt(128);
        int hi = 128 + r.nextInt(128);
        byte[] out = new byte[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double u = x * Math.cos(a) + y * Math.sin(a);
                double v = -x * Math.sin(a) + y * Math.cos(a);
                boolean on = stripes ? Math.floorMod((int) Math.floor(u / period), 2) == 0
                        : (Math.floorMod((int) Math.floor(u / period), 2) ^ Math.floorMod((int) Math.floor(v / period), 2)) == 0;
                out[y * w + x] = (byte) (on ? hi : lo);
            }
        }
        return out;
    }

    /** The centre of {@code base} scaled by {@code zoom} (nearest neighbour), into {@code out}. */
    static void zoomed(byte[] base, int bw, int bh, byte[] out, int w, int h, double zoom) {
        for (int y = 0; y < h; y++) {
            int sy = Math.min(bh - 1, (int) (bh / 2.0 + (y - h / 2.0) / zoom));
            for (int x = 0; x < w; x++) {
                int sx = Math.min(bw - 1, (int) (bw / 2.0 + (x - w / 2.0) / zoom));
                out[y * w + x] = base[sy * bw + sx];
            }
        }
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

    /**
     * Unmarked sounds of 20 s each (verify's window): voice-like sounds (random pitch, syllable rate, breath noise),
     * white and pink noise, chords, melodies of random notes, near silence with clicks, and voice marked with another
     * key. 200 sounds (-Dkinora.nullRuns).
     */
    @Test
    void soundNullDistribution() {
        Random r = new Random(451);
        List<Double> z = new ArrayList<>();
        Map<String, List<Double>> byKind = new java.util.TreeMap<>();
        int found = 0;
        AudioMark other = new AudioMark("some-other-key");
        int n = RUNS;
        int len = (int) (48_000 * SECONDS);
        long t0 = System.nanoTime();
        for (int c = 0; c < n; c++) {
            float[] s;
            String name;
            switch (c % 6) {
                case 0 -> { name = "voice"; s = fastVoice(r, len); }
                case 1 -> { // white or pink-ish noise
                    name = "noise";
                    s = new float[len];
                    double lp = 0;
                    boolean pink = r.nextBoolean();
                    for (int i = 0; i < s.length; i++) {
                        double w = (r.nextFloat() - 0.5) * 0.35;
                        lp = 0.98 * lp + 0.02 * w;
                        s[i] = (float) (pink ? lp * 5 : w);
                    }
                }
                case 2 -> { name = "chord"; s = tones(r, len, false); }
                case 3 -> { name = "melody"; s = tones(r, len, true); }
                case 4 -> { // near silence: faint hiss and a few clicks
                    name = "quiet";
                    s = new float[len];
                    for (int i = 0; i < s.length; i++) s[i] = (r.nextFloat() - 0.5f) * 2e-4f;
                    for (int k = 0; k < 20; k++) s[r.nextInt(len)] = 0.5f;
                }
                default -> { name = "other-key"; s = other.mark(new AudioBuffer(48_000, 1, fastVoice(r, len)), r.nextLong()).samples(); }
            }
            AudioMark.Detection d = AUDIO.detect(s);
            z.add(d.syncZ());
            byKind.computeIfAbsent(name, k -> new ArrayList<>()).add(d.syncZ());
            if (d.found()) found++;
        }
        Stats s = Stats.of(z);
        System.out.printf(Locale.ROOT, "sound null distribution of the sync z over %d unmarked sounds of %.0f s (%.1f s): %s, threshold %.1f%n",
                n, SECONDS, (System.nanoTime() - t0) / 1e9, s, AudioMark.SYNC_Z);
        byKind.forEach((k, v) -> System.out.println("  " + k + ": " + Stats.of(v)));
        assertEquals(0, found, "false positives");
        assertTrue(AudioMark.SYNC_Z > s.max() + 1, "the threshold lies above every unmarked sound: " + s);
        assertTrue(AudioMark.SYNC_Z >= s.mean() + 6 * s.sd(), "the threshold lies >= 6 sd above the null mean: " + s);
    }

    /** One period of a 15-harmonic buzz (a glottal-like source), for cheap long voice-like sounds. */
    static final float[] BUZZ = new float[4096];

    static {
        for (int i = 0; i < BUZZ.length; i++) {
            double v = 0;
            for (int k = 1; k <= 15; k++) v += Math.sin(2 * Math.PI * k * i / BUZZ.length) / k;
            BUZZ[i] = (float) v;
        }
    }

    /** Voice-like sound (as {@link #voice} but from a wave table): random pitch with vibrato, syllables, breath. */
    static float[] fastVoice(Random r, int n) {
        float[] s = new float[n];
        double f0 = 90 + r.nextDouble() * 200;
        double rate = 2 + r.nextDouble() * 4;
        float noise = (float) (r.nextDouble() * 0.05);
        double ph = 0;
        double env = 0;
        for (int i = 0; i < n; i++) {
            double t = i / 48_000.0;
            if ((i & 63) == 0) env = 0.15 * Math.max(0, Math.sin(2 * Math.PI * rate * t)) * (0.6 + 0.4 * Math.sin(2 * Math.PI * 0.13 * t));
            ph += f0 * (1 + 0.02 * Math.sin(2 * Math.PI * 5 * t)) / 48_000;
            ph -= Math.floor(ph);
            s[i] = (float) (env * BUZZ[(int) (ph * BUZZ.length)]) + noise * (r.nextFloat() - 0.5f) * 3.4f;
        }
        return s;
    }

    /** Sustained chords, or a melody of random notes with decays, from the wave table. */
    static float[] tones(Random r, int n, boolean melody) {
        float[] s = new float[n];
        double[] f = new double[3];
        double[] ph = new double[3];
        int note = melody ? 48_000 / (2 + r.nextInt(8)) : n;
        for (int i = 0; i < n; i++) {
            if (i % note == 0) {
                f[0] = 110 * Math.pow(2, r.nextInt(36) / 12.0);
                f[1] = f[0] * 1.26;
                f[2] = f[0] * 1.5;
            }
            double decay = melody ? Math.exp(-3.0 * (i % note) / note) : 1;
            double v = 0;
            for (int k = 0; k < 3; k++) {
                ph[k] += f[k] / 48_000;
                ph[k] -= Math.floor(ph[k]);
                v += BUZZ[(int) (ph[k] * BUZZ.length)];
            }
            s[i] = (float) (0.05 * decay * v);
        }
        return s;
    }
}
