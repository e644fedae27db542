package io.kinora.ambient.internal;

/** Measurements for the tests: levels, correlation and a spectral centroid from a small radix-2 FFT. */
final class Measure {
    private Measure() {
    }

    static float[] channel(float[] interleaved, int channel) {
        float[] out = new float[interleaved.length / 2];
        for (int i = 0; i < out.length; i++) out[i] = interleaved[2 * i + channel];
        return out;
    }

    static double rmsDb(float[] x) {
        double e = 0;
        for (float v : x) e += (double) v * v;
        return 10 * Math.log10(e / x.length);
    }

    static double rms(float[] x, int from, int n) {
        double e = 0;
        for (int i = from; i < from + n; i++) e += (double) x[i] * x[i];
        return Math.sqrt(e / n);
    }

    static double correlation(float[] a, float[] b) {
        double ma = 0, mb = 0;
        for (int i = 0; i < a.length; i++) {
            ma += a[i];
            mb += b[i];
        }
        ma /= a.length;
        mb /= b.length;
        double ab = 0, aa = 0, bb = 0;
        for (int i = 0; i < a.length; i++) {
            double da = a[i] - ma, db = b[i] - mb;
            ab += da * db;
            aa += da * da;
            bb += db * db;
        }
        return ab / Math.sqrt(aa * bb);
    }

    /** Power-weighted mean frequency over Hann-windowed 4096-point frames. */
    static double spectralCentroid(float[] x, int rate) {
        int n = 4096;
        double[] power = new double[n / 2];
        for (int start = 0; start + n <= x.length; start += n) {
            double[] re = new double[n], im = new double[n];
            for (int i = 0; i < n; i++) re[i] = x[start + i] * (0.5 - 0.5 * Math.cos(2 * Math.PI * i / (n - 1)));
            fft(re, im);
            for (int k = 0; k < n / 2; k++) power[k] += re[k] * re[k] + im[k] * im[k];
        }
        double num = 0, den = 0;
        for (int k = 1; k < n / 2; k++) {
            double f = k * (double) rate / n;
            num += f * power[k];
            den += power[k];
        }
        return num / den;
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
            for (int i = 0; i < n; i += len) {
                for (int k = 0; k < len / 2; k++) {
                    double wr = Math.cos(ang * k), wi = Math.sin(ang * k);
                    int a = i + k, b = i + k + len / 2;
                    double xr = re[b] * wr - im[b] * wi, xi = re[b] * wi + im[b] * wr;
                    re[b] = re[a] - xr; im[b] = im[a] - xi;
                    re[a] += xr; im[a] += xi;
                }
            }
        }
    }
}
