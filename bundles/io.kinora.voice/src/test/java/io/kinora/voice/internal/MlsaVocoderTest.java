package io.kinora.voice.internal;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.*;

class MlsaVocoderTest {
    static final int RATE = 48_000, FRAME = 240;
    static final double ALPHA = 0.55;

    static double[][] frames(int n, double... mcep) {
        double[][] f = new double[n][];
        for (int t = 0; t < n; t++) f[t] = mcep.clone();
        return f;
    }

    @Test
    void aFlatFilterPassesThePulseTrain() {
        // c = (ln 2, 0, ...): H(z) = 2; voiced at 200 Hz: a pulse of 2 * sqrt(240) every 240 samples
        double[] f0 = new double[40];
        Arrays.fill(f0, 200);
        double[] y = new MlsaVocoder(RATE, FRAME, ALPHA, 0, null).synthesize(frames(40, Math.log(2), 0, 0, 0), f0, null);
        assertEquals(40 * FRAME, y.length);
        int pulses = 0, last = -1;
        for (int i = 0; i < y.length; i++) {
            if (Math.abs(y[i]) > 1e-9) {
                assertEquals(2 * Math.sqrt(240), y[i], 1e-6, "pulse at " + i);
                if (last >= 0) assertEquals(240, i - last, "period at " + i);
                last = i;
                pulses++;
            }
        }
        assertEquals(40, pulses);
    }

    @Test
    void theFilterFollowsTheMelCepstralEnvelope() {
        // a 100 Hz pulse train through a fixed mel-cepstrum: each harmonic's level must follow
        // ln|H(w)| = sum_m c(m) cos(m * warped(w)) (the MLSA filter's target), within the Pade approximation's error
        double[] mc = {0, 0.8, -0.3, 0.25, -0.1, 0.05, 0.02};
        int frames = 200;
        double[] f0 = new double[frames];
        Arrays.fill(f0, 100);
        double[] y = new MlsaVocoder(RATE, FRAME, ALPHA, 0, null).synthesize(frames(frames, mc), f0, null);
        int period = RATE / 100, start = y.length - 40 * period, len = 32 * period;
        double ref = 0;
        double[] errors = new double[40];
        for (int k = 1; k <= 40; k++) {
            double w = 2 * Math.PI * 100 * k * 3 / RATE; // every third harmonic, 300 Hz .. 12 kHz
            double re = 0, im = 0;
            for (int i = 0; i < len; i++) {
                re += y[start + i] * Math.cos(w * i);
                im -= y[start + i] * Math.sin(w * i);
            }
            double measured = Math.log(Math.hypot(re, im));
            double warped = w + 2 * Math.atan2(ALPHA * Math.sin(w), 1 - ALPHA * Math.cos(w));
            double target = 0;
            for (int m = 0; m < mc.length; m++) target += mc[m] * Math.cos(m * warped);
            if (k == 1) ref = measured - target;
            errors[k - 1] = (measured - target - ref) * 20 / Math.log(10);
        }
        for (int k = 0; k < errors.length; k++) {
            assertEquals(0, errors[k], 0.3, "harmonic " + (3 * (k + 1)) + " off the envelope by " + errors[k] + " dB");
        }
    }

    @Test
    void unvoicedFramesAreUnitNoiseScaledByTheGainAndRepeatable() {
        double[] f0 = new double[100];
        double[][] mc = frames(100, Math.log(3), 0, 0);
        MlsaVocoder v = new MlsaVocoder(RATE, FRAME, ALPHA, 0.1, null);
        double[] y = v.synthesize(mc, f0, null);
        double e = 0;
        for (double s : y) e += s * s;
        assertEquals(3, Math.sqrt(e / y.length), 0.1);
        assertArrayEquals(y, v.synthesize(mc, f0, null));
        assertArrayEquals(y, new MlsaVocoder(RATE, FRAME, ALPHA, 0.1, null).synthesize(mc, f0, null));
    }

    @Test
    void mixedExcitationSplitsPulsesAndNoiseByBand() {
        // two complementary bands (a low-pass and its complement): strength 1 in the low band, 0 in the high band
        int taps = 31;
        double[] low = new double[taps], high = new double[taps];
        for (int i = 0; i < taps; i++) {
            int k = i - taps / 2;
            low[i] = (k == 0 ? 0.25 : Math.sin(Math.PI * 0.25 * k) / (Math.PI * k)) * (0.54 + 0.46 * Math.cos(Math.PI * k / (taps / 2 + 1)));
            high[i] = (k == 0 ? 1 : 0) - low[i];
        }
        int frames = 100;
        double[] f0 = new double[frames];
        Arrays.fill(f0, 150);
        double[][] str = new double[frames][];
        for (int t = 0; t < frames; t++) str[t] = new double[]{1, 0};
        double[] y = new MlsaVocoder(RATE, FRAME, ALPHA, 0, new double[][]{low, high})
                .synthesize(frames(frames, 0, 0, 0), f0, str);
        // the low band (pulses: harmonics of 150 Hz) is periodic; the high band (noise) is not
        int period = 320;
        double lowCorr = periodicity(lowPass(y, low), period), highCorr = periodicity(lowPass(y, high), period);
        assertTrue(lowCorr > 0.95, "low band periodicity " + lowCorr);
        assertTrue(highCorr < 0.3, "high band periodicity " + highCorr);
    }

    private static double[] lowPass(double[] x, double[] h) {
        double[] y = new double[x.length];
        for (int n = h.length; n < x.length; n++) {
            double s = 0;
            for (int k = 0; k < h.length; k++) s += h[k] * x[n - k];
            y[n] = s;
        }
        return y;
    }

    private static double periodicity(double[] x, int lag) {
        double xy = 0, xx = 0, yy = 0;
        for (int i = x.length / 4; i + lag < x.length; i++) {
            xy += x[i] * x[i + lag];
            xx += x[i] * x[i];
            yy += x[i + lag] * x[i + lag];
        }
        return xy / Math.sqrt(xx * yy);
    }

    @Test
    void refusesMismatchedInput() {
        MlsaVocoder v = new MlsaVocoder(RATE, FRAME, ALPHA, 0, null);
        assertThrows(IllegalArgumentException.class, () -> v.synthesize(frames(3, 0, 0), new double[2], null));
        assertThrows(IllegalArgumentException.class, () -> new MlsaVocoder(RATE, FRAME, 1.0, 0, null));
        assertEquals(0, v.synthesize(new double[0][], new double[0], null).length);
    }
}
