package io.kinora.provenance.internal.watermark;

/** In-place radix-2 complex FFT, 1-D and square 2-D (size a power of two). */
final class Fft {
    private Fft() {
    }

    static void fft2(double[] re, double[] im, int n, boolean inverse) {
        double[] r = new double[n];
        double[] i = new double[n];
        for (int y = 0; y < n; y++) {
            System.arraycopy(re, y * n, r, 0, n);
            System.arraycopy(im, y * n, i, 0, n);
            fft(r, i, inverse);
            System.arraycopy(r, 0, re, y * n, n);
            System.arraycopy(i, 0, im, y * n, n);
        }
        for (int x = 0; x < n; x++) {
            for (int y = 0; y < n; y++) {
                r[y] = re[y * n + x];
                i[y] = im[y * n + x];
            }
            fft(r, i, inverse);
            for (int y = 0; y < n; y++) {
                re[y * n + x] = r[y];
                im[y * n + x] = i[y];
            }
        }
    }

    static void fft(double[] re, double[] im, boolean inverse) {
        int n = re.length;
        for (int i = 1, j = 0; i < n; i++) {
            int bit = n >> 1;
            for (; (j & bit) != 0; bit >>= 1) j ^= bit;
            j ^= bit;
            if (i < j) {
                double t = re[i];
                re[i] = re[j];
                re[j] = t;
                t = im[i];
                im[i] = im[j];
                im[j] = t;
            }
        }
        for (int len = 2; len <= n; len <<= 1) {
            double ang = 2 * Math.PI / len * (inverse ? 1 : -1);
            double wr = Math.cos(ang);
            double wi = Math.sin(ang);
            for (int i = 0; i < n; i += len) {
                double cr = 1;
                double ci = 0;
                for (int j = 0; j < len / 2; j++) {
                    int a = i + j;
                    int b = a + len / 2;
                    double ur = re[a];
                    double ui = im[a];
                    double vr = re[b] * cr - im[b] * ci;
                    double vi = re[b] * ci + im[b] * cr;
                    re[a] = ur + vr;
                    im[a] = ui + vi;
                    re[b] = ur - vr;
                    im[b] = ui - vi;
                    double ncr = cr * wr - ci * wi;
                    ci = cr * wi + ci * wr;
                    cr = ncr;
                }
            }
        }
        if (inverse) {
            for (int i = 0; i < n; i++) {
                re[i] /= n;
                im[i] /= n;
            }
        }
    }
}
