package io.kinora.provenance.internal.visible;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.font.FontRenderContext;
import java.awt.font.GlyphVector;
import java.awt.geom.Rectangle2D;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;

/**
 * A label pre-rendered once with Java2D: anti-aliased white text on a rounded, semi-opaque dark plate, kept as
 * non-premultiplied ARGB and alpha-blended straight into interleaved RGB frame bytes, so no frame ever goes
 * through a {@link BufferedImage}.
 * <p>
 * The plate is black at {@value #PLATE_ALPHA}/255 opacity: over a white background it leaves a grey of about
 * 89/255 behind pure white text (contrast about 7:1), over black it is black; the text stays legible on any
 * background.
 */
public final class LabelSprite {
    static final int PLATE_ALPHA = 166;

    private final int width;
    private final int height;
    private final int[] argb;
    private final int capPx;
    private final int inkPx;

    private LabelSprite(int width, int height, int[] argb, int capPx, int inkPx) {
        this.width = width;
        this.height = height;
        this.argb = argb;
        this.capPx = capPx;
        this.inkPx = inkPx;
    }

    /**
     * Renders {@code text} so that the ink above the baseline (cap / ideograph height, descenders not counted)
     * is at least {@code minTextPx} pixels.
     *
     * @param font a face that displays every character of {@code text} (any size)
     */
    public static LabelSprite render(String text, Font font, int minTextPx) {
        if (minTextPx < 1) throw new IllegalArgumentException("text height must be positive: " + minTextPx);
        FontRenderContext frc = new FontRenderContext(null, true, true);
        // Geometric ink is measured, and one extra pixel keeps anti-aliased edges from eating into the minimum.
        double wanted = minTextPx + 1.0;
        float size = (float) (wanted / 0.7);
        GlyphVector gv = null;
        Rectangle2D ink = null;
        for (int iter = 0; iter < 40; iter++) {
            gv = font.deriveFont(size).createGlyphVector(frc, text);
            ink = gv.getVisualBounds();
            double above = -ink.getY();
            if (above <= 0) throw new IllegalArgumentException("the font draws no ink for \"" + text + "\"");
            if (above >= wanted) break;
            size = (float) Math.max(size * wanted / above, size + 0.25);
        }
        double above = -ink.getY();
        int padX = (int) Math.round(0.5 * above);
        int padY = (int) Math.round(0.35 * above);
        int w = (int) Math.ceil(ink.getWidth()) + 2 * padX;
        int h = (int) Math.ceil(ink.getHeight()) + 2 * padY;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            double arc = Math.min(h, 2.0 * padY + 4);
            g.setColor(new Color(0, 0, 0, PLATE_ALPHA));
            g.fill(new RoundRectangle2D.Double(0, 0, w, h, arc, arc));
            g.setColor(Color.WHITE);
            g.drawGlyphVector(gv, (float) (padX - ink.getX()), (float) (padY - ink.getY()));
        } finally {
            g.dispose();
        }
        int[] px = ((DataBufferInt) img.getRaster().getDataBuffer()).getData().clone();
        return new LabelSprite(w, h, px, (int) Math.floor(above), (int) Math.ceil(ink.getHeight()));
    }

    public int width() { return width; }

    public int height() { return height; }

    /** Ink height above the baseline in pixels (the measure GB 45438's 5 % rule is applied to). */
    public int textPx() { return capPx; }

    /** Full ink height including descenders. */
    public int inkPx() { return inkPx; }

    /** Pixel (x, y) of the sprite as ARGB. */
    public int argb(int x, int y) { return argb[y * width + x]; }

    /**
     * Alpha-blends the sprite into interleaved RGB bytes of a {@code frameWidth}-wide frame with its top-left
     * corner at ({@code x0}, {@code y0}); the caller guarantees the sprite lies inside the frame.
     */
    public void blendInto(byte[] rgb, int frameWidth, int x0, int y0) {
        for (int y = 0; y < height; y++) {
            int src = y * width;
            int dst = ((y0 + y) * frameWidth + x0) * 3;
            for (int x = 0; x < width; x++, dst += 3) {
                int p = argb[src + x];
                int a = p >>> 24;
                if (a == 0) continue;
                int r = (p >> 16) & 0xff;
                int g = (p >> 8) & 0xff;
                int b = p & 0xff;
                if (a == 255) {
                    rgb[dst] = (byte) r;
                    rgb[dst + 1] = (byte) g;
                    rgb[dst + 2] = (byte) b;
                } else {
                    int ia = 255 - a;
                    rgb[dst] = (byte) ((r * a + (rgb[dst] & 0xff) * ia + 127) / 255);
                    rgb[dst + 1] = (byte) ((g * a + (rgb[dst + 1] & 0xff) * ia + 127) / 255);
                    rgb[dst + 2] = (byte) ((b * a + (rgb[dst + 2] & 0xff) * ia + 127) / 255);
                }
            }
        }
    }
}
