package io.kinora.provenance.internal.visible;

import io.kinora.api.media.StageException;

import java.awt.Font;
import java.awt.FontFormatException;
import java.awt.GraphicsEnvironment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Chooses the font for a label text: the configured font file first, then installed fonts in a fixed order of
 * preference (bold faces first), then any installed font that can display every character. A text no font can
 * display fails with a {@link StageException} saying what to install: an empty box is never drawn.
 */
public final class LabelFonts {
    /** Families tried first, in order: CJK-capable sans fonts, then common Latin sans fonts. */
    static final List<String> PREFERRED = List.of("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Source Han Sans CN",
            "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "Droid Sans Fallback", "DejaVu Sans", "Noto Sans", "Liberation Sans");
    /** Java's logical font names: composites whose coverage depends on the JRE's fallback configuration. */
    private static final List<String> LOGICAL = List.of("Dialog", "DialogInput", "SansSerif", "Serif", "Monospaced");

    private final Path fontFile;
    private final Supplier<List<Font>> installed;
    private Font configured;
    private List<Font> fonts;
    /** The font chosen per text (the search scans every installed face: verify asks for every label text). */
    private final java.util.Map<String, Font> chosen = new java.util.HashMap<>();

    /**
     * @param fontFile  an operator-supplied TTF/OTF, or {@code null}
     * @param installed the installed font faces (any size); {@link #systemFonts()} outside tests
     */
    public LabelFonts(Path fontFile, Supplier<List<Font>> installed) {
        this.fontFile = fontFile;
        this.installed = installed;
    }

    /** Every font face installed in this JRE's graphics environment (works headless). */
    public static List<Font> systemFonts() {
        return List.of(GraphicsEnvironment.getLocalGraphicsEnvironment().getAllFonts());
    }

    /** The font (size 1; derive the size) that displays every character of {@code text}. */
    public synchronized Font fontFor(String text) {
        Font known = chosen.get(text);
        if (known != null) return known;
        Font f = choose(text);
        chosen.put(text, f);
        return f;
    }

    private Font choose(String text) {
        Font file = configuredFont();
        if (file != null && file.canDisplayUpTo(text) == -1) return file;
        List<Font> all = installedFonts();
        for (String family : PREFERRED) {
            Font best = null;
            for (Font f : all) {
                if (!f.getFamily(Locale.ROOT).equalsIgnoreCase(family) || f.canDisplayUpTo(text) != -1) continue;
                if (best == null || rank(f) < rank(best)) best = f;
            }
            if (best != null) return asBold(best);
        }
        List<Font> any = new ArrayList<>();
        for (Font f : all) {
            if (!LOGICAL.contains(f.getFamily(Locale.ROOT)) && f.canDisplayUpTo(text) == -1) any.add(f);
        }
        if (!any.isEmpty()) {
            any.sort(Comparator.comparingInt(LabelFonts::rank).thenComparing(f -> f.getFontName(Locale.ROOT)));
            return asBold(any.get(0));
        }
        throw new StageException(missingFontMessage(text, all, file));
    }

    private String missingFontMessage(String text, List<Font> all, Font file) {
        int count = all.size();
        int bad = firstUndisplayable(text, file, all);
        String ch = bad < 0 ? "" : " (no glyph for '" + new String(Character.toChars(text.codePointAt(bad))) + "' "
                + String.format("U+%04X", text.codePointAt(bad)) + ")";
        boolean cjk = text.codePoints().anyMatch(cp -> Character.UnicodeScript.of(cp) == Character.UnicodeScript.HAN
                || Character.UnicodeScript.of(cp) == Character.UnicodeScript.HANGUL);
        String install = cjk ? "install a CJK font, e.g. the Debian/Ubuntu package fonts-noto-cjk (apt-get install fonts-noto-cjk)"
                : "install a font that covers it, e.g. the Debian/Ubuntu package fonts-noto-core";
        return "Cannot draw the visible AI label \"" + text + "\": none of the " + count + " installed fonts"
                + (fontFile != null ? " nor the configured label font file " + fontFile : "") + " can display it" + ch
                + "; " + install + " and restart, or set labelFontFile in configuration io.kinora.provenance to a TTF/OTF file that covers it.";
    }

    /** The first character that neither the configured file nor any of the candidate fonts can display, or -1. */
    private static int firstUndisplayable(String text, Font file, List<Font> all) {
        for (int i = 0; i < text.length(); i = text.offsetByCodePoints(i, 1)) {
            int cp = text.codePointAt(i);
            boolean shown = file != null && file.canDisplay(cp);
            for (Font f : all) {
                if (shown) break;
                shown = !LOGICAL.contains(f.getFamily(Locale.ROOT)) && f.canDisplay(cp);
            }
            if (!shown) return i;
        }
        return -1;
    }

    private Font configuredFont() {
        if (fontFile == null) return null;
        if (configured == null) {
            if (!Files.isRegularFile(fontFile)) {
                throw new StageException("The label font file " + fontFile + " (labelFontFile in configuration io.kinora.provenance) does not exist");
            }
            try {
                configured = Font.createFont(Font.TRUETYPE_FONT, fontFile.toFile());
            } catch (FontFormatException | IOException e) {
                throw new StageException("The label font file " + fontFile + " (labelFontFile in configuration io.kinora.provenance) is not a usable TrueType/OpenType font: " + e.getMessage());
            }
        }
        return configured;
    }

    private List<Font> installedFonts() {
        if (fonts == null) fonts = List.copyOf(installed.get());
        return fonts;
    }

    /** 0 for a plain bold face, 1 for other bold faces, 2 for regular, 3 for italic/oblique and light faces. */
    private static int rank(Font f) {
        String n = f.getFontName(Locale.ROOT).toLowerCase(Locale.ROOT);
        boolean slanted = n.contains("italic") || n.contains("oblique");
        boolean thin = n.contains("light") || n.contains("thin") || n.contains("condensed") || n.contains("mono");
        if (slanted || thin) return 3;
        if (n.endsWith(" bold")) return 0;
        if (n.contains("bold")) return 1;
        return 2;
    }

    private static Font asBold(Font f) {
        return rank(f) <= 1 ? f : f.deriveFont(Font.BOLD);
    }
}
