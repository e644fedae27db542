package io.kinora.provenance.internal.audio;

/**
 * ITU-R BS.1770-4 integrated loudness (K-weighting, 400 ms blocks with 75 % overlap, -70 LKFS absolute and -10 LU
 * relative gates) and a 4x oversampled true peak, for placing the spoken notice without moving the mix off its
 * loudness target. Channels are summed with weight 1 (mono/stereo masters).
 */
public final class Loudness {
    private Loudness() {
    }

    /** Integrated loudness in LUFS of interleaved samples, or {@code -Infinity} for silence / less than one block. */
    public static double integrated(float[] interleaved, int channels, int rate) {
        int frames = interleaved.length / channels;
        int block = (int) Math.round(0.4 * rate);
        int hop = block / 4;
        if (frames < block) return Double.NEGATIVE_INFINITY;
        double[] sq = new double[frames];
        for (int c = 0; c < channels; c++) {
            double[] shelf = shelf(rate);
            double[] hp = highPass(rate);
            double[] s1 = new double[4];
            double[] s2 = new double[4];
            for (int i = 0; i < frames; i++) {
                double y = biquad(shelf, s1, interleaved[i * channels + c]);
                y = biquad(hp, s2, y);
                sq[i] += y * y;
            }
        }
        double[] prefix = new double[frames + 1];
        for (int i = 0; i < frames; i++) prefix[i + 1] = prefix[i] + sq[i];
        int blocks = (frames - block) / hop + 1;
        double[] z = new double[blocks];
        for (int b = 0; b < blocks; b++) z[b] = (prefix[b * hop + block] - prefix[b * hop]) / block;
        double absGate = Math.pow(10, (-70 + 0.691) / 10);
        double sum = 0;
        int n = 0;
        for (double v : z) if (v > absGate) { sum += v; n++; }
        if (n == 0) return Double.NEGATIVE_INFINITY;
        double relGate = sum / n * Math.pow(10, -10 / 10.0);
        sum = 0;
        n = 0;
        for (double v : z) if (v > absGate && v > relGate) { sum += v; n++; }
        return n == 0 ? Double.NEGATIVE_INFINITY : -0.691 + 10 * Math.log10(sum / n);
    }

    /** True peak (linear) of frames {@code [from, to)}: the sample peak and 3 interpolated points between samples. */
    public static double truePeak(float[] interleaved, int channels, int from, int to) {
        int frames = interleaved.length / channels;
        from = Math.max(0, from);
        to = Math.min(frames, to);
        double peak = 0;
        for (int c = 0; c < channels; c++) {
            for (int i = from; i < to; i++) {
                peak = Math.max(peak, Math.abs(interleaved[i * channels + c]));
                for (int k = 1; k < 4; k++) peak = Math.max(peak, Math.abs(Resample.at(interleaved, channels, c, i + k / 4.0)));
            }
        }
        return peak;
    }

    private static double biquad(double[] k, double[] s, double x) {
        double y = k[0] * x + k[1] * s[0] + k[2] * s[1] - k[3] * s[2] - k[4] * s[3];
        s[1] = s[0];
        s[0] = x;
        s[3] = s[2];
        s[2] = y;
        return y;
    }

    /** BS.1770 stage 1 (high shelf), coefficients for any rate (b0, b1, b2, a1, a2). */
    private static double[] shelf(int rate) {
        double f0 = 1681.974450955533, g = 3.999843853973347, q = 0.7071752369554196;
        double k = Math.tan(Math.PI * f0 / rate);
        double vh = Math.pow(10, g / 20), vb = Math.pow(vh, 0.4996667741545416);
        double a0 = 1 + k / q + k * k;
        return new double[] {(vh + vb * k / q + k * k) / a0, 2 * (k * k - vh) / a0, (vh - vb * k / q + k * k) / a0,
                2 * (k * k - 1) / a0, (1 - k / q + k * k) / a0};
    }

    /** BS.1770 stage 2 (RLB high-pass). */
    private static double[] highPass(int rate) {
        double f0 = 38.13547087602444, q = 0.5003270373238773;
        double k = Math.tan(Math.PI * f0 / rate);
        double a0 = 1 + k / q + k * k;
        return new double[] {1, -2, 1, 2 * (k * k - 1) / a0, (1 - k / q + k * k) / a0};
    }
}
