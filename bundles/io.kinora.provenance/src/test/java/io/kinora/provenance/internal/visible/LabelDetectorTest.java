package io.kinora.provenance.internal.visible;

import io.kinora.api.media.RgbImage;
import org.junit.jupiter.api.Test;

import io.kinora.provenance.internal.watermark.NullClips;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/** The label detector on frames in memory: what it finds in labelled frames, and its speed. */
class LabelDetectorTest {
    static final LabelFonts FONTS = new LabelFonts(null, LabelFonts::systemFonts);
    static final List<String> TEXTS = io.kinora.provenance.internal.LabelPolicy.allTexts();

    /** Moving noise-textured frames of w x h, labelled by a real {@link VisibleLabeler}. */
    static LabelDetector.Result run(VisibleLabeler label, int w, int h, int frames, double fps) {
        LabelDetector d = new LabelDetector(TEXTS, FONTS::fontFor, 30);
        d.start(w, h, fps, frames);
        Random r = new Random(11);
        byte[] tex = new byte[(w + frames) * (h + frames)];
        for (int i = 0; i < tex.length; i++) tex[i] = (byte) (60 + r.nextInt(140));
        for (int i = 0; i < frames; i++) {
            if (!d.wants(i)) continue;
            byte[] rgb = new byte[w * h * 3];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    byte v = tex[(y + i) * (w + frames) + x + i];
                    int o = (y * w + x) * 3;
                    rgb[o] = rgb[o + 1] = rgb[o + 2] = v;
                }
            }
            RgbImage f = new RgbImage(w, h, rgb);
            if (label != null) label.apply(i, f);
            byte[] luma = new byte[w * h];
            for (int k = 0; k < luma.length; k++) luma[k] = rgb[3 * k + 1];
            if (!d.accept(i, luma, w, h)) break;
        }
        LabelDetector.Result res = d.finish();
        lastSearchMs = d.searchNanos / 1_000_000;
        return res;
    }

    static long lastSearchMs;

    @Test
    void findsTheLabelsTextCornerAndHeight() {
        int w = 1280;
        int h = 720;
        for (double pct : new double[] {6, 9}) {
            Font font = FONTS.fontFor("AI生成");
            VisibleLabeler l = VisibleLabeler.create("AI生成", font, w, h, pct, Corner.TOP_RIGHT, 24, 2.0, true);
            run(l, w, h, 60, 24); // warm
            long t0 = System.nanoTime();
            LabelDetector.Result r = run(l, w, h, 60, 24);
            System.out.printf(Locale.ROOT, "search %d ms; pct %.1f: labelled %d px at %d,%d %dx%d; found %s %s px %d at %d,%d score %.3f (%d ms)%n", lastSearchMs, pct,
                    l.sprite().textPx(), l.x(), l.y(), l.sprite().width(), l.sprite().height(), r.found(), r.match().text(),
                    r.match().sprite().textPx(), r.match().x(), r.match().y(), r.match().score(), (System.nanoTime() - t0) / 1_000_000);
            assertTrue(r.found());
            assertEquals("AI生成", r.match().text());
            assertEquals(Corner.TOP_RIGHT, r.match().corner());
            assertEquals(l.sprite().textPx(), r.match().sprite().textPx(), "the exact size");
            assertEquals(l.x(), r.match().x());
            assertEquals(l.y(), r.match().y());
        }
    }

    /** Feeds luma frames (one clip of {@code frames}) to a fresh detector, as verify's decoder would. */
    static LabelDetector.Result runLuma(java.util.function.IntFunction<byte[]> frame, int w, int h, int frames, double fps) {
        LabelDetector d = new LabelDetector(TEXTS, FONTS::fontFor, 30);
        d.start(w, h, fps, frames);
        for (int i = 0; i < frames; i++) {
            if (!d.wants(i)) continue;
            if (!d.accept(i, frame.apply(i), w, h)) break;
        }
        return d.finish();
    }

    /** Dark plates with other white text (and bare white text) where Kinora's label would sit, drawn over {@code under}. */
    static byte[] corners(Random r, int w, int h, byte[] under) {
        String[] words = {"LIVE", "AI news", "HD 1080p", "生日快乐", "Generated", "AI-assisted", "KI", "AI", "Sponsored", "新闻直播", "AI 2026",
                "Breaking news", "© Kinora", "REC", "generiert", "AI生活"};
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        byte[] px = ((java.awt.image.DataBufferByte) img.getRaster().getDataBuffer()).getData();
        System.arraycopy(under, 0, px, 0, px.length);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        int shortSide = Math.min(w, h);
        int margin = (int) Math.round(shortSide * VisibleLabeler.MARGIN);
        for (Corner c : Corner.values()) {
            if (r.nextInt(4) == 0) continue;
            String word = words[r.nextInt(words.length)];
            int size = (int) Math.round(shortSide * (0.06 + 0.1 * r.nextDouble()) / 0.7);
            Font f = FONTS.fontFor(word).deriveFont((float) size);
            g.setFont(f);
            int tw = g.getFontMetrics().stringWidth(word);
            int bh = (int) (size * 1.2);
            int bw = tw + size / 2;
            int x = c.left() ? margin : w - margin - bw;
            int y = c.top() ? margin : h - margin - bh;
            if (r.nextBoolean()) {
                g.setColor(new Color(0, 0, 0, 120 + r.nextInt(100)));
                g.fillRoundRect(x, y, bw, bh, 2 + r.nextInt(30), 2 + r.nextInt(30));
            }
            g.setColor(Color.WHITE);
            g.drawString(word, x + size / 4, y + (int) (size * 0.95));
        }
        g.dispose();
        return px.clone();
    }

    /**
     * The label detector's null distribution: unlabelled clips of 2 s (what the search averages) at 640x360, the
     * watermark null test's kinds (noise, gradients, pans over photographs, flat colour, lines of text, textures,
     * photographs with captions, patterns, zooms) and, the hard case, dark plates and white text in the corners
     * where Kinora's label sits (other words, Latin and CJK, incl. "AI", "KI" and "AI生活"). 60 clips; 200 with
     * -Dkinora.bench=true. No label may be found, and the threshold must lie clearly above every score.
     */
    @Test
    void nullDistribution() throws Exception {
        int w = 640;
        int h = 360;
        int frames = 48;
        List<Path> photos = NullClips.samplePictures();
        Random r = new Random(20261207);
        int clips = NullClips.FULL ? 200 : 40;
        List<Double> scores = new ArrayList<>();
        java.util.Map<String, List<Double>> byKind = new java.util.TreeMap<>();
        int found = 0;
        long t0 = System.nanoTime();
        for (int c = 0; c < clips; c++) {
            int kind = c % 10;
            int vx = 1 + r.nextInt(3);
            int vy = r.nextInt(2);
            int bw = w + vx * frames + 8;
            int bh = h + vy * frames + 8;
            String name;
            byte[] base;
            switch (kind) {
                case 0 -> { name = "noise"; base = NullClips.noise(r, bw, bh, new int[] {1, 2, 4, 8, 16, 32}[c / 10 % 6]); }
                case 1 -> { name = "gradient"; base = NullClips.gradient(r, bw, bh); }
                case 2 -> { name = "photo"; base = photos.isEmpty() ? NullClips.noise(r, bw, bh, 6) : NullClips.photo(photos.get(c / 10 % photos.size()), r, bw, bh); }
                case 3 -> { name = "text"; base = NullClips.text(r, bw, bh, null); }
                case 4 -> { name = "textured"; base = NullClips.textured(bw, bh, c); }
                case 5 -> { name = "photo+caption"; base = NullClips.text(r, bw, bh, photos.isEmpty() ? NullClips.gradient(r, bw, bh)
                        : NullClips.photo(photos.get(c / 10 % photos.size()), r, bw, bh)); vx = 0; vy = 0; }
                case 6 -> { name = "pattern"; base = NullClips.pattern(r, bw, bh); }
                case 7 -> { name = "flat"; base = NullClips.flat(r, bw, bh, c / 10 % 4); }
                default -> { name = "corner-text"; base = null; }
            }
            byte[][] stat = new byte[1][];
            if (base == null) {
                byte[] under = photos.isEmpty() ? NullClips.gradient(r, w, h) : NullClips.photo(photos.get(c / 10 % photos.size()), r, w, h);
                stat[0] = corners(r, w, h, under);
            }
            int fvx = vx;
            int fvy = vy;
            byte[] b = base;
            int fbw = bw;
            LabelDetector.Result res = runLuma(i -> {
                if (b == null) return stat[0].clone(); // static corner text over a still picture: the hardest case for averaging
                byte[] f = new byte[w * h];
                for (int y = 0; y < h; y++) System.arraycopy(b, (y + 4 + fvy * i) * fbw + 4 + fvx * i, f, y * w, w);
                return f;
            }, w, h, frames + 24, 24);
            double s = res.match() == null ? 0 : res.match().score();
            scores.add(s);
            byKind.computeIfAbsent(name, k -> new ArrayList<>()).add(s);
            if (res.found()) {
                found++;
                System.out.println("FALSE DETECTION in clip " + c + " (" + name + "): " + res.match().text() + " " + res.match().corner() + " " + s);
            }
        }
        double mean = scores.stream().mapToDouble(Double::doubleValue).average().orElse(0);
        double sd = Math.sqrt(scores.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum() / Math.max(1, scores.size() - 1));
        double max = scores.stream().mapToDouble(Double::doubleValue).max().orElse(0);
        System.out.printf(Locale.ROOT, "label null distribution over %d unlabelled clips of 2 s at %dx%d (%.1f s): best-candidate correlation mean %.3f,"
                + " sd %.3f, max %.3f; threshold %.2f; labels found: %d%n", clips, w, h, (System.nanoTime() - t0) / 1e9, mean, sd, max, LabelDetector.THRESHOLD, found);
        byKind.forEach((k, v) -> System.out.printf(Locale.ROOT, "  %-14s max %.3f mean %.3f%n", k, v.stream().mapToDouble(Double::doubleValue).max().orElse(0),
                v.stream().mapToDouble(Double::doubleValue).average().orElse(0)));
        assertEquals(0, found, "false detections");
        assertTrue(LabelDetector.THRESHOLD >= max + 0.15, "the threshold lies clearly above every unlabelled clip: max " + max);
    }
}
