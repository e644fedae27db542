package io.kinora.provenance.internal.watermark;

/**
 * Finds a {@link LumaMark} in decoded luma frames: frames whose short side exceeds 560 px are first averaged 2x2
 * (the mark's 16 px chips survive it, and there are four times fewer pixels to fold), then whitened (luma minus
 * its 9x9 mean over the 17x17 deviation + 2, clipped), folded modulo the tile period at candidate scales (1, 0.9,
 * 0.75, 0.667, 0.5 of the marked size: the common renditions and downscales), resampled to the 128 px detection
 * tile, locate the sync row by FFT cross-correlation (any crop offset), then read the code bits and Chase-decode
 * against the CRC-24. A payload is only reported when the sync peak is significant AND the CRC checks.
 */
public final class LumaDetector {
    /**
     * Sync peak z-score needed to read a payload: the null distribution over 240 unmarked clips (NullDistributionTest)
     * has mean 3.61, sd 0.38, max 4.72; 5.6 is over 5 sd above the mean (Gaussian tail < 3e-7), and a payload must
     * then also pass the CRC-24 (6e-8). Marked clips after 0.5x + crop + CRF 28 score 6.6 and more.
     */
    static final double SYNC_Z = 5.6;
    /** Whitened luma is clipped to +-1 so edges and highlights do not dominate the fold. */
    static final float CLIP = 1.0f;
    /** Whitening: luma minus its (2R+1)^2 mean, over the (2RS+1)^2 standard deviation + EPS (measured on real clips). */
    static final int R = 4;
    static final int RS = 8;
    static final double EPS = 2.0;
    static final double[] SCALES = {1.0, 0.9, 0.75, 2.0 / 3.0, 0.5};
    private final LumaMark mark;
    private final float[][] accumulators;
    private final int[] periods;
    private int frames;
    private int width;
    private int height;
    /** 2 when frames are averaged 2x2 before folding, 1 for small frames. */
    private int factor;
    private byte[] half;
    /** Integral images of luma and squared luma, and the fold columns per scale: allocated on the first frame. */
    private long[] sum;
    private long[] sq;
    private int[][] cols;
    /** The hard-decided coded bits of the last {@link #detect()} (before decoding), for measurements. */
    boolean[] lastCode;
    /** Coded bits of the last {@link #detect()} whose hard decision differs from the decoded word re-encoded. */
    int lastErrors;

    /**
     * The outcome: found or not, the payload, the sync z-score, the scale, coded bits in error (of 188, corrected by
     * the Viterbi decoder when found), a confidence in [0, 1], frames read.
     */
    public record Detection(boolean found, Long payload, double syncZ, double scale, int corrected, double confidence, int frames) {
    }

    public LumaDetector(LumaMark mark) {
        this.mark = mark;
        this.periods = new int[SCALES.length];
        this.accumulators = new float[SCALES.length][];
    }

    /** Frames added so far. */
    public int frames() {
        return frames;
    }

    /**
     * Adds one frame of 8-bit luma, {@code width x height}, row-major. The frame is whitened: luma minus its
     * 9x9 mean, divided by the 17x17 standard deviation (+2) so textured regions do not drown the mark, clipped.
     */
    public void add(byte[] frameLuma, int frameWidth, int frameHeight) {
        if (frames == 0) {
            this.width = frameWidth;
            this.height = frameHeight;
            factor = Math.min(frameWidth, frameHeight) > 560 ? 2 : 1;
            for (int s = 0; s < SCALES.length; s++) {
                periods[s] = (int) Math.round(LumaMark.TILE * SCALES[s] / factor);
                accumulators[s] = new float[periods[s] * periods[s]];
            }
        } else if (frameWidth != this.width || frameHeight != this.height) {
            throw new IllegalArgumentException("frame is " + frameWidth + "x" + frameHeight + ", earlier frames were " + this.width + "x" + this.height);
        }
        if (frameLuma.length < frameWidth * frameHeight) throw new IllegalArgumentException("luma is shorter than " + frameWidth + "x" + frameHeight);
        byte[] luma = frameLuma;
        int width = frameWidth;
        int height = frameHeight;
        if (factor == 2) {
            width = frameWidth / 2;
            height = frameHeight / 2;
            if (half == null) half = new byte[width * height];
            for (int y = 0; y < height; y++) {
                int a = 2 * y * frameWidth;
                int b = a + frameWidth;
                int o = y * width;
                for (int x = 0; x < width; x++, a += 2, b += 2) {
                    half[o + x] = (byte) (((frameLuma[a] & 0xff) + (frameLuma[a + 1] & 0xff) + (frameLuma[b] & 0xff) + (frameLuma[b + 1] & 0xff) + 2) >> 2);
                }
            }
            luma = half;
        }
        int w1 = width + 1;
        if (sum == null) { // per detector (one clip, one size): reused for every frame
            sum = new long[w1 * (height + 1)];
            sq = new long[w1 * (height + 1)];
            cols = new int[periods.length][width];
            for (int s = 0; s < periods.length; s++) for (int x = 0; x < width; x++) cols[s][x] = x % periods[s];
        }
        long[] sum = this.sum;
        long[] sq = this.sq;
        int[][] cols = this.cols;
        for (int y = 0; y < height; y++) {
            long rs = 0;
            long rq = 0;
            for (int x = 0; x < width; x++) {
                int l = luma[y * width + x] & 0xff;
                rs += l;
                rq += (long) l * l;
                sum[(y + 1) * w1 + x + 1] = sum[y * w1 + x + 1] + rs;
                sq[(y + 1) * w1 + x + 1] = sq[y * w1 + x + 1] + rq;
            }
        }
        int[] rows = new int[periods.length];
        for (int y = 0; y < height; y++) {
            for (int s = 0; s < periods.length; s++) rows[s] = (y % periods[s]) * periods[s];
            int y0 = Math.max(0, y - R);
            int y1 = Math.min(height, y + R + 1);
            int v0 = Math.max(0, y - RS);
            int v1 = Math.min(height, y + RS + 1);
            for (int x = 0; x < width; x++) {
                int x0 = Math.max(0, x - R);
                int x1 = Math.min(width, x + R + 1);
                double mean = (double) (sum[y1 * w1 + x1] - sum[y0 * w1 + x1] - sum[y1 * w1 + x0] + sum[y0 * w1 + x0]) / ((y1 - y0) * (x1 - x0));
                int u0 = Math.max(0, x - RS);
                int u1 = Math.min(width, x + RS + 1);
                int n = (v1 - v0) * (u1 - u0);
                double m9 = (double) (sum[v1 * w1 + u1] - sum[v0 * w1 + u1] - sum[v1 * w1 + u0] + sum[v0 * w1 + u0]) / n;
                double q9 = (double) (sq[v1 * w1 + u1] - sq[v0 * w1 + u1] - sq[v1 * w1 + u0] + sq[v0 * w1 + u0]) / n;
                double std = Math.sqrt(Math.max(0, q9 - m9 * m9));
                float hp = (float) (((luma[y * width + x] & 0xff) - mean) / (std + EPS));
                if (hp > CLIP) hp = CLIP;
                else if (hp < -CLIP) hp = -CLIP;
                for (int s = 0; s < periods.length; s++) {
                    int p = periods[s];
                    accumulators[s][rows[s] + cols[s][x]] += hp;
                }
            }
        }
        frames++;
    }

    public Detection detect() {
        if (frames == 0) return new Detection(false, null, 0, 0, 0, 0, 0);
        int t = LumaMark.DTILE;
        double bestZ = -1;
        int bestS = 0;
        int bestDx = 0;
        int bestDy = 0;
        float[] bestTile = null;
        double[] syncRe = new double[t * t];
        double[] syncIm = new double[t * t];
        for (int i = 0; i < t * t; i++) syncRe[i] = mark.sync[i];
        Fft.fft2(syncRe, syncIm, t, false);
        for (int s = 0; s < SCALES.length; s++) {
            float[] tile = resample(accumulators[s], periods[s], t);
            double[] re = new double[t * t];
            double[] im = new double[t * t];
            for (int i = 0; i < re.length; i++) re[i] = tile[i];
            Fft.fft2(re, im, t, false);
            for (int i = 0; i < re.length; i++) { // X * conj(S)
                double a = re[i];
                double b = im[i];
                re[i] = a * syncRe[i] + b * syncIm[i];
                im[i] = b * syncRe[i] - a * syncIm[i];
            }
            Fft.fft2(re, im, t, true);
            double mean = 0;
            double max = Double.NEGATIVE_INFINITY;
            int arg = 0;
            for (int i = 0; i < re.length; i++) {
                mean += re[i];
                if (re[i] > max) {
                    max = re[i];
                    arg = i;
                }
            }
            mean /= re.length;
            double var = 0;
            for (double v : re) var += (v - mean) * (v - mean);
            double z = (max - mean) / Math.sqrt(var / re.length + 1e-12);
            if (z > bestZ) {
                bestZ = z;
                bestS = s;
                bestDy = arg / t;
                bestDx = arg % t;
                bestTile = tile;
            }
        }
        if (bestZ < SYNC_Z) return new Detection(false, null, bestZ, SCALES[bestS], 0, 0, frames);
        // align: tile[(y + dy), (x + dx)] ~ pattern[y, x]
        float[] aligned = new float[t * t];
        for (int y = 0; y < t; y++) {
            for (int x = 0; x < t; x++) aligned[y * t + x] = bestTile[((y + bestDy) % t) * t + (x + bestDx) % t];
        }
        int n = LumaMark.CODED_BITS;
        double[] corr = new double[n];
        boolean[] hard = new boolean[n];
        double norm = 0;
        for (int b = 0; b < n; b++) {
            double c = 0;
            float[] p = mark.bits[b];
            for (int i = 0; i < p.length; i++) c += aligned[i] * p[i];
            corr[b] = c;
            hard[b] = c > 0;
            norm += c * c;
        }
        norm = Math.sqrt(norm / n) + 1e-12;
        for (int b = 0; b < n; b++) corr[b] /= norm;
        boolean[] info = Convolutional.decode(corr, LumaMark.CODE_BITS);
        Long p = Payload.decode(info);
        boolean[] recoded = Convolutional.encode(info);
        int errors = 0;
        for (int b = 0; b < n; b++) if (recoded[b] != hard[b]) errors++;
        lastCode = hard;
        lastErrors = errors;
        if (p == null) return new Detection(false, null, bestZ, SCALES[bestS], errors, 0, frames);
        // false alarm bound: the sync peak over all shifts and scales, times the chance that a random word passes the CRC
        double pSync = Math.min(1.0, (double) t * t * SCALES.length * tail(bestZ));
        double pCrc = 1.0 / (1 << LumaMark.CRC_BITS);
        return new Detection(true, p, bestZ, SCALES[bestS], errors, 1.0 - pSync * pCrc, frames);
    }

    /** Upper tail of the standard normal, Q(z). */
    static double tail(double z) {
        double t = 1.0 / (1.0 + 0.2316419 * Math.abs(z));
        double d = 0.3989422804014327 * Math.exp(-z * z / 2);
        double q = d * t * (0.31938153 + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 + t * 1.330274429))));
        return z >= 0 ? q : 1 - q;
    }

    /** Periodic bilinear resampling of a p x p tile to t x t. */
    static float[] resample(float[] src, int p, int t) {
        float[] out = new float[t * t];
        double f = (double) p / t;
        double mean = 0;
        for (int y = 0; y < t; y++) {
            double sy = (y + 0.5) * f - 0.5;
            int y0 = (int) Math.floor(sy);
            double ty = sy - y0;
            for (int x = 0; x < t; x++) {
                double sx = (x + 0.5) * f - 0.5;
                int x0 = (int) Math.floor(sx);
                double tx = sx - x0;
                double v = (1 - ty) * ((1 - tx) * at(src, p, x0, y0) + tx * at(src, p, x0 + 1, y0))
                        + ty * ((1 - tx) * at(src, p, x0, y0 + 1) + tx * at(src, p, x0 + 1, y0 + 1));
                out[y * t + x] = (float) v;
                mean += v;
            }
        }
        mean /= out.length;
        for (int i = 0; i < out.length; i++) out[i] -= (float) mean;
        return out;
    }

    private static float at(float[] a, int p, int x, int y) {
        return a[Math.floorMod(y, p) * p + Math.floorMod(x, p)];
    }
}
