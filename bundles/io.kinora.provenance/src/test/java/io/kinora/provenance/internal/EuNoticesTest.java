package io.kinora.provenance.internal;

import io.kinora.provenance.internal.visible.Corner;
import io.kinora.provenance.internal.visible.LabelDetector;
import io.kinora.provenance.internal.visible.LabelFonts;
import io.kinora.provenance.internal.visible.LabelSprite;
import io.kinora.provenance.internal.visible.VisibleLabeler;
import org.junit.jupiter.api.Test;

import java.awt.Font;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/** Every official EU language has its own notice, drawn without missing glyphs, and verify tells them apart. */
class EuNoticesTest {
    static final LabelFonts FONTS = new LabelFonts(null, LabelFonts::systemFonts);

    @Test
    void everyEuLanguageHasANoticeThatRendersWithoutMissingGlyphs() {
        assertEquals(24, LabelPolicy.EU_LANGUAGES.size());
        LabelPolicy eu = LabelPolicy.eu();
        Set<String> texts = new HashSet<>();
        for (String lang : LabelPolicy.EU_LANGUAGES) {
            assertTrue(LabelPolicy.hasNotice(lang), lang);
            String text = eu.text(lang);
            assertEquals(text, eu.text(lang.toUpperCase(java.util.Locale.ROOT) + "-XX"), "the primary subtag decides: " + lang);
            if (!lang.equals("en")) assertNotEquals(eu.text("en"), text, lang + " gets its own notice, not English");
            assertTrue(texts.add(text), "one notice per language: " + lang + " " + text);
            Font font = FONTS.fontFor(text);
            assertEquals(-1, font.canDisplayUpTo(text), lang + ": " + font.getFontName() + " lacks a glyph of " + text);
            LabelSprite sprite = LabelSprite.render(text, font, 40);
            int white = 0;
            for (int y = 0; y < sprite.height(); y++) {
                for (int x = 0; x < sprite.width(); x++) if ((sprite.argb(x, y) & 0xff) > 200 && (sprite.argb(x, y) >>> 24) > 200) white++;
            }
            assertTrue(white > 40 * text.length(), lang + ": the text is drawn (" + white + " white pixels)");
            // fits a portrait 720x1280 frame at the default 6 %
            VisibleLabeler l = VisibleLabeler.create(text, font, 720, 1280, 6.0, Corner.TOP_RIGHT, 24, 2.0, true);
            assertTrue(l.sprite().width() <= 720 - 2 * 25, lang + ": " + l.sprite().width() + " px wide");
        }
        assertFalse(LabelPolicy.hasNotice("tr"));
        assertEquals("AI-generated", eu.text("tr"), "a non-EU language without a notice gets English");
    }

    /** Each notice burned into moving frames at 640x360 is read back as that notice, not a neighbour's. */
    @Test
    void verifyReadsEachNoticeBack() {
        LabelPolicy eu = LabelPolicy.eu();
        int w = 640;
        int h = 360;
        Random r = new Random(3);
        byte[] tex = new byte[(w + 64) * (h + 64)];
        for (int i = 0; i < tex.length; i++) tex[i] = (byte) (40 + r.nextInt(180));
        for (String lang : LabelPolicy.EU_LANGUAGES) {
            String text = eu.text(lang);
            VisibleLabeler l = VisibleLabeler.create(text, FONTS.fontFor(text), w, h, 6.0, Corner.BOTTOM_LEFT, 24, 2.0, true);
            LabelDetector d = new LabelDetector(LabelPolicy.allTexts(), FONTS::fontFor, 30);
            d.start(w, h, 24, 60);
            for (int i = 0; i < 60; i++) {
                if (!d.wants(i)) continue;
                byte[] rgb = new byte[w * h * 3];
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        byte v = tex[(y + i) * (w + 64) + x + i / 2];
                        rgb[3 * (y * w + x)] = rgb[3 * (y * w + x) + 1] = rgb[3 * (y * w + x) + 2] = v;
                    }
                }
                l.apply(i, new io.kinora.api.media.RgbImage(w, h, rgb));
                byte[] luma = new byte[w * h];
                for (int k = 0; k < luma.length; k++) luma[k] = rgb[3 * k];
                if (!d.accept(i, luma, w, h)) break;
            }
            LabelDetector.Result res = d.finish();
            assertTrue(res.found(), lang);
            assertEquals(text, res.match().text(), lang + " (runner-up " + (res.runnerUp() == null ? "none" : res.runnerUp().text() + " " + res.runnerUp().score()) + ")");
            assertEquals(Corner.BOTTOM_LEFT, res.match().corner(), lang);
            assertEquals(l.sprite().textPx(), res.match().sprite().textPx(), lang);
        }
    }
}
