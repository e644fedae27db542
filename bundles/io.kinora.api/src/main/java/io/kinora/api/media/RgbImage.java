package io.kinora.api.media;

import java.util.Objects;

/**
 * An 8-bit RGB picture, pixels interleaved (R, G, B) row by row from the top-left corner.
 * Used for the source image and for every rendered frame. The array is shared, not copied:
 * a stage that hands a frame on must not modify it afterwards.
 */
public final class RgbImage {
    private final int width;
    private final int height;
    private final byte[] rgb;

    public RgbImage(int width, int height, byte[] rgb) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image size must be positive: " + width + "x" + height);
        }
        Objects.requireNonNull(rgb, "rgb");
        if (rgb.length != width * height * 3) {
            throw new IllegalArgumentException("expected " + (width * height * 3) + " bytes for "
                    + width + "x" + height + " RGB, got " + rgb.length);
        }
        this.width = width;
        this.height = height;
        this.rgb = rgb;
    }

    public static RgbImage blank(int width, int height) {
        return new RgbImage(width, height, new byte[width * height * 3]);
    }

    public int width() { return width; }

    public int height() { return height; }

    /** The pixel data itself (not a copy). */
    public byte[] rgb() { return rgb; }

    /** Red, green or blue (channel 0..2) of the pixel at (x, y), 0..255. */
    public int sample(int x, int y, int channel) {
        return rgb[(y * width + x) * 3 + channel] & 0xff;
    }

    @Override
    public String toString() { return "RgbImage[" + width + "x" + height + "]"; }
}
