package io.kinora.provenance.internal.watermark;

import io.kinora.api.media.AudioBuffer;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Random;

/**
 * A keyed spread-spectrum watermark in the sound, carrying the same 64-bit payload as the picture.
 *
 * <p>A cycle of {@value #CYCLE} samples (5.46 s at 48 kHz) holds 256 symbols of {@value #SYMBOL} samples: 68 sync
 * symbols (known sign) and the 188 coded bits of the payload + CRC-24 through the rate-1/2 K=7 convolutional code,
 * interleaved in a keyed order. Each symbol is a stretch of a keyed noise band-limited to 500-8000 Hz (kept by AAC
 * at 64 kbit/s and up), times its sign, times the host's short-time RMS envelope and {@link #LEVEL} (-30.5 dB), so
 * the mark follows the sound: never louder than 30 dB below it in any 43 ms, nothing in digital silence. The cycle
 * repeats over the whole mix, starting at its first sample.
 *
 * <p>Detection whitens the sound (short-time spectra divided by their smoothed magnitude, band-limited), folds it
 * modulo the cycle (so every repetition adds up), finds the cycle's start by FFT cross-correlation with the sync
 * symbols within +-{@value #SEARCH} samples of where the decoded sound starts (AAC priming, edit lists, resampling
 * delays), reads the coded bits as correlations, Viterbi-decodes and checks the CRC.
 */
public final class AudioMark {
    static final int RATE = 48_000;
    static final int SYMBOL = 1024;
    static final int SYMBOLS = 256;
    static final int CYCLE = SYMBOL * SYMBOLS; // 2^18
    static final int CODED = LumaMark.CODED_BITS; // 188
    /** Mark amplitude relative to the host's short-time RMS: -30.5 dB. */
    static final double LEVEL = Math.pow(10, -30.5 / 20);
    static final double LOW_HZ = 500;
    static final double HIGH_HZ = 8000;
    /** Offsets searched either side of the decoded sound's first sample. */
    static final int SEARCH = 8192;
    /**
     * Sync z-score needed: over 200 unmarked sounds (NullDistributionTest) the null has mean 3.84, sd 0.65, max 5.46;
     * 8.0 is over 6 sd above the mean. Marked sound after AAC 64 kbit/s and 44.1 kHz scores 27 and more.
     */
    static final double SYNC_Z = 8.0;
    private static final int ENV = 1024;

    /** The band-limited keyed noise for one cycle, unit RMS. */
    final float[] noise;
    /** Per symbol: -1 = sync, else the coded bit it carries. */
    final int[] symbolBit;
    /** Read-only once computed; a race computes the same values twice. */
    private volatile double[][] syncSpectrum;

    public AudioMark(String key) {
        Random rnd = new Random(seed(key));
        double[] re = new double[CYCLE];
        double[] im = new double[CYCLE];
        for (int i = 0; i < CYCLE; i++) re[i] = rnd.nextGaussian();
        Fft.fft(re, im, false);
        for (int k = 0; k < CYCLE; k++) {
            int f = Math.min(k, CYCLE - k);
            double hz = f * (double) RATE / CYCLE;
            if (hz < LOW_HZ || hz > HIGH_HZ) {
                re[k] = 0;
                im[k] = 0;
            }
        }
        Fft.fft(re, im, true);
        double sq = 0;
        for (double v : re) sq += v * v;
        double norm = Math.sqrt(sq / CYCLE);
        noise = new float[CYCLE];
        for (int i = 0; i < CYCLE; i++) noise[i] = (float) (re[i] / norm);
        // keyed symbol order: CODED data symbols and SYMBOLS - CODED sync symbols, shuffled
        int[] order = new int[SYMBOLS];
        for (int i = 0; i < SYMBOLS; i++) order[i] = i < CODED ? i : -1;
        for (int i = SYMBOLS - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        symbolBit = order;
    }

    static long seed(String key) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(("kinora-audio-mark:" + key).getBytes(StandardCharsets.UTF_8));
            long s = 0;
            for (int i = 0; i < 8; i++) s = (s << 8) | (h[i] & 0xff);
            return s;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether {@link #mark} can mark this buffer (48 kHz). */
    static boolean supports(AudioBuffer audio) {
        return audio.sampleRate() == RATE;
    }

    /** A marked copy of {@code audio} (48 kHz; every channel gets the same mark); the input is not modified. */
    public AudioBuffer mark(AudioBuffer audio, long payload) {
        if (!supports(audio)) throw new IllegalArgumentException("the audio watermark needs 48 kHz sound, got " + audio.sampleRate() + " Hz");
        boolean[] coded = Convolutional.encode(Payload.encode(payload));
        int ch = audio.channels();
        int n = audio.frames();
        float[] in = audio.samples();
        float[] env = envelope(in, ch, n);
        float[] out = in.clone();
        for (int i = 0; i < n; i++) {
            int j = i % CYCLE;
            int bit = symbolBit[j / SYMBOL];
            double sign = bit < 0 ? 1 : coded[bit] ? 1 : -1;
            float m = (float) (LEVEL * env[i] * sign * noise[j]);
            for (int c = 0; c < ch; c++) out[i * ch + c] += m;
        }
        return new AudioBuffer(audio.sampleRate(), ch, out);
    }

    /**
     * The host's RMS per sample: the RMS of the downmix over blocks of {@value #ENV} samples, the minimum of each
     * block and its neighbours (so a loud onset does not lift the mark over the quiet just before it), linearly
     * interpolated between block centres.
     */
    static float[] envelope(float[] in, int ch, int n) {
        int blocks = (n + ENV - 1) / ENV;
        double[] rms = new double[blocks];
        for (int b = 0; b < blocks; b++) {
            double s = 0;
            int end = Math.min(n, (b + 1) * ENV);
            for (int i = b * ENV; i < end; i++) {
                double m = 0;
                for (int c = 0; c < ch; c++) m += in[i * ch + c];
                m /= ch;
                s += m * m;
            }
            rms[b] = Math.sqrt(s / Math.max(1, end - b * ENV));
        }
        double[] lo = new double[blocks];
        for (int b = 0; b < blocks; b++) {
            lo[b] = Math.min(rms[b], Math.min(rms[Math.max(0, b - 1)], rms[Math.min(blocks - 1, b + 1)]));
        }
        float[] env = new float[n];
        for (int i = 0; i < n; i++) {
            double pos = (i - ENV / 2.0) / ENV;
            int b0 = (int) Math.floor(pos);
            double t = pos - b0;
            double a = lo[Math.max(0, Math.min(blocks - 1, b0))];
            double b = lo[Math.max(0, Math.min(blocks - 1, b0 + 1))];
            env[i] = (float) (a + (b - a) * t);
        }
        return env;
    }

    /** The outcome: found, payload, sync z, the offset of the cycle start in the decoded sound, coded bit errors, seconds read. */
    public record Detection(boolean found, Long payload, double syncZ, int offset, int bitErrors, double seconds) {
    }

    /** The spectrum of the sync symbols' noise (the rest zero), computed on first use and kept. */
    private double[][] syncSpectrum() {
        double[][] s = syncSpectrum;
        if (s == null) {
            double[] sr = new double[CYCLE];
            double[] si = new double[CYCLE];
            for (int j = 0; j < CYCLE; j++) if (symbolBit[j / SYMBOL] < 0) sr[j] = noise[j];
            Fft.fft(sr, si, false);
            s = new double[][]{sr, si};
            syncSpectrum = s;
        }
        return s;
    }

    /** Looks for the mark in 48 kHz mono sound. */
    public Detection detect(float[] mono) {
        double seconds = mono.length / (double) RATE;
        if (mono.length < SYMBOL * 8) return new Detection(false, null, 0, 0, 0, seconds);
        float[] w = whiten(mono);
        double[] fold = new double[CYCLE];
        for (int i = 0; i < w.length; i++) fold[i % CYCLE] += w[i];
        // circular cross-correlation of the fold with the sync symbols' noise
        double[] fr = fold.clone();
        double[] fi = new double[CYCLE];
        Fft.fft(fr, fi, false);
        double[][] sync = syncSpectrum();
        double[] sr = sync[0];
        double[] si = sync[1];
        for (int k = 0; k < CYCLE; k++) { // F * conj(S)
            double a = fr[k];
            double b = fi[k];
            fr[k] = a * sr[k] + b * si[k];
            fi[k] = b * sr[k] - a * si[k];
        }
        Fft.fft(fr, fi, true);
        double mean = 0;
        for (double v : fr) mean += v;
        mean /= CYCLE;
        double var = 0;
        for (double v : fr) var += (v - mean) * (v - mean);
        double sd = Math.sqrt(var / CYCLE) + 1e-30;
        double best = Double.NEGATIVE_INFINITY;
        int arg = 0;
        for (int d = -SEARCH; d <= SEARCH; d++) {
            int k = Math.floorMod(d, CYCLE);
            if (fr[k] > best) {
                best = fr[k];
                arg = d;
            }
        }
        double z = (best - mean) / sd;
        if (z < SYNC_Z) return new Detection(false, null, z, arg, 0, seconds);
        double[] soft = new double[CODED];
        for (int j = 0; j < CYCLE; j++) {
            int bit = symbolBit[j / SYMBOL];
            if (bit >= 0) soft[bit] += fold[Math.floorMod(j + arg, CYCLE)] * noise[j];
        }
        double norm = 0;
        for (double v : soft) norm += v * v;
        norm = Math.sqrt(norm / CODED) + 1e-30;
        boolean[] hard = new boolean[CODED];
        for (int b = 0; b < CODED; b++) {
            hard[b] = soft[b] > 0;
            soft[b] /= norm;
        }
        boolean[] info = Convolutional.decode(soft, LumaMark.CODE_BITS);
        boolean[] re = Convolutional.encode(info);
        int errors = 0;
        for (int b = 0; b < CODED; b++) if (re[b] != hard[b]) errors++;
        Long p = Payload.decode(info);
        return new Detection(p != null, p, z, arg, errors, seconds);
    }

    /**
     * Spectral whitening: sqrt-Hann frames of 1024 with hop 512, each bin divided by the frame's magnitude averaged
     * over +-8 bins, bins outside 500-8000 Hz dropped, overlap-added back.
     */
    static float[] whiten(float[] x) {
        int n = 1024;
        int hop = n / 2;
        double[] win = new double[n];
        for (int i = 0; i < n; i++) win[i] = Math.sqrt(0.5 - 0.5 * Math.cos(2 * Math.PI * i / n));
        int lo = (int) Math.ceil(LOW_HZ * n / RATE);
        int hi = (int) Math.floor(HIGH_HZ * n / RATE);
        float[] out = new float[x.length];
        double[] re = new double[n];
        double[] im = new double[n];
        double[] mag = new double[n / 2 + 1];
        for (int start = -hop; start < x.length; start += hop) {
            for (int i = 0; i < n; i++) {
                int k = start + i;
                re[i] = k >= 0 && k < x.length ? x[k] * win[i] : 0;
                im[i] = 0;
            }
            Fft.fft(re, im, false);
            for (int k = 0; k <= n / 2; k++) mag[k] = Math.hypot(re[k], im[k]);
            double total = 0;
            for (int k = lo; k <= hi; k++) total += mag[k];
            double floor = total / (hi - lo + 1) * 1e-3 + 1e-12;
            for (int k = 0; k <= n / 2; k++) {
                double g = 0;
                if (k >= lo && k <= hi) {
                    double s = 0;
                    int c = 0;
                    for (int q = Math.max(lo, k - 8); q <= Math.min(hi, k + 8); q++, c++) s += mag[q];
                    g = 1.0 / (s / c + floor);
                }
                re[k] *= g;
                im[k] *= g;
                if (k > 0 && k < n / 2) {
                    re[n - k] *= g;
                    im[n - k] *= g;
                }
            }
            Fft.fft(re, im, true);
            for (int i = 0; i < n; i++) {
                int k = start + i;
                if (k >= 0 && k < x.length) out[k] += (float) (re[i] * win[i]);
            }
        }
        return out;
    }
}
