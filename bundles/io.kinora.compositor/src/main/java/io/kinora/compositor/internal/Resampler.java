package io.kinora.compositor.internal;

/**
 * Band-limited sample-rate conversion with a Kaiser-windowed sinc (polyphase for rational ratios).
 *
 * <p>The cut-off sits at 95 % of the lower of the two Nyquist frequencies, the window (beta 9, 24 zero crossings
 * each side) gives more than 90 dB of stop-band rejection, so up-sampling leaves no images and down-sampling no
 * aliases. Every phase is normalised to unity DC gain. For ratios with at most {@value #MAX_TABLE_PHASES} phases
 * the coefficients are tabulated once; other ratios compute them per output sample (correct, just slower).
 */
final class Resampler {
    static final int MAX_TABLE_PHASES = 4096;
    private static final int ZERO_CROSSINGS = 24;
    private static final double BETA = 9.0;
    private static final double ROLLOFF = 0.95;

    private final int inRate;
    private final int outRate;
    private final long up;   // L: output rate / gcd
    private final long down; // M: input rate / gcd
    private final double cutoff;   // cycles per input sample
    private final double halfWidth; // kernel half width in input samples
    private final int taps;         // coefficients per phase
    private final float[][] table;  // [phase][tap], or null

    Resampler(int inRate, int outRate) {
        if (inRate <= 0 || outRate <= 0) throw new IllegalArgumentException("rates must be positive");
        this.inRate = inRate;
        this.outRate = outRate;
        long g = gcd(inRate, outRate);
        this.up = outRate / g;
        this.down = inRate / g;
        this.cutoff = 0.5 * ROLLOFF * Math.min(1.0, (double) outRate / inRate);
        this.halfWidth = ZERO_CROSSINGS / (2.0 * cutoff);
        this.taps = 2 * (int) Math.ceil(halfWidth);
        if (up <= MAX_TABLE_PHASES) {
            table = new float[(int) up][];
            for (int p = 0; p < up; p++) table[p] = coefficients((double) p / up);
        } else {
            table = null;
        }
    }

    /** Resamples one channel. */
    static float[] resample(float[] in, int inRate, int outRate) {
        if (inRate == outRate) return in.clone();
        return new Resampler(inRate, outRate).process(in);
    }

    /** Number of output samples for {@code n} input samples. */
    long outputLength(long n) {
        return (n * up + down - 1) / down;
    }

    float[] process(float[] in) {
        long outLen = outputLength(in.length);
        if (outLen > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("audio too long to resample");
        float[] out = new float[(int) outLen];
        int half = taps / 2;
        for (int m = 0; m < out.length; m++) {
            long pos = m * down;          // input position times L
            long base = pos / up;         // integer input sample at or before the output instant
            int phase = (int) (pos % up);
            float[] h = table != null ? table[phase] : coefficients((double) phase / up);
            // tap j covers input sample base - half + 1 + j
            long first = base - half + 1;
            double acc = 0;
            int j0 = (int) Math.max(0, -first);
            int j1 = (int) Math.min(taps, in.length - first);
            for (int j = j0; j < j1; j++) acc += h[j] * in[(int) (first + j)];
            out[m] = (float) acc;
        }
        return out;
    }

    /** Kernel sampled at the input samples around an output instant {@code frac} (0..1) after a sample. */
    private float[] coefficients(double frac) {
        int half = taps / 2;
        double[] c = new double[taps];
        double sum = 0;
        for (int j = 0; j < taps; j++) {
            double t = frac + half - 1 - j; // distance from output instant to input sample base - half + 1 + j
            c[j] = kernel(t);
            sum += c[j];
        }
        float[] f = new float[taps];
        for (int j = 0; j < taps; j++) f[j] = (float) (c[j] / sum);
        return f;
    }

    private double kernel(double t) {
        if (Math.abs(t) >= halfWidth) return 0;
        double x = 2 * cutoff * t;
        double sinc = x == 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
        double r = t / halfWidth;
        return 2 * cutoff * sinc * besselI0(BETA * Math.sqrt(1 - r * r)) / besselI0(BETA);
    }

    static double besselI0(double x) {
        double sum = 1, term = 1, q = x * x / 4;
        for (int k = 1; k < 64; k++) {
            term *= q / ((double) k * k);
            sum += term;
            if (term < sum * 1e-17) break;
        }
        return sum;
    }

    private static long gcd(long a, long b) {
        while (b != 0) {
            long t = a % b;
            a = b;
            b = t;
        }
        return a;
    }

    @Override
    public String toString() {
        return "Resampler[" + inRate + " -> " + outRate + " Hz, " + up + "/" + down + ", " + taps + " taps]";
    }
}
