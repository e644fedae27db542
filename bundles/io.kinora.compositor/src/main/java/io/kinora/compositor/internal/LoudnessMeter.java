package io.kinora.compositor.internal;

/**
 * Loudness and peak measurement after ITU-R BS.1770-4.
 *
 * <ul>
 *   <li>K-weighting: the two-stage pre-filter (high shelf + RLB high-pass). At 48 kHz the coefficients equal the
 *       ones tabulated in the standard; other rates use the same analogue prototype through the bilinear transform.</li>
 *   <li>Integrated loudness: 400 ms blocks with 75 % overlap, absolute gate at -70 LKFS, relative gate 10 LU below
 *       the absolute-gated level; channel weights 1.0 for left/right (mono counts as one channel). A signal shorter
 *       than one block is measured as a single block.</li>
 *   <li>True peak: 4x over-sampled (Kaiser-windowed sinc interpolation, the original samples included), Annex 2.</li>
 * </ul>
 * Returns {@link Double#NEGATIVE_INFINITY} for digital silence or a signal entirely below the absolute gate.
 */
final class LoudnessMeter {
    static final double ABSOLUTE_GATE_LKFS = -70.0;
    static final double RELATIVE_GATE_LU = -10.0;
    static final int OVERSAMPLING = 4;

    private LoudnessMeter() {
    }

    /** Integrated loudness in LUFS of interleaved PCM with 1 or 2 channels. */
    static double integrated(float[] interleaved, int channels, int sampleRate) {
        if (channels < 1 || channels > 2) throw new IllegalArgumentException("1 or 2 channels supported, got " + channels);
        int frames = interleaved.length / channels;
        if (frames == 0) return Double.NEGATIVE_INFINITY;
        int hop = (int) Math.round(sampleRate * 0.1);
        int segments = frames / hop;
        // mean squares of K-weighted signal summed over channels, per 100 ms segment
        double[] segSum = new double[Math.max(segments, 1)];
        double totalSum = 0;
        for (int ch = 0; ch < channels; ch++) {
            Biquad shelf = Biquad.kShelf(sampleRate);
            Biquad hp = Biquad.kHighPass(sampleRate);
            for (int n = 0; n < frames; n++) {
                double y = hp.process(shelf.process(interleaved[n * channels + ch]));
                double e = y * y; // channel weight 1.0 (L, R, C)
                int s = n / hop;
                if (s < segments) segSum[s] += e;
                totalSum += e;
            }
        }
        double[] blocks;
        if (segments < 4) {
            blocks = new double[] {totalSum / frames};
        } else {
            blocks = new double[segments - 3];
            for (int j = 0; j < blocks.length; j++) {
                blocks[j] = (segSum[j] + segSum[j + 1] + segSum[j + 2] + segSum[j + 3]) / (4.0 * hop);
            }
        }
        double absSum = 0;
        int absCount = 0;
        for (double z : blocks) {
            if (lkfs(z) > ABSOLUTE_GATE_LKFS) {
                absSum += z;
                absCount++;
            }
        }
        if (absCount == 0) return Double.NEGATIVE_INFINITY;
        double relativeGate = lkfs(absSum / absCount) + RELATIVE_GATE_LU;
        double sum = 0;
        int count = 0;
        for (double z : blocks) {
            double l = lkfs(z);
            if (l > ABSOLUTE_GATE_LKFS && l > relativeGate) {
                sum += z;
                count++;
            }
        }
        return count == 0 ? Double.NEGATIVE_INFINITY : lkfs(sum / count);
    }

    static double lkfs(double weightedMeanSquare) {
        return weightedMeanSquare <= 0 ? Double.NEGATIVE_INFINITY : -0.691 + 10 * Math.log10(weightedMeanSquare);
    }

    /** Largest absolute sample value, linear. */
    static double samplePeak(float[] samples) {
        double p = 0;
        for (float v : samples) p = Math.max(p, Math.abs(v));
        return p;
    }

    /** True peak (linear) over all channels. */
    static double truePeak(float[] interleaved, int channels) {
        double[] perFrame = truePeakPerFrame(interleaved, channels, new Interpolator());
        double p = 0;
        for (double v : perFrame) p = Math.max(p, v);
        return p;
    }

    /**
     * For each sample frame n, the largest absolute value over all channels of the sample itself and of the
     * interpolated signal between n-1 and n+1.
     */
    static double[] truePeakPerFrame(float[] interleaved, int channels, Interpolator ip) {
        return truePeakPerFrame(interleaved, channels, ip, 0);
    }

    /**
     * As {@link #truePeakPerFrame(float[], int, Interpolator)}, exact wherever the true peak can reach {@code floor}:
     * in blocks where the largest sample within the filter's reach, times the sum of the filter's absolute taps (a
     * hard bound on any interpolated value), stays below {@code floor}, the value is the sample's own magnitude (a
     * lower bound, itself below {@code floor}). Callers that only ask "above the floor, and by how much" get exact
     * answers at a fraction of the cost, since most of a normalised master lies well below its ceiling.
     */
    static double[] truePeakPerFrame(float[] interleaved, int channels, Interpolator ip, double floor) {
        int frames = interleaved.length / channels;
        double[] out = new double[frames];
        int half = Interpolator.HALF;
        final int block = 64;
        double bound = floor / ip.gainBound();
        // one channel at a time, contiguous and zero-padded, so the FIR runs without index arithmetic or bounds logic
        float[] x = new float[frames + 2 * half];
        for (int ch = 0; ch < channels; ch++) {
            for (int n = 0; n < frames; n++) x[half + n] = interleaved[n * channels + ch];
            double prevSegment = 0; // max of interpolated points between n-1 and n
            for (int b0 = 0; b0 < frames; b0 += block) {
                int b1 = Math.min(frames, b0 + block);
                if (bound > 0) {
                    float m = 0;
                    for (int i = b0; i < b1 + 2 * half; i++) m = Math.max(m, Math.abs(x[i]));
                    if (m < bound) {
                        for (int n = b0; n < b1; n++) out[n] = Math.max(out[n], Math.abs(x[half + n]));
                        prevSegment = 0;
                        continue;
                    }
                }
                for (int n = b0; n < b1; n++) {
                    double seg = ip.maxBetween(x, n + 1); // between n and n+1
                    double v = Math.max(Math.abs(x[half + n]), Math.max(seg, prevSegment));
                    if (v > out[n]) out[n] = v;
                    prevSegment = seg;
                }
            }
        }
        return out;
    }

    static double toDb(double linear) {
        return linear <= 0 ? Double.NEGATIVE_INFINITY : 20 * Math.log10(linear);
    }

    /** 4x band-limited interpolator: values at n + k/4, k = 1..3. */
    static final class Interpolator {
        static final int HALF = 12; // input samples each side
        private final float[][] phases = new float[OVERSAMPLING - 1][2 * HALF];

        Interpolator() {
            double cutoff = 0.5 * 0.92; // cycles per input sample: flat to about 22 kHz at 48 kHz
            double halfWidth = HALF;
            for (int k = 1; k < OVERSAMPLING; k++) {
                double frac = (double) k / OVERSAMPLING;
                double sum = 0;
                double[] c = new double[2 * HALF];
                for (int j = 0; j < 2 * HALF; j++) {
                    double t = frac + HALF - 1 - j;
                    double x = 2 * cutoff * t;
                    double sinc = x == 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
                    double r = t / halfWidth;
                    double w = Math.abs(r) >= 1 ? 0 : Resampler.besselI0(7.0 * Math.sqrt(1 - r * r)) / Resampler.besselI0(7.0);
                    c[j] = 2 * cutoff * sinc * w;
                    sum += c[j];
                }
                for (int j = 0; j < 2 * HALF; j++) phases[k - 1][j] = (float) (c[j] / sum);
            }
        }

        /** The largest gain any interpolated point can have over the samples: the sum of absolute taps of a phase. */
        double gainBound() {
            double worst = 1;
            for (float[] h : phases) {
                double sum = 0;
                for (float v : h) sum += Math.abs(v);
                worst = Math.max(worst, sum);
            }
            return worst;
        }

        /**
         * Largest absolute interpolated value strictly between frame n and n+1 of a zero-padded channel: {@code x}
         * holds the channel from index HALF on, and {@code first} = n + 1 is the index of the first tap.
         */
        double maxBetween(float[] x, int first) {
            float[] h0 = phases[0], h1 = phases[1], h2 = phases[2];
            float a0 = 0, a1 = 0, a2 = 0;
            for (int j = 0; j < 2 * HALF; j++) {
                float v = x[first + j];
                a0 += h0[j] * v;
                a1 += h1[j] * v;
                a2 += h2[j] * v;
            }
            return Math.max(Math.abs(a0), Math.max(Math.abs(a1), Math.abs(a2)));
        }
    }

    /** Direct-form I biquad in double precision. */
    static final class Biquad {
        final double b0, b1, b2, a1, a2;
        private double x1, x2, y1, y2;

        Biquad(double b0, double b1, double b2, double a1, double a2) {
            this.b0 = b0;
            this.b1 = b1;
            this.b2 = b2;
            this.a1 = a1;
            this.a2 = a2;
        }

        /** Stage 1 of the K-weighting: high shelf, about +4 dB above 2 kHz (head acoustics). */
        static Biquad kShelf(int rate) {
            double f0 = 1681.974450955533;
            double gainDb = 3.999843853973347;
            double q = 0.7071752369554196;
            double k = Math.tan(Math.PI * f0 / rate);
            double vh = Math.pow(10.0, gainDb / 20.0);
            double vb = Math.pow(vh, 0.4996667741545416);
            double a0 = 1.0 + k / q + k * k;
            return new Biquad((vh + vb * k / q + k * k) / a0, 2.0 * (k * k - vh) / a0, (vh - vb * k / q + k * k) / a0,
                    2.0 * (k * k - 1.0) / a0, (1.0 - k / q + k * k) / a0);
        }

        /** Stage 2 of the K-weighting: the RLB high-pass (about 38 Hz). */
        static Biquad kHighPass(int rate) {
            double f0 = 38.13547087602444;
            double q = 0.5003270373238773;
            double k = Math.tan(Math.PI * f0 / rate);
            double a0 = 1.0 + k / q + k * k;
            return new Biquad(1.0, -2.0, 1.0, 2.0 * (k * k - 1.0) / a0, (1.0 - k / q + k * k) / a0);
        }

        double process(double x) {
            double y = b0 * x + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2;
            x2 = x1;
            x1 = x;
            y2 = y1;
            y1 = y;
            return y;
        }
    }
}
