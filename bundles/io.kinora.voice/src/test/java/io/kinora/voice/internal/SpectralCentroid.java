package io.kinora.voice.internal;

/** Mean spectral centroid of the loud frames of a signal, within [0, maxHz] (test helper). */
public final class SpectralCentroid {
    private SpectralCentroid() {
    }

    public static double mean(float[] x, int rate, double maxHz) {
        int n = Integer.highestOneBit((int) (0.040 * rate));
        int hop = n / 2;
        double[] win = new double[n];
        for (int i = 0; i < n; i++) win[i] = 0.5 - 0.5 * Math.cos(2 * Math.PI * i / (n - 1));
        double loudest = 0;
        for (int s = 0; s + n <= x.length; s += hop) loudest = Math.max(loudest, rms(x, s, n));
        double sum = 0;
        int count = 0;
        int maxBin = (int) Math.min(n / 2, Math.floor(maxHz * n / rate));
        for (int s = 0; s + n <= x.length; s += hop) {
            if (rms(x, s, n) < 0.1 * loudest) continue;
            double[] re = new double[n];
            double[] im = new double[n];
            for (int i = 0; i < n; i++) re[i] = x[s + i] * win[i];
            fft(re, im);
            double num = 0, den = 0;
            for (int k = 1; k <= maxBin; k++) {
                double mag = Math.hypot(re[k], im[k]);
                num += mag * k * rate / (double) n;
                den += mag;
            }
            if (den > 0) {
                sum += num / den;
                count++;
            }
        }
        return count == 0 ? Double.NaN : sum / count;
    }

    private static double rms(float[] x, int s, int n) {
        double e = 0;
        for (int i = s; i < s + n; i++) e += (double) x[i] * x[i];
        return Math.sqrt(e / n);
    }

    static void fft(double[] re, double[] im) {
        int n = re.length;
        for (int i = 1, j = 0; i < n; i++) {
            int bit = n >> 1;
            for (; (j & bit) != 0; bit >>= 1) j ^= bit;
            j ^= bit;
            if (i < j) {
                double t = re[i]; re[i] = re[j]; re[j] = t;
                t = im[i]; im[i] = im[j]; im[j] = t;
            }
        }
        for (int len = 2; len <= n; len <<= 1) {
            double ang = -2 * Math.PI / len;
            double wr = Math.cos(ang), wi = Math.sin(ang);
            for (int i = 0; i < n; i += len) {
                double cr = 1, ci = 0;
                for (int k = 0; k < len / 2; k++) {
                    int a = i + k, b = i + k + len / 2;
                    double xr = re[b] * cr - im[b] * ci;
                    double xi = re[b] * ci + im[b] * cr;
                    re[b] = re[a] - xr; im[b] = im[a] - xi;
                    re[a] += xr; im[a] += xi;
                    double t = cr * wr - ci * wi;
                    ci = cr * wi + ci * wr;
                    cr = t;
                }
            }
        }
    }
}
