package io.kinora.provenance.internal.visible;

import io.kinora.api.media.RgbImage;
import io.kinora.api.media.StageException;
import io.kinora.api.provenance.FrameLabeler;

import java.awt.Font;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Burns a pre-rendered label into the frames of one rendition, in place: on every frame of the opening
 * ({@code openingFrames}, which covers at least the opening seconds, or the whole clip when it is shorter) and,
 * when {@code persist}, on every later frame too, always at the same corner position. It counts what it
 * labelled, so the seal step can report the layer as actually applied.
 */
public final class VisibleLabeler implements FrameLabeler {
    /** Margin between the label and the frame edges, as a fraction of the short side. */
    static final double MARGIN = 0.035;

    private final String text;
    private final LabelSprite sprite;
    private final int width;
    private final int height;
    private final int x;
    private final int y;
    private final Corner corner;
    private final int fps;
    private final int openingFrames;
    private final boolean persist;
    private final AtomicInteger labelled = new AtomicInteger();
    private final AtomicInteger lastLabelled = new AtomicInteger(-1);

    private VisibleLabeler(String text, LabelSprite sprite, int width, int height, int x, int y, Corner corner, int fps,
                           int openingFrames, boolean persist) {
        this.text = text;
        this.sprite = sprite;
        this.width = width;
        this.height = height;
        this.x = x;
        this.y = y;
        this.corner = corner;
        this.fps = fps;
        this.openingFrames = openingFrames;
        this.persist = persist;
    }

    /**
     * @param font           a face that displays {@code text}
     * @param heightPercent  letter height as a percentage of the short side (at least 5 is enforced)
     * @param openingSeconds the label is on every frame of at least this many seconds from the start
     * @param persist        whether it stays on after the opening
     */
    public static VisibleLabeler create(String text, Font font, int width, int height, double heightPercent, Corner corner,
                                        int fps, double openingSeconds, boolean persist) {
        if (width <= 0 || height <= 0) throw new StageException("Cannot label frames of " + width + "x" + height);
        if (fps <= 0) throw new StageException("Cannot time the visible label: the frame rate is " + fps);
        int shortSide = Math.min(width, height);
        double pct = Math.max(5.0, Double.isFinite(heightPercent) ? heightPercent : 5.0);
        int minPx = minTextPx(width, height, pct);
        LabelSprite sprite = LabelSprite.render(text, font, minPx);
        if (sprite.width() > width || sprite.height() > height) {
            throw new StageException(String.format(Locale.ROOT, "The visible label \"%s\" at %.1f %% of the short side needs %dx%d px, "
                    + "more than the %dx%d frame", text, pct, sprite.width(), sprite.height(), width, height));
        }
        int[] at = position(corner, width, height, sprite.width(), sprite.height());
        int px = at[0];
        int py = at[1];
        // The opening must last at least openingSeconds: ceil, so 2 s at 23.976 fps is 48 frames, not 47.
        int opening = Math.max(1, (int) Math.ceil(openingSeconds * fps - 1e-9));
        return new VisibleLabeler(text, sprite, width, height, px, py, corner, fps, opening, persist);
    }

    /** Label height in pixels asked for: {@code ceil(short side x pct / 100)}, pct at least 5. */
    public static int minTextPx(int width, int height, double heightPercent) {
        double pct = Math.max(5.0, Double.isFinite(heightPercent) ? heightPercent : 5.0);
        return (int) Math.ceil(Math.min(width, height) * pct / 100.0);
    }

    /**
     * Top-left corner {x, y} of a {@code sw x sh} label in {@code corner} of a {@code width x height} frame: a margin
     * of {@value #MARGIN} of the short side (at least 2 px), less when the label is too wide or tall for it.
     */
    public static int[] position(Corner corner, int width, int height, int sw, int sh) {
        int margin = Math.max(2, (int) Math.round(Math.min(width, height) * MARGIN));
        int mx = Math.min(margin, (width - sw) / 2);
        int my = Math.min(margin, (height - sh) / 2);
        return new int[] {corner.left() ? mx : width - mx - sw, corner.top() ? my : height - my - sh};
    }

    @Override
    public RgbImage apply(int index, RgbImage frame) {
        if (frame.width() != width || frame.height() != height) {
            throw new StageException("Frame " + index + " is " + frame.width() + "x" + frame.height() + " but the visible label was laid out for "
                    + width + "x" + height);
        }
        if (index < 0) throw new StageException("Frame index " + index + " is negative");
        if (index < openingFrames || persist) {
            sprite.blendInto(frame.rgb(), width, x, y);
            labelled.incrementAndGet();
            lastLabelled.accumulateAndGet(index, Math::max);
        }
        return frame;
    }

    public String text() { return text; }

    public LabelSprite sprite() { return sprite; }

    public int x() { return x; }

    public int y() { return y; }

    /** Number of frames from the start that always carry the label. */
    public int openingFrames() { return openingFrames; }

    public Corner corner() { return corner; }

    public int fps() { return fps; }

    public boolean persist() { return persist; }

    /** Frames labelled so far. */
    public int labelledFrames() { return labelled.get(); }

    /** One line saying what was burned in, for the seal report. */
    public String describe() {
        int shortSide = Math.min(width, height);
        return String.format(Locale.ROOT, "\"%s\" burned into %d frame(s) of %dx%d: letters %d px high (%.1f %% of the %d px short side) "
                        + "on a dark plate, %s, frames 0-%d (%.2f s at %d fps)%s", text, labelled.get(), width, height, sprite.textPx(),
                100.0 * sprite.textPx() / shortSide, shortSide, corner.id(), openingFrames - 1, openingFrames / (double) fps, fps,
                persist ? " then to the end" : " only");
    }
}
