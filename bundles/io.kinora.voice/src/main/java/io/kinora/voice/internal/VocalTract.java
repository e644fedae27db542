package io.kinora.voice.internal;

/**
 * Vocal-tract length scaling: moves the formants of speech by a factor while keeping its pitch and timing, so one
 * recorded voice can stand in for a longer (a man's) or shorter (a child's) vocal tract.
 *
 * <p>Short-time Fourier analysis (periodic Hann, 4x overlap); per frame the spectral envelope is the low-quefrency
 * part of the real cepstrum (below {@value #LIFTER_SECONDS} s, shorter than the pitch period of any voice up to
 * ~650 Hz, so harmonics do not leak into it); each bin's magnitude is multiplied by {@code E(amount * f) / E(f)},
 * the phase is kept, and the frames are overlap-added (its own radix-2 FFT: MaryTTS's keeps static tables that
 * concurrent syntheses would share). It does what MaryTTS's {@code TractScaler} effect does
 * (LPC envelope, warped) at a fraction of the cost: four FFTs per frame (two frames share each FFT, as real and
 * imaginary parts) instead of an LPC analysis and a
 * per-frequency polynomial evaluation, which made that effect the larger half of MaryTTS's synthesis time.
 */
public final class VocalTract {
    /** Cepstral lifter: envelope detail finer than 1.5 ms of quefrency (~670 Hz) is smoothed away. */
    static final double LIFTER_SECONDS = 0.0015;
    /** Largest boost of a bin (x8, +18 dB), so a warp into a spectral valley cannot amplify noise. */
    static final double MAX_GAIN = 8.0;
    private static final double FLOOR = 1e-9;

    private VocalTract() {
    }

    /**
     * @param amount vocal-tract length relative to the speaker's: above 1 lowers the formants (a longer tract), below
     *               1 raises them; 1 returns the input unchanged
     */
    public static float[] scale(float[] x, int sampleRate, double amount) {
        if (!(amount > 0.25 && amount < 4)) throw new IllegalArgumentException("vocal tract amount " + amount + " outside (0.25, 4)");
        if (amount == 1.0 || x.length == 0) return x;
        int n = Integer.highestOneBit((int) Math.round(sampleRate * 0.032)); // 512 at 16 kHz, 1024 at 48 kHz
        int hop = n / 4;
        int lifter = Math.max(8, (int) Math.round(sampleRate * LIFTER_SECONDS));
        double[] window = new double[n];
        for (int i = 0; i < n; i++) window[i] = 0.5 - 0.5 * Math.cos(2 * Math.PI * i / n);
        // periodic Hann analysis and synthesis at 4x overlap sum to 1.5
        double norm = 1.0 / 1.5;

        int padded = x.length + 2 * n;
        double[] out = new double[padded];
        Fft fft = new Fft(n);
        int h = n / 2;
        double[] re = new double[n], im = new double[n], cre = new double[n], cim = new double[n];
        double[] ar = new double[h + 1], ai = new double[h + 1], br = new double[h + 1], bi = new double[h + 1];
        double[] gainA = new double[h + 1], gainB = new double[h + 1];
        // Two consecutive frames (A, B) per pass: both are real, so one complex FFT carries them (A + jB), and so do
        // their log spectra, cepstra and smoothed envelopes (all real), and the two modified spectra on the way back.
        for (int start = 0; start + n <= padded; start += 2 * hop) {
            int startB = start + hop;
            boolean hasB = startB + n <= padded;
            boolean silent = true;
            for (int i = 0; i < n; i++) {
                int src = start + i - n;
                double v = src >= 0 && src < x.length ? x[src] : 0;
                int srcB = src + hop;
                double w = hasB && srcB >= 0 && srcB < x.length ? x[srcB] : 0;
                re[i] = v * window[i];
                im[i] = w * window[i];
                if (v != 0 || w != 0) silent = false;
            }
            if (silent) continue;
            fft.transform(re, im, false);
            // X_A[k] = (Z[k] + conj Z[n-k]) / 2, X_B[k] = (Z[k] - conj Z[n-k]) / 2j
            for (int k = 0; k <= h; k++) {
                int nk = (n - k) & (n - 1);
                double zr = re[k], zi = im[k], wr = re[nk], wi = im[nk];
                ar[k] = 0.5 * (zr + wr);
                ai[k] = 0.5 * (zi - wi);
                br[k] = 0.5 * (zi + wi);
                bi[k] = 0.5 * (wr - zr);
            }
            // real cepstra of the log magnitudes, liftered, back to smooth log envelopes (A real part, B imaginary)
            for (int k = 0; k <= h; k++) {
                double la = Math.log(Math.sqrt(ar[k] * ar[k] + ai[k] * ai[k]) + FLOOR);
                double lb = Math.log(Math.sqrt(br[k] * br[k] + bi[k] * bi[k]) + FLOOR);
                cre[k] = la;
                cim[k] = lb;
                if (k > 0 && k < h) {
                    cre[n - k] = la;
                    cim[n - k] = lb;
                }
            }
            fft.transform(cre, cim, true);
            for (int q = lifter + 1; q < n - lifter; q++) {
                cre[q] = 0;
                cim[q] = 0;
            }
            fft.transform(cre, cim, false);
            gains(cre, gainA, h, amount);
            gains(cim, gainB, h, amount);
            // Y = Y_A + j Y_B: bins k and n-k from the two Hermitian spectra
            for (int k = 0; k <= h; k++) {
                double yar = ar[k] * gainA[k], yai = ai[k] * gainA[k];
                double ybr = br[k] * gainB[k], ybi = bi[k] * gainB[k];
                re[k] = yar - ybi;
                im[k] = yai + ybr;
                if (k > 0 && k < h) {
                    re[n - k] = yar + ybi;
                    im[n - k] = ybr - yai;
                }
            }
            fft.transform(re, im, true);
            for (int i = 0; i < n; i++) out[start + i] += re[i] * window[i] * norm;
            if (hasB) {
                for (int i = 0; i < n; i++) out[startB + i] += im[i] * window[i] * norm;
            }
        }
        float[] y = new float[x.length];
        for (int i = 0; i < y.length; i++) y[i] = (float) Math.max(-1, Math.min(1, out[i + n]));
        return y;
    }

    /** Per bin the gain E(amount * f) / E(f) from a log envelope {@code env[0..h]}, at most {@link #MAX_GAIN}. */
    private static void gains(double[] env, double[] gain, int h, double amount) {
        for (int k = 0; k <= h; k++) {
            double pos = k * amount;
            double warped;
            if (pos >= h) {
                warped = env[h];
            } else {
                int i0 = (int) pos;
                double f = pos - i0;
                warped = env[i0] * (1 - f) + env[i0 + 1] * f;
            }
            gain[k] = Math.min(MAX_GAIN, Math.exp(warped - env[k]));
        }
    }

    /** In-place complex FFT ({@code re.length} a power of two); the inverse is scaled by 1/n. */
    static void fft(double[] re, double[] im, boolean inverse) {
        new Fft(re.length).transform(re, im, inverse);
    }

    /** Iterative radix-2 FFT of one size with its twiddle factors and bit-reversal permutation tabulated. */
    static final class Fft {
        private final int n;
        private final double[] cos, sin;
        private final int[] swapI, swapJ;

        Fft(int n) {
            if (Integer.bitCount(n) != 1) throw new IllegalArgumentException("FFT size " + n + " is not a power of two");
            this.n = n;
            cos = new double[Math.max(1, n / 2)];
            sin = new double[Math.max(1, n / 2)];
            for (int k = 0; k < n / 2; k++) {
                cos[k] = Math.cos(2 * Math.PI * k / n);
                sin[k] = Math.sin(2 * Math.PI * k / n);
            }
            int[] si = new int[n], sj = new int[n];
            int count = 0;
            for (int i = 1, j = 0; i < n; i++) {
                int bit = n >> 1;
                for (; (j & bit) != 0; bit >>= 1) j ^= bit;
                j ^= bit;
                if (i < j) {
                    si[count] = i;
                    sj[count++] = j;
                }
            }
            swapI = java.util.Arrays.copyOf(si, count);
            swapJ = java.util.Arrays.copyOf(sj, count);
        }

        void transform(double[] re, double[] im, boolean inverse) {
            for (int s = 0; s < swapI.length; s++) {
                int i = swapI[s], j = swapJ[s];
                double t = re[i]; re[i] = re[j]; re[j] = t;
                t = im[i]; im[i] = im[j]; im[j] = t;
            }
            double sign = inverse ? 1 : -1;
            for (int len = 2; len <= n; len <<= 1) {
                int half = len >> 1, step = n / len;
                for (int i = 0; i < n; i += len) {
                    for (int k = 0, t = 0; k < half; k++, t += step) {
                        double cr = cos[t], ci = sign * sin[t];
                        int a = i + k, b = a + half;
                        double xr = re[b] * cr - im[b] * ci, xi = re[b] * ci + im[b] * cr;
                        re[b] = re[a] - xr;
                        im[b] = im[a] - xi;
                        re[a] += xr;
                        im[a] += xi;
                    }
                }
            }
            if (inverse) {
                double inv = 1.0 / n;
                for (int i = 0; i < n; i++) {
                    re[i] *= inv;
                    im[i] *= inv;
                }
            }
        }
    }
}
