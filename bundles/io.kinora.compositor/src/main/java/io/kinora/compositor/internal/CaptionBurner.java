package io.kinora.compositor.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * Burns captions into RGB frames with Java2D. Each segment's captions are rendered once into an ARGB overlay
 * (bold sans-serif, 4.5 % of the frame height, white on a 65 % black box per line, speaker names in yellow when
 * several people speak), centred with its bottom at 92 % of the height, inside the 10 % title-safe margins. The
 * overlay is alpha-blended into a copy of each frame; frames are never modified in place.
 */
final class CaptionBurner {
    private static final Logger LOG = LoggerFactory.getLogger(CaptionBurner.class);
    private static final Color BOX = new Color(0, 0, 0, 166);
    private static final Color NAME = new Color(255, 220, 80);

    private final List<Captions.Segment> segments;
    private final boolean names;
    private final int width;
    private final int height;
    private final byte[] scratch;
    private int cachedIndex = -1;
    private Overlay cached;

    private record Overlay(int x, int y, int w, int h, int[] argb) {
    }

    CaptionBurner(List<Captions.Segment> segments, boolean names, int width, int height) {
        this.segments = segments;
        this.names = names;
        this.width = width;
        this.height = height;
        this.scratch = new byte[width * height * 3];
    }

    /** The frame to encode at time t: the original when no caption shows, else a captioned copy. */
    byte[] apply(byte[] rgb, double t) {
        int index = -1;
        for (int i = 0; i < segments.size(); i++) {
            Captions.Segment s = segments.get(i);
            if (t >= s.start() && t < s.end()) {
                index = s.active().isEmpty() ? -1 : i;
                break;
            }
        }
        if (index < 0) return rgb;
        if (index != cachedIndex) {
            cached = render(segments.get(index));
            cachedIndex = index;
        }
        System.arraycopy(rgb, 0, scratch, 0, rgb.length);
        Overlay o = cached;
        for (int y = 0; y < o.h(); y++) {
            int fy = o.y() + y;
            if (fy < 0 || fy >= height) continue;
            for (int x = 0; x < o.w(); x++) {
                int fx = o.x() + x;
                if (fx < 0 || fx >= width) continue;
                int p = o.argb()[y * o.w() + x];
                int a = p >>> 24;
                if (a == 0) continue;
                int i = (fy * width + fx) * 3;
                scratch[i] = blend(scratch[i], (p >> 16) & 0xff, a);
                scratch[i + 1] = blend(scratch[i + 1], (p >> 8) & 0xff, a);
                scratch[i + 2] = blend(scratch[i + 2], p & 0xff, a);
            }
        }
        return scratch;
    }

    private static byte blend(byte under, int over, int alpha) {
        int u = under & 0xff;
        return (byte) ((u * (255 - alpha) + over * alpha + 127) / 255);
    }

    private Overlay render(Captions.Segment s) {
        int size = Math.max(12, Math.round(height * 0.045f));
        Font font = new Font(Font.SANS_SERIF, Font.BOLD, size);
        List<String[]> lines = new ArrayList<>(); // {name or null, text}
        for (Captions.Cue c : s.active()) {
            for (int i = 0; i < c.lines().size(); i++) {
                lines.add(new String[] {i == 0 && names ? c.name() + ": " : null, c.lines().get(i)});
            }
        }
        BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_ARGB);
        Graphics2D pg = probe.createGraphics();
        FontMetrics fm = pg.getFontMetrics(font);
        pg.dispose();
        for (String[] l : lines) {
            int bad = font.canDisplayUpTo((l[0] == null ? "" : l[0]) + l[1]);
            if (bad >= 0) LOG.warn("the caption font cannot show every character of \"{}\" (install a font covering it)", l[1]);
        }
        int pad = Math.max(4, size / 4);
        int lineH = fm.getHeight() + pad;
        int maxW = 0;
        int[] widths = new int[lines.size()];
        for (int i = 0; i < lines.size(); i++) {
            String[] l = lines.get(i);
            widths[i] = (l[0] == null ? 0 : fm.stringWidth(l[0])) + fm.stringWidth(l[1]);
            maxW = Math.max(maxW, widths[i]);
        }
        int w = Math.min(width, maxW + 2 * pad);
        int h = Math.min(height, lines.size() * lineH);
        BufferedImage img = new BufferedImage(Math.max(1, w), Math.max(1, h), BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
        g.setFont(font);
        for (int i = 0; i < lines.size(); i++) {
            String[] l = lines.get(i);
            int lx = (w - widths[i]) / 2 - pad;
            int ly = i * lineH;
            g.setColor(BOX);
            g.fillRect(Math.max(0, lx), ly, Math.min(w, widths[i] + 2 * pad), lineH);
            int x = lx + pad;
            int base = ly + pad / 2 + fm.getAscent();
            if (l[0] != null) {
                g.setColor(NAME);
                g.drawString(l[0], x, base);
                x += fm.stringWidth(l[0]);
            }
            g.setColor(Color.WHITE);
            g.drawString(l[1], x, base);
        }
        g.dispose();
        int ox = (width - w) / 2;
        int oy = Math.max(0, Math.round(height * 0.92f) - h);
        return new Overlay(ox, oy, img.getWidth(), img.getHeight(),
                img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth()));
    }
}
