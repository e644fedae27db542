package io.kinora.compositor.internal;

/**
 * Offline look-ahead limiter that keeps the 4x over-sampled true peak of a stereo-linked signal at or below a
 * ceiling. Working on the whole buffer, it has no latency: the gain needed at each sample (from the true peak
 * around it) is spread backwards over the look-ahead window (sliding minimum + moving average, so the gain is
 * already down when the peak arrives) and recovers with an exponential release.
 */
final class TruePeakLimiter {
    private final double ceiling;      // linear
    private final int lookahead;       // samples
    private final double releaseCoeff; // per sample

    TruePeakLimiter(double ceilingDbtp, int sampleRate, double lookaheadMs, double releaseMs) {
        this.ceiling = Math.pow(10, ceilingDbtp / 20);
        this.lookahead = Math.max(1, (int) Math.round(lookaheadMs * sampleRate / 1000));
        this.releaseCoeff = Math.exp(-1.0 / (releaseMs * sampleRate / 1000));
    }

    /** Limits in place; returns the largest gain reduction applied in dB (0 when nothing was touched). */
    double apply(float[] interleaved, int channels) {
        return apply(interleaved, channels, null);
    }

    /**
     * Limits in place and, when {@code envelope} is given (one value per sample frame), stores the gain applied to
     * each frame there, so that the same limiting can be applied to the parts (stems) the signal was summed from.
     */
    double apply(float[] interleaved, int channels, float[] envelope) {
        return apply(interleaved, channels, envelope, null, 1.0);
    }

    /**
     * As {@link #apply(float[], int, float[])}, with the per-frame true peak of the signal already known:
     * {@code truePeak[n] * scale} (the true peak of a scaled signal is the scaled true peak), so repeated passes over
     * one premix at different gains measure it only once.
     */
    double apply(float[] interleaved, int channels, float[] envelope, double[] truePeak, double scale) {
        int frames = interleaved.length / channels;
        if (envelope != null) java.util.Arrays.fill(envelope, 1f);
        if (frames == 0) return 0;
        LoudnessMeter.Interpolator ip = new LoudnessMeter.Interpolator();
        // small safety margin: gain changes themselves move inter-sample peaks a little
        double target = ceiling * 0.985;
        double[] tp;
        if (truePeak == null) {
            tp = LoudnessMeter.truePeakPerFrame(interleaved, channels, ip, target);
        } else {
            tp = new double[frames];
            for (int n = 0; n < frames; n++) tp[n] = truePeak[n] * scale;
        }
        double[] need = new double[frames];
        boolean any = false;
        for (int n = 0; n < frames; n++) {
            need[n] = tp[n] > target ? target / tp[n] : 1.0;
            any |= need[n] < 1.0;
        }
        if (!any) return 0;
        double[] g1 = slidingMinForward(need, lookahead);
        double[] g2 = movingAverageBackward(g1, lookahead + 1);
        double g = 1.0, minGain = 1.0;
        for (int n = 0; n < frames; n++) {
            double want = g2[n];
            g = want <= g ? want : want + (g - want) * releaseCoeff;
            minGain = Math.min(minGain, g);
            if (envelope != null) envelope[n] = (float) g;
            for (int ch = 0; ch < channels; ch++) interleaved[n * channels + ch] *= (float) g;
        }
        // guarantee the ceiling after the fact (inter-sample peaks of the gain-modulated signal)
        double after = 0;
        for (double v : LoudnessMeter.truePeakPerFrame(interleaved, channels, ip, ceiling)) after = Math.max(after, v);
        if (after > ceiling) {
            float trim = (float) (ceiling / after * 0.999);
            for (int i = 0; i < interleaved.length; i++) interleaved[i] *= trim;
            if (envelope != null) for (int n = 0; n < frames; n++) envelope[n] *= trim;
            minGain *= trim;
        }
        return -LoudnessMeter.toDb(minGain);
    }

    /** out[n] = min(x[n .. n+w]) with a monotonic deque, O(n). */
    static double[] slidingMinForward(double[] x, int w) {
        int n = x.length;
        double[] out = new double[n];
        int[] dq = new int[n + 1];
        int head = 0, tail = 0;
        // process from the end so the window [i, i+w] is "behind" the scan
        for (int i = n - 1; i >= 0; i--) {
            while (tail > head && x[dq[tail - 1]] >= x[i]) tail--;
            dq[tail++] = i;
            while (dq[head] > i + w) head++;
            out[i] = x[dq[head]];
        }
        return out;
    }

    /**
     * out[n] = mean(x[n-w+1 .. n]); values before the start are taken as x[0], which keeps out[n] at or below
     * the required gain for the first samples too.
     */
    static double[] movingAverageBackward(double[] x, int w) {
        double[] out = new double[x.length];
        if (x.length == 0) return out;
        double sum = w * x[0];
        for (int n = 0; n < x.length; n++) {
            sum += x[n];
            sum -= n - w >= 0 ? x[n - w] : x[0];
            out[n] = sum / w;
        }
        return out;
    }
}
