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
 * (LPC envelope, warped) at a fraction of the cost: four FFTs per frame instead of an LPC analysis and a
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
        double[] re = new double[n], im = new double[n], cre = new double[n], cim = new double[n];
        double[] env = new double[n / 2 + 1], gain = new double[n / 2 + 1];
        for (int start = 0; start + n <= padded; start += hop) {
            boolean silent = true;
            for (int i = 0; i < n; i++) {
                int src = start + i - n;
                double v = src >= 0 && src < x.length ? x[src] : 0;
                re[i] = v * window[i];
                im[i] = 0;
                if (v != 0) silent = false;
            }
            if (silent) continue;
            fft(re, im, false);
            // real cepstrum of the log magnitude, liftered, back to a smooth log envelope
            for (int k = 0; k < n; k++) {
                cre[k] = Math.log(Math.hypot(re[k], im[k]) + FLOOR);
                cim[k] = 0;
            }
            fft(cre, cim, true);
            for (int q = lifter + 1; q < n - lifter; q++) {
                cre[q] = 0;
                cim[q] = 0;
            }
            fft(cre, cim, false);
            for (int k = 0; k <= n / 2; k++) env[k] = cre[k];
            for (int k = 0; k <= n / 2; k++) {
                double pos = k * amount;
                double warped;
                if (pos >= n / 2) {
                    warped = env[n / 2];
                } else {
                    int i0 = (int) pos;
                    double f = pos - i0;
                    warped = env[i0] * (1 - f) + env[i0 + 1] * f;
                }
                gain[k] = Math.min(MAX_GAIN, Math.exp(warped - env[k]));
            }
            for (int k = 0; k <= n / 2; k++) {
                re[k] *= gain[k];
                im[k] *= gain[k];
                if (k > 0 && k < n / 2) {
                    re[n - k] *= gain[k];
                    im[n - k] *= gain[k];
                }
            }
            fft(re, im, true);
            for (int i = 0; i < n; i++) out[start + i] += re[i] * window[i] * norm;
        }
        float[] y = new float[x.length];
        for (int i = 0; i < y.length; i++) y[i] = (float) Math.max(-1, Math.min(1, out[i + n]));
        return y;
    }

    /** In-place iterative radix-2 complex FFT ({@code re.length} a power of two); the inverse is scaled by 1/n. */
    static void fft(double[] re, double[] im, boolean inverse) {
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
            double angle = 2 * Math.PI / len * (inverse ? 1 : -1);
            double wr = Math.cos(angle), wi = Math.sin(angle);
            for (int i = 0; i < n; i += len) {
                double cr = 1, ci = 0;
                for (int k = 0; k < len / 2; k++) {
                    int a = i + k, b = a + len / 2;
                    double xr = re[b] * cr - im[b] * ci, xi = re[b] * ci + im[b] * cr;
                    re[b] = re[a] - xr;
                    im[b] = im[a] - xi;
                    re[a] += xr;
                    im[a] += xi;
                    double nr = cr * wr - ci * wi;
                    ci = cr * wi + ci * wr;
                    cr = nr;
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
