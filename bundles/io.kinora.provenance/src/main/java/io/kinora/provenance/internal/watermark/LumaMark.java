package io.kinora.provenance.internal.watermark;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Random;

/**
 * A keyed spread-spectrum watermark in the luma of every frame. A 192x192 tile of 16x16 chips (12 px each,
 * smoothly interpolated) repeats over the picture (a chip stays 6 px wide after a 0.5x downscale, which H.264 at
 * CRF 28 still carries); each chip carries the sum of keyed, scrambled Walsh-Hadamard
 * rows: one synchronisation row (25 % of the power) and one row per coded bit (64-bit payload + CRC-24 through
 * a rate-1/2 K=7 convolutional code: 188 rows). Strength
 * follows local texture (masking). Detection folds high-passed luma modulo the tile (at several scales), finds
 * the tile phase by FFT correlation with the sync row (so crops are fine), reads every bit as a correlation sign,
 * decodes them with a soft-decision Viterbi decoder and checks the CRC.
 */
public final class LumaMark {
    /** Embedded tile, in pixels of the marked frame. */
    static final int CHIP = 12;
    static final int TILE = 16 * CHIP;
    /** Detection tile: the templates at 8 px chips; a fold of any period is resampled to it. */
    static final int DTILE = 128;
    static final int CHIPS = TILE / CHIP; // 16 per side
    static final int N = CHIPS * CHIPS; // 256 chips
    static final int PAYLOAD_BITS = 64;
    static final int CRC_BITS = 24;
    static final int CODE_BITS = PAYLOAD_BITS + CRC_BITS;
    /** Coded bits carried (one Walsh-Hadamard row each): the code word through the rate-1/2 convolutional code. */
    static final int CODED_BITS = Convolutional.codedLength(CODE_BITS);
    /** Share of the mark's power in the synchronisation row. */
    static final double SYNC_POWER = 0.25;

    /** Detection templates (DTILE x DTILE, row-major, unit RMS) for sync and each code bit. */
    final float[] sync;
    final float[][] bits;
    private final float[] syncChips;
    private final float[][] bitChips;

    public LumaMark(String key) {
        long seed = seed(key);
        Random rnd = new Random(seed);
        int[] perm = new int[N];
        for (int i = 0; i < N; i++) perm[i] = i;
        for (int i = N - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        int[] sign = new int[N];
        for (int i = 0; i < N; i++) sign[i] = rnd.nextBoolean() ? 1 : -1;
        // distinct Hadamard rows 1..255, key-chosen
        int[] rows = new int[N - 1];
        for (int i = 0; i < rows.length; i++) rows[i] = i + 1;
        for (int i = rows.length - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = rows[i];
            rows[i] = rows[j];
            rows[j] = t;
        }
        syncChips = chips(rows[0], perm, sign);
        sync = render(syncChips, DTILE / CHIPS, DTILE);
        bits = new float[CODED_BITS][];
        bitChips = new float[CODED_BITS][];
        for (int b = 0; b < CODED_BITS; b++) {
            bitChips[b] = chips(rows[b + 1], perm, sign);
            bits[b] = render(bitChips[b], DTILE / CHIPS, DTILE);
        }
    }

    static long seed(String key) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(("kinora-luma-mark:" + key).getBytes(StandardCharsets.UTF_8));
            long s = 0;
            for (int i = 0; i < 8; i++) s = (s << 8) | (h[i] & 0xff);
            return s;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static float[] chips(int row, int[] perm, int[] sign) {
        float[] c = new float[N];
        for (int i = 0; i < N; i++) c[i] = sign[i] * (Integer.bitCount(row & perm[i]) % 2 == 0 ? 1 : -1);
        return c;
    }

    /** Chip values to pixels: bilinear between chip centres, periodic over the tile; zero mean, unit RMS. */
    static float[] render(float[] chips, int chip, int tile) {
        float[] p = new float[tile * tile];
        double sum = 0;
        double sq = 0;
        for (int y = 0; y < tile; y++) {
            double fy = (y + 0.5) / chip - 0.5;
            int y0 = (int) Math.floor(fy);
            double ty = fy - y0;
            for (int x = 0; x < tile; x++) {
                double fx = (x + 0.5) / chip - 0.5;
                int x0 = (int) Math.floor(fx);
                double tx = fx - x0;
                double v = (1 - ty) * ((1 - tx) * chip(chips, x0, y0) + tx * chip(chips, x0 + 1, y0))
                        + ty * ((1 - tx) * chip(chips, x0, y0 + 1) + tx * chip(chips, x0 + 1, y0 + 1));
                p[y * tile + x] = (float) v;
                sum += v;
            }
        }
        double mean = sum / p.length;
        for (int i = 0; i < p.length; i++) {
            p[i] -= (float) mean;
            sq += p[i] * p[i];
        }
        float norm = (float) Math.sqrt(sq / p.length);
        for (int i = 0; i < p.length; i++) p[i] /= norm;
        return p;
    }

    private static float chip(float[] c, int x, int y) {
        return c[Math.floorMod(y, CHIPS) * CHIPS + Math.floorMod(x, CHIPS)];
    }

    /** The TILE x TILE pattern to add for a payload: sync with 30 % of the power, the code bits sharing the rest; unit RMS. */
    public float[] tile(long payload) {
        boolean[] code = Convolutional.encode(Payload.encode(payload));
        float[] c = new float[N];
        double ws = Math.sqrt(SYNC_POWER);
        double wb = Math.sqrt((1 - SYNC_POWER) / CODED_BITS);
        for (int i = 0; i < N; i++) {
            double v = ws * syncChips[i];
            for (int b = 0; b < CODED_BITS; b++) v += (code[b] ? wb : -wb) * bitChips[b][i];
            c[i] = (float) v;
        }
        return render(c, CHIP, TILE);
    }
}
