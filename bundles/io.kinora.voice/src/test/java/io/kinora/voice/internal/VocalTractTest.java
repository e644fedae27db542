package io.kinora.voice.internal;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VocalTractTest {
    static final int RATE = 48_000;

    /** A sustained vowel /a/: a 140 Hz glottal pulse train through resonators at 700, 1220 and 2600 Hz. */
    static float[] vowel(double seconds) {
        int n = (int) (seconds * RATE);
        double[] x = new double[n];
        int period = RATE / 140;
        for (int i = 0; i < n; i += period) x[i] = 1;
        for (double[] f : new double[][]{{700, 90}, {1220, 110}, {2600, 160}}) x = resonate(x, f[0], f[1]);
        double peak = 0;
        for (double v : x) peak = Math.max(peak, Math.abs(v));
        float[] out = new float[n];
        for (int i = 0; i < n; i++) out[i] = (float) (0.5 * x[i] / peak);
        return out;
    }

    static double[] resonate(double[] x, double hz, double bandwidth) {
        double r = Math.exp(-Math.PI * bandwidth / RATE);
        double a1 = 2 * r * Math.cos(2 * Math.PI * hz / RATE), a2 = -r * r;
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = x[i] + a1 * (i > 0 ? y[i - 1] : 0) + a2 * (i > 1 ? y[i - 2] : 0);
        }
        return y;
    }

    @Test
    void longerTractLowersTheFormantsAndKeepsThePitch() {
        float[] x = vowel(1.0);
        double c0 = SpectralCentroid.mean(x, RATE, 8000);
        float[] man = VocalTract.scale(x, RATE, 1.3);
        float[] child = VocalTract.scale(x, RATE, 0.8);
        assertEquals(x.length, man.length, "timing is kept");
        double cMan = SpectralCentroid.mean(man, RATE, 8000), cChild = SpectralCentroid.mean(child, RATE, 8000);
        // ideal envelope warps would give 1/1.3 = 0.77 and 1/0.8 = 1.25; the harmonics stay where they are
        System.out.printf("VOCALTRACT centroid %.0f -> man %.0f, child %.0f%n", c0, cMan, cChild);
        assertTrue(cMan / c0 > 0.65 && cMan / c0 < 0.88, "centroid " + c0 + " -> " + cMan);
        assertTrue(cChild / c0 > 1.12 && cChild / c0 < 1.4, "centroid " + c0 + " -> " + cChild);
        double f0 = PitchEstimator.medianF0(x, RATE);
        assertTrue(Math.abs(PitchEstimator.semitones(f0, PitchEstimator.medianF0(man, RATE))) < 0.5, "pitch is kept");
        assertTrue(Math.abs(PitchEstimator.semitones(f0, PitchEstimator.medianF0(child, RATE))) < 0.5, "pitch is kept");
    }

    @Test
    void fftRoundTripsAndMatchesTheDefinition() {
        int n = 64;
        double[] re = new double[n], im = new double[n];
        java.util.Random r = new java.util.Random(7);
        for (int i = 0; i < n; i++) re[i] = r.nextGaussian();
        double[] x = re.clone();
        VocalTract.fft(re, im, false);
        for (int k : new int[]{0, 1, 5, 31}) {
            double sr = 0, si = 0;
            for (int t = 0; t < n; t++) {
                sr += x[t] * Math.cos(-2 * Math.PI * k * t / n);
                si += x[t] * Math.sin(-2 * Math.PI * k * t / n);
            }
            assertEquals(sr, re[k], 1e-9);
            assertEquals(si, im[k], 1e-9);
        }
        VocalTract.fft(re, im, true);
        for (int i = 0; i < n; i++) assertEquals(x[i], re[i], 1e-12);
    }

    @Test
    void unchangedForOneDeterministicAndBounded() {
        float[] x = vowel(0.3);
        assertSame(x, VocalTract.scale(x, RATE, 1.0));
        assertArrayEquals(VocalTract.scale(x, RATE, 1.2), VocalTract.scale(x, RATE, 1.2));
        float[] silence = new float[RATE / 10];
        assertArrayEquals(silence, VocalTract.scale(silence, RATE, 1.3));
        assertThrows(IllegalArgumentException.class, () -> VocalTract.scale(x, RATE, 0));
        assertThrows(IllegalArgumentException.class, () -> VocalTract.scale(x, RATE, Double.NaN));
    }
}
