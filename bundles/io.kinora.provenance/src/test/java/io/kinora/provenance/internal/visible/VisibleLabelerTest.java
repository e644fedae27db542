package io.kinora.provenance.internal.visible;

import io.kinora.api.media.RgbImage;
import io.kinora.api.media.StageException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.Font;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class VisibleLabelerTest {
    static final LabelFonts SYSTEM = new LabelFonts(null, LabelFonts::systemFonts);

    /** A frame with a diagonal colour gradient: every pixel differs from its neighbours, like real content. */
    static RgbImage gradient(int w, int h) {
        byte[] b = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = (y * w + x) * 3;
                b[i] = (byte) (60 + (x * 100 / w));
                b[i + 1] = (byte) (70 + (y * 100 / h));
                b[i + 2] = (byte) (90 + ((x + y) % 50));
            }
        }
        return new RgbImage(w, h, b);
    }

    static RgbImage flat(int w, int h, int v) {
        byte[] b = new byte[w * h * 3];
        Arrays.fill(b, (byte) v);
        return new RgbImage(w, h, b);
    }

    static RgbImage copy(RgbImage f) {
        return new RgbImage(f.width(), f.height(), f.rgb().clone());
    }

    /** Bounding box [x0, y0, x1, y1] (inclusive) of pixels that differ, or null. */
    static int[] changed(RgbImage before, RgbImage after) {
        int x0 = Integer.MAX_VALUE, y0 = Integer.MAX_VALUE, x1 = -1, y1 = -1;
        for (int y = 0; y < before.height(); y++) {
            for (int x = 0; x < before.width(); x++) {
                int i = (y * before.width() + x) * 3;
                if (before.rgb()[i] != after.rgb()[i] || before.rgb()[i + 1] != after.rgb()[i + 1] || before.rgb()[i + 2] != after.rgb()[i + 2]) {
                    x0 = Math.min(x0, x);
                    y0 = Math.min(y0, y);
                    x1 = Math.max(x1, x);
                    y1 = Math.max(y1, y);
                }
            }
        }
        return x1 < 0 ? null : new int[] {x0, y0, x1, y1};
    }

    /** Height in rows between the first and last row that hold bright (text) pixels inside a region. */
    static int brightTextHeight(RgbImage f, int[] r, int threshold) {
        int first = -1, last = -1;
        for (int y = r[1]; y <= r[3]; y++) {
            for (int x = r[0]; x <= r[2]; x++) {
                if (f.sample(x, y, 0) >= threshold && f.sample(x, y, 1) >= threshold && f.sample(x, y, 2) >= threshold) {
                    if (first < 0) first = y;
                    last = y;
                    break;
                }
            }
        }
        return first < 0 ? 0 : last - first + 1;
    }

    @Test
    void burnsLegibleLabelOfAtLeastFivePercentInTheCorner() {
        Font font = SYSTEM.fontFor("AI-generated");
        int w = 1280, h = 720;
        VisibleLabeler l = VisibleLabeler.create("AI-generated", font, w, h, 5.0, Corner.TOP_RIGHT, 24, 2.0, false);
        RgbImage before = flat(w, h, 128);
        RgbImage after = l.apply(0, copy(before));
        int[] r = changed(before, after);
        assertNotNull(r, "the label changed no pixel");
        int margin = (int) Math.round(720 * 0.035);
        assertEquals(w - margin - 1, r[2], "right edge at the margin");
        assertEquals(margin, r[1], "top edge at the margin");
        assertTrue(r[0] > w / 2, "in the right half");
        assertTrue(r[3] < h / 4, "in the top quarter");
        int text = brightTextHeight(after, r, 200);
        assertTrue(text >= Math.ceil(0.05 * 720), "text " + text + " px < 5 % of 720");
        assertTrue(l.sprite().textPx() >= 36, "cap height " + l.sprite().textPx());
        // Anti-aliased: edge pixels between plate and text.
        long mid = 0;
        for (int y = r[1]; y <= r[3]; y++) for (int x = r[0]; x <= r[2]; x++) if (after.sample(x, y, 1) > 60 && after.sample(x, y, 1) < 190) mid++;
        assertTrue(mid > 50, "no anti-aliased edge pixels: " + mid);
    }

    @Test
    void legibleOnWhiteAndOnBusyBackgrounds() {
        Font font = SYSTEM.fontFor("AI-generated");
        VisibleLabeler l = VisibleLabeler.create("AI-generated", font, 1280, 720, 6.0, Corner.BOTTOM_LEFT, 24, 2.0, true);
        RgbImage white = flat(1280, 720, 255);
        RgbImage labelled = l.apply(0, copy(white));
        int[] r = changed(white, labelled);
        assertNotNull(r);
        assertTrue(r[0] < 100 && r[3] > 600, "bottom-left: " + Arrays.toString(r));
        // Plate pixels darken white to about 89; text stays white: contrast ratio (WCAG) well above 4.5:1.
        int darkest = 255;
        for (int y = r[1]; y <= r[3]; y++) for (int x = r[0]; x <= r[2]; x++) darkest = Math.min(darkest, labelled.sample(x, y, 0));
        assertTrue(darkest <= 95, "plate too light: " + darkest);
        assertTrue(contrast(255, darkest) >= 4.5, "contrast " + contrast(255, darkest));
        assertTrue(brightTextHeight(labelled, r, 250) >= 36, "white text still visible as white strokes");

        RgbImage busy = gradient(1280, 720);
        RgbImage b2 = l.apply(1, copy(busy));
        int[] r2 = changed(busy, b2);
        assertArrayEquals(r, r2, "same placement on every frame");
        assertTrue(brightTextHeight(b2, r2, 230) >= Math.ceil(0.05 * 720));
    }

    private static double contrast(int a, int b) {
        return (lum(a) + 0.05) / (lum(b) + 0.05);
    }

    private static double lum(int v) {
        double c = v / 255.0;
        return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    }

    @Test
    void openingLastsTwoSecondsByFpsThenFramesAreUntouched() {
        Font font = SYSTEM.fontFor("AI-generated");
        for (int fps : List.of(24, 25, 30)) {
            VisibleLabeler l = VisibleLabeler.create("AI-generated", font, 640, 360, 5.0, Corner.TOP_LEFT, fps, 2.0, false);
            assertEquals(2 * fps, l.openingFrames());
            RgbImage base = gradient(640, 360);
            for (int i = 0; i < 3 * fps; i++) {
                RgbImage f = copy(base);
                l.apply(i, f);
                boolean touched = !Arrays.equals(base.rgb(), f.rgb());
                assertEquals(i < 2 * fps, touched, "frame " + i + " at " + fps + " fps");
            }
            assertEquals(2 * fps, l.labelledFrames());
            assertTrue(l.describe().contains("frames 0-" + (2 * fps - 1)), l.describe());
        }
    }

    @Test
    void openingIsRoundedUpForFractionalSeconds() {
        Font font = SYSTEM.fontFor("AI-generated");
        VisibleLabeler l = VisibleLabeler.create("AI-generated", font, 640, 360, 5.0, Corner.TOP_LEFT, 7, 2.0, false);
        assertEquals(14, l.openingFrames());
        VisibleLabeler l2 = VisibleLabeler.create("AI-generated", font, 640, 360, 5.0, Corner.TOP_LEFT, 24, 2.01, false);
        assertEquals(49, l2.openingFrames(), "2.01 s at 24 fps needs 49 frames (48 would be 2.0 s)");
    }

    @Test
    void persistentLabelStaysOnEveryFrame() {
        Font font = SYSTEM.fontFor("KI-generiert");
        VisibleLabeler l = VisibleLabeler.create("KI-generiert", font, 720, 1280, 5.0, Corner.TOP_RIGHT, 24, 2.0, true);
        RgbImage base = gradient(720, 1280);
        RgbImage first = l.apply(0, copy(base));
        RgbImage late = l.apply(1000, copy(base));
        assertArrayEquals(first.rgb(), late.rgb(), "identical label at frame 0 and 1000");
        assertFalse(Arrays.equals(base.rgb(), late.rgb()));
        int[] r = changed(base, late);
        assertTrue(brightTextHeight(late, r, 230) >= 36, "portrait: 5 % of the 720 px short side");
    }

    @Test
    void deterministic() {
        Font font = SYSTEM.fontFor("Généré par IA");
        RgbImage a = VisibleLabeler.create("Généré par IA", font, 1280, 720, 6.0, Corner.TOP_RIGHT, 24, 2, false).apply(0, gradient(1280, 720));
        RgbImage b = VisibleLabeler.create("Généré par IA", font, 1280, 720, 6.0, Corner.TOP_RIGHT, 24, 2, false).apply(0, gradient(1280, 720));
        assertArrayEquals(a.rgb(), b.rgb());
    }

    @Test
    void rejectsFramesOfAnotherSizeAndTooSmallFrames() {
        Font font = SYSTEM.fontFor("AI-generated");
        VisibleLabeler l = VisibleLabeler.create("AI-generated", font, 640, 360, 5.0, Corner.TOP_LEFT, 24, 2.0, false);
        StageException e = assertThrows(StageException.class, () -> l.apply(0, gradient(320, 180)));
        assertTrue(e.getMessage().contains("320x180"), e.getMessage());
        StageException e2 = assertThrows(StageException.class,
                () -> VisibleLabeler.create("AI-generated", font, 120, 60, 20.0, Corner.TOP_LEFT, 24, 2.0, false));
        assertTrue(e2.getMessage().contains("more than the 120x60 frame"), e2.getMessage());
    }

    @Test
    void chineseTextWithoutACjkFontFailsNamingThePackage() {
        List<Font> latinOnly = LabelFonts.systemFonts().stream().filter(f -> f.canDisplayUpTo("AI生成") != -1).toList();
        LabelFonts fonts = new LabelFonts(null, () -> latinOnly);
        StageException e = assertThrows(StageException.class, () -> fonts.fontFor("AI生成"));
        assertTrue(e.getMessage().contains("fonts-noto-cjk"), e.getMessage());
        assertTrue(e.getMessage().contains("\"AI生成\""), e.getMessage());
        assertTrue(e.getMessage().contains("U+751F"), e.getMessage());
        // Latin text still works with those fonts.
        assertEquals(-1, fonts.fontFor("AI-generated").canDisplayUpTo("AI-generated"));
    }

    @Test
    void badConfiguredFontFileIsNamed(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("nope.ttf");
        StageException e = assertThrows(StageException.class, () -> new LabelFonts(missing, LabelFonts::systemFonts).fontFor("AI"));
        assertTrue(e.getMessage().contains(missing.toString()) && e.getMessage().contains("does not exist"), e.getMessage());
        Path junk = Files.writeString(dir.resolve("junk.ttf"), "not a font");
        StageException e2 = assertThrows(StageException.class, () -> new LabelFonts(junk, LabelFonts::systemFonts).fontFor("AI"));
        assertTrue(e2.getMessage().contains("not a usable TrueType/OpenType font"), e2.getMessage());
    }

    /**
     * "AI生成" drawn with a real CJK font: from KINORA_CJK_FONT (a TTF/OTF path) or an installed one; skipped
     * when neither exists (install fonts-noto-cjk to run it).
     */
    @Test
    void chineseLabelWithACjkFont() {
        String env = System.getenv("KINORA_CJK_FONT");
        LabelFonts fonts = new LabelFonts(env == null || env.isBlank() ? null : Path.of(env), LabelFonts::systemFonts);
        Font font;
        try {
            font = fonts.fontFor("AI生成");
        } catch (StageException e) {
            assumeTrue(false, "no CJK font: set KINORA_CJK_FONT or install fonts-noto-cjk");
            return;
        }
        assertEquals(-1, font.canDisplayUpTo("AI生成"));
        VisibleLabeler l = VisibleLabeler.create("AI生成", font, 1920, 1080, 5.0, Corner.TOP_RIGHT, 30, 2.0, false);
        RgbImage base = gradient(1920, 1080);
        RgbImage f = l.apply(0, copy(base));
        int[] r = changed(base, f);
        int text = brightTextHeight(f, r, 230);
        assertTrue(text >= 54, "text " + text + " px < 5 % of 1080");
        // Ideographs are dense: many bright pixels, not an empty box outline.
        long bright = 0;
        for (int y = r[1]; y <= r[3]; y++) for (int x = r[0]; x <= r[2]; x++) if (f.sample(x, y, 0) > 230 && f.sample(x, y, 1) > 230) bright++;
        assertTrue(bright > 2000, "bright pixels " + bright);
        System.out.printf(Locale.ROOT, "CJK label with %s: %d px text on 1080p, sprite %dx%d%n", font.getFontName(Locale.ROOT), text,
                l.sprite().width(), l.sprite().height());
        RgbImage g = l.apply(60, copy(base));
        assertArrayEquals(base.rgb(), g.rgb(), "frame 60 at 30 fps is after the 2 s opening");
    }

    @Test
    void labellingIsFast() {
        Font font = SYSTEM.fontFor("AI-generated");
        VisibleLabeler l = VisibleLabeler.create("AI-generated", font, 1920, 1080, 6.0, Corner.TOP_RIGHT, 30, 2.0, true);
        RgbImage f = gradient(1920, 1080);
        for (int i = 0; i < 50; i++) l.apply(i, f);
        long t = System.nanoTime();
        int n = 300;
        for (int i = 0; i < n; i++) l.apply(i, f);
        double ms = (System.nanoTime() - t) / 1e6 / n;
        System.out.printf(Locale.ROOT, "visible label blend, 1080p, sprite %dx%d: %.3f ms/frame%n", l.sprite().width(), l.sprite().height(), ms);
        assertTrue(ms < 20, ms + " ms per frame");
    }
}
