package io.kinora.jobs.internal;

import io.kinora.api.media.RgbImage;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A PNG grid of evenly spaced frames of one rendition, with each frame's time, so a person can judge the motion
 * without a player. Frames are reduced (box filter) as they pass; the full frames are never kept.
 */
final class ContactSheet {
    static final int COLUMNS = 4;
    static final int ROWS = 3;
    private static final int CAPTION = 22;
    private static final int GAP = 6;

    private final int fps;
    private final int thumbWidth;
    private final int thumbHeight;
    private final int[] picks;
    private final int[][] thumbs;

    ContactSheet(int frameCount, int fps, int width, int height) {
        this.fps = fps;
        int cells = Math.min(COLUMNS * ROWS, frameCount);
        this.picks = new int[cells];
        for (int i = 0; i < cells; i++) {
            picks[i] = cells == 1 ? 0 : (int) Math.round(i * (frameCount - 1) / (double) (cells - 1));
        }
        int longSide = 320;
        this.thumbWidth = width >= height ? longSide : Math.max(1, longSide * width / height);
        this.thumbHeight = width >= height ? Math.max(1, longSide * height / width) : longSide;
        this.thumbs = new int[cells][];
    }

    /** Offers a frame; keeps a reduced copy when it is one of the sheet's frames. */
    void offer(int index, RgbImage frame) {
        for (int c = 0; c < picks.length; c++) {
            if (picks[c] == index && thumbs[c] == null) thumbs[c] = reduce(frame);
        }
    }

    private int[] reduce(RgbImage f) {
        int[] out = new int[thumbWidth * thumbHeight];
        byte[] rgb = f.rgb();
        for (int ty = 0; ty < thumbHeight; ty++) {
            int y0 = ty * f.height() / thumbHeight;
            int y1 = Math.max(y0 + 1, (ty + 1) * f.height() / thumbHeight);
            for (int tx = 0; tx < thumbWidth; tx++) {
                int x0 = tx * f.width() / thumbWidth;
                int x1 = Math.max(x0 + 1, (tx + 1) * f.width() / thumbWidth);
                long r = 0;
                long g = 0;
                long b = 0;
                int n = 0;
                for (int y = y0; y < y1; y += 2) {
                    for (int x = x0; x < x1; x += 2) {
                        int i = (y * f.width() + x) * 3;
                        r += rgb[i] & 0xff;
                        g += rgb[i + 1] & 0xff;
                        b += rgb[i + 2] & 0xff;
                        n++;
                    }
                }
                out[ty * thumbWidth + tx] = (int) (r / n) << 16 | (int) (g / n) << 8 | (int) (b / n);
            }
        }
        return out;
    }

    /** Writes the sheet as PNG. */
    void write(Path file, String title) throws IOException {
        int cols = Math.min(COLUMNS, picks.length);
        int rows = (picks.length + cols - 1) / cols;
        int w = GAP + cols * (thumbWidth + GAP);
        int h = CAPTION + GAP + rows * (thumbHeight + CAPTION + GAP);
        BufferedImage sheet = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = sheet.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(new Color(24, 24, 28));
            g.fillRect(0, 0, w, h);
            g.setColor(new Color(230, 230, 230));
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
            g.drawString(title, GAP, 16);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            for (int c = 0; c < picks.length; c++) {
                int x = GAP + (c % cols) * (thumbWidth + GAP);
                int y = CAPTION + GAP + (c / cols) * (thumbHeight + CAPTION + GAP);
                if (thumbs[c] != null) {
                    BufferedImage t = new BufferedImage(thumbWidth, thumbHeight, BufferedImage.TYPE_INT_RGB);
                    int[] px = ((DataBufferInt) t.getRaster().getDataBuffer()).getData();
                    System.arraycopy(thumbs[c], 0, px, 0, px.length);
                    g.drawImage(t, x, y, null);
                }
                g.drawString(String.format(Locale.ROOT, "#%d  %.2f s", picks[c], picks[c] / (double) fps), x, y + thumbHeight + 15);
            }
        } finally {
            g.dispose();
        }
        if (!ImageIO.write(sheet, "png", file.toFile())) throw new IOException("no PNG writer");
    }
}
