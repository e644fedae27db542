package io.kinora.provenance.internal.watermark;

import io.kinora.api.media.RgbImage;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Adds the {@link LumaMark} tile to RGB frames in place, equally to R, G and B (a pure luma change), at 2.45 levels
 * RMS (luma PSNR about 40.4 dB), halved in 8x8 blocks whose mean is near black or white.
 *
 * <p>Built for speed (the embed must cost a small fraction of the H.264 encode): the keyed, coded tile is rendered
 * once per embedder (per clip, payload and frame size) into integer deltas already laid out like a row of packed RGB
 * bytes (one full-width row per tile row, at full and at half strength). A frame is then one pass, band of 8 rows by
 * band: each 8x8 block's mean luma is estimated from 4 samples while the band is in cache, blocks whose bytes all
 * lie in [dmax, 255 - dmax] (dmax the largest delta at the block's strength; checked exactly, 8 bytes at a time)
 * cannot clip, then each row is copied to a scratch row and gets its delta row added, run by run of blocks of one
 * kind: a plain byte loop that the JIT vectorises where nothing can clip, a clamping loop elsewhere. Nothing is
 * allocated per frame.
 */
public final class LumaEmbedder {
    /** Base RMS strength in 8-bit luma levels (before masking). */
    static final double STRENGTH = 2.45;
    private static final int B = 8;
    /** Largest change of a byte, in levels. */
    static final int CAP = 12;
    private static final int T = LumaMark.TILE;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGH = 0x8080808080808080L;
    private final int width;
    private final int height;
    private final int stride;
    private final int bw;
    /** Per block of the current band: 1 = half strength. Scratch, reused (callers serialise apply()). */
    private final byte[] half;
    /** One row of the frame being marked (so the delta rows and the pixels share one index: vectorisable). */
    private final byte[] row;
    /** Per tile row: the deltas of a whole frame row (rounded as floor(g * t + 0.5), repeated for R, G, B). */
    private final byte[][] full;
    private final byte[][] halfDelta;
    /** Runs of blocks of the current band with one strength and one clamping verdict. Scratch. */
    private final int[] runStart;
    private final int[] runEnd;
    private final byte[] runKind;
    /** No byte in [n, 255 - n] can clip when a delta of at most n is added: n (in every byte) at full and half strength. */
    private final long fullLimit;
    private final long halfLimit;

    public LumaEmbedder(LumaMark mark, long payload, int width, int height) {
        float[] tile = mark.tile(payload);
        this.width = width;
        this.height = height;
        this.stride = width * 3;
        this.bw = (width + B - 1) / B;
        this.half = new byte[bw];
        this.runStart = new int[bw];
        this.runEnd = new int[bw];
        this.runKind = new byte[bw];
        this.row = new byte[stride];
        int rows = Math.min(T, height);
        this.full = new byte[rows][stride];
        this.halfDelta = new byte[rows][stride];
        int fmax = 0;
        int hmax = 0;
        for (int ty = 0; ty < rows; ty++) {
            for (int x = 0; x < width; x++) {
                float t = tile[ty * T + x % T];
                byte f = delta(STRENGTH, t);
                byte h = delta(STRENGTH * 0.5, t);
                fmax = Math.max(fmax, Math.abs(f));
                hmax = Math.max(hmax, Math.abs(h));
                for (int c = 0; c < 3; c++) {
                    full[ty][x * 3 + c] = f;
                    halfDelta[ty][x * 3 + c] = h;
                }
            }
        }
        this.fullLimit = ONES * fmax;
        this.halfLimit = ONES * hmax;
    }

    /**
     * A pixel's integer delta: floor(g * t + 0.5), limited to +-{@value #CAP} levels (the tile's rare peaks, about
     * 0.3 % of its pixels at full strength, would otherwise widen the range of bytes that must be clamped).
     */
    static byte delta(double strength, float t) {
        int d = (int) Math.floor((float) strength * t + 0.5f);
        return (byte) Math.max(-CAP, Math.min(CAP, d));
    }

    public RgbImage apply(RgbImage frame) {
        if (frame.width() != width || frame.height() != height) {
            throw new IllegalArgumentException("frame is " + frame.width() + "x" + frame.height() + ", marker made for " + width + "x" + height);
        }
        byte[] rgb = frame.rgb();
        for (int y0 = 0; y0 < height; y0 += B) {
            int y1 = Math.min(height, y0 + B);
            classify(rgb, y0, y1);
            int runs = runs(rgb, y0, y1);
            for (int y = y0; y < y1; y++) {
                byte[] fullRow = full[y % T];
                byte[] halfRow = halfDelta[y % T];
                System.arraycopy(rgb, y * stride, row, 0, stride);
                for (int k = 0; k < runs; k++) {
                    int kind = runKind[k];
                    byte[] d = (kind & 1) == 0 ? fullRow : halfRow;
                    if ((kind & 2) != 0) addClamped(d, runStart[k], runEnd[k]);
                    else add(d, runStart[k], runEnd[k]);
                }
                System.arraycopy(row, 0, rgb, y * stride, stride);
            }
        }
        return frame;
    }

    /**
     * Marks the blocks of the band [y0, y1) near black or white (mean luma < 16 or > 239, where clipping would bias the
     * mark), from 4 samples (pixels 0 and 4 of rows 1 and 5 of the band). Uniform strength elsewhere (measured:
     * better after H.264 than texture masking at the same PSNR, since the detector whitens by local deviation).
     */
    private void classify(byte[] rgb, int y0, int y1) {
        for (int bx = 0; bx < bw; bx++) {
            int x0 = bx * B;
            int x1 = Math.min(width, x0 + B);
            int sum = 0;
            int n = 0;
            for (int y = Math.min(y1 - 1, y0 + 1); y < y1; y += 4) {
                int i = y * stride + x0 * 3;
                for (int x = x0; x < x1; x += 4, i += 12) {
                    sum += 77 * (rgb[i] & 0xff) + 150 * (rgb[i + 1] & 0xff) + 29 * (rgb[i + 2] & 0xff);
                    n++;
                }
            }
            // mean (in 1/256 levels) < 16 or > 239
            half[bx] = (byte) (sum < (16 << 8) * n || sum > (239 << 8) * n ? 1 : 0);
        }
    }

    /**
     * Cuts the band [y0, y1) into runs of blocks of one strength and one verdict: whether any byte of the block lies
     * within reach of 0 or 255 for its strength (exact, over all rows of the band, 8 bytes at a time: SWAR "has a
     * byte less than n" on x and on ~x). Returns the number of runs ({@link #runStart}, {@link #runEnd} in row
     * bytes, {@link #runKind}: bit 0 half strength, bit 1 must clamp).
     */
    private int runs(byte[] rgb, int y0, int y1) {
        byte[] h = half;
        int runs = 0;
        int prev = -1;
        for (int bx = 0; bx < bw; bx++) {
            int s = bx * B * 3;
            long lim = h[bx] == 0 ? fullLimit : halfLimit;
            int kind = h[bx];
            if (s + B * 3 <= stride) {
                long any = 0;
                for (int y = y0, i = y0 * stride + s; y < y1; y++, i += stride) {
                    long x0 = (long) LONGS.get(rgb, i);
                    long x1 = (long) LONGS.get(rgb, i + 8);
                    long x2 = (long) LONGS.get(rgb, i + 16);
                    any |= ((x0 - lim) & ~x0) | ((~x0 - lim) & x0) | ((x1 - lim) & ~x1) | ((~x1 - lim) & x1)
                            | ((x2 - lim) & ~x2) | ((~x2 - lim) & x2);
                }
                if ((any & HIGH) != 0) kind |= 2;
            } else {
                int n = (int) (lim & 0xff);
                for (int y = y0; y < y1; y++) {
                    for (int i = y * stride + s, e = (y + 1) * stride; i < e; i++) {
                        if ((rgb[i] & 0xff) < n || (rgb[i] & 0xff) > 255 - n) kind |= 2;
                    }
                }
            }
            int e = Math.min(stride, s + B * 3);
            if (kind == prev) {
                runEnd[runs - 1] = e;
            } else {
                runStart[runs] = s;
                runEnd[runs] = e;
                runKind[runs] = (byte) kind;
                runs++;
                prev = kind;
            }
        }
        return runs;
    }

    /** row[i] += d[i]: no byte can leave 0..255 here; a plain loop over one index, which the JIT vectorises. */
    private void add(byte[] d, int s, int e) {
        byte[] r = row;
        for (int i = s; i < e; i++) r[i] = (byte) (r[i] + d[i]);
    }

    private void addClamped(byte[] d, int s, int e) {
        byte[] r = row;
        for (int i = s; i < e; i++) r[i] = (byte) Math.min(255, Math.max(0, (r[i] & 0xff) + d[i]));
    }
}
