package io.kinora.voice.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A small autocorrelation F0 estimator for tests: 40 ms frames every 10 ms; a frame is voiced when it is
 * loud (RMS at least 10 % of the loudest frame) and periodic (normalized autocorrelation peak of 0.6 or more
 * for a period between 50 and 400 Hz); the period is the smallest lag whose correlation is within 10 %
 * of the best, refined by parabolic interpolation (so a strong sub-harmonic does not halve the estimate).
 */
public final class PitchEstimator {
    private PitchEstimator() {
    }

    /** Median F0 in Hz over the voiced frames, or NaN when no frame is voiced. */
    public static double medianF0(float[] x, int rate) {
        List<Double> f0 = frameF0(x, rate);
        if (f0.isEmpty()) return Double.NaN;
        Collections.sort(f0);
        return f0.get(f0.size() / 2);
    }

    public static List<Double> frameF0(float[] x, int rate) {
        int win = (int) (0.040 * rate);
        int hop = (int) (0.010 * rate);
        int minLag = rate / 400;
        int maxLag = rate / 50;
        double loudest = 0;
        for (int s = 0; s + win <= x.length; s += hop) loudest = Math.max(loudest, rms(x, s, win));
        List<Double> out = new ArrayList<>();
        for (int s = 0; s + win + maxLag + 1 <= x.length; s += hop) {
            if (rms(x, s, win) < 0.1 * loudest) continue;
            double[] r = new double[maxLag + 2];
            double best = 0;
            for (int lag = minLag; lag <= maxLag + 1; lag++) {
                double c = 0, e1 = 0, e2 = 0;
                for (int i = 0; i < win; i++) {
                    double a = x[s + i], b = x[s + i + lag];
                    c += a * b;
                    e1 += a * a;
                    e2 += b * b;
                }
                r[lag] = c / Math.sqrt(e1 * e2 + 1e-12);
                if (lag <= maxLag) best = Math.max(best, r[lag]);
            }
            if (best < 0.6) continue;
            int lag = -1;
            for (int l = minLag + 1; l <= maxLag; l++) {
                if (r[l] >= 0.9 * best && r[l] >= r[l - 1] && r[l] >= r[l + 1]) {
                    lag = l;
                    break;
                }
            }
            if (lag < 0) continue;
            double denom = r[lag - 1] - 2 * r[lag] + r[lag + 1];
            double shift = denom == 0 ? 0 : 0.5 * (r[lag - 1] - r[lag + 1]) / denom;
            out.add(rate / (lag + shift));
        }
        return out;
    }

    public static double rms(float[] x, int from, int n) {
        double e = 0;
        for (int i = from; i < from + n && i < x.length; i++) e += x[i] * x[i];
        return Math.sqrt(e / n);
    }

    public static double semitones(double f1, double f2) {
        return 12 * Math.abs(Math.log(f1 / f2) / Math.log(2));
    }
}
