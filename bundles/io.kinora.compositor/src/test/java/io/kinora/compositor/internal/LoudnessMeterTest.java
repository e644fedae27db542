package io.kinora.compositor.internal;

import static io.kinora.compositor.internal.TestSignals.concat;
import static io.kinora.compositor.internal.TestSignals.dbfs;
import static io.kinora.compositor.internal.TestSignals.sine;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Reference values: ITU-R BS.1770-4 (K-filter coefficients at 48 kHz; "a 0 dB FS 1 kHz sine wave applied to the
 * left, centre, or right channel input" reads -3.01 LKFS) and EBU Tech 3341 (test signals 1-4: stereo 1 kHz
 * sines, expected integrated loudness -23.0 / -33.0 +- 0.1 LUFS, with gating cases).
 */
class LoudnessMeterTest {
    private static final int FS = 48_000;

    @Test
    void kWeightingAt48kHzEqualsTheCoefficientsOfTheStandard() {
        LoudnessMeter.Biquad s1 = LoudnessMeter.Biquad.kShelf(FS);
        assertEquals(1.53512485958697, s1.b0, 1e-9);
        assertEquals(-2.69169618940638, s1.b1, 1e-9);
        assertEquals(1.19839281085285, s1.b2, 1e-9);
        assertEquals(-1.69065929318241, s1.a1, 1e-9);
        assertEquals(0.73248077421585, s1.a2, 1e-9);
        LoudnessMeter.Biquad s2 = LoudnessMeter.Biquad.kHighPass(FS);
        assertEquals(1.0, s2.b0, 0);
        assertEquals(-2.0, s2.b1, 0);
        assertEquals(1.0, s2.b2, 0);
        assertEquals(-1.99004745483398, s2.a1, 1e-9);
        assertEquals(0.99007225036621, s2.a2, 1e-9);
    }

    @Test
    void fullScale1kHzSineOnOneChannelReadsMinus3_01() {
        float[] left = sine(1000, 10, FS, 1.0, 0.0);
        assertEquals(-3.01, LoudnessMeter.integrated(left, 2, FS), 0.02);
        float[] mono = sine(1000, 10, FS, 1.0);
        assertEquals(-3.01, LoudnessMeter.integrated(mono, 1, FS), 0.02);
    }

    @Test
    void ebu3341Cases1And2StereoSines() {
        assertEquals(-23.0, LoudnessMeter.integrated(sine(1000, 20, FS, dbfs(-23), dbfs(-23)), 2, FS), 0.1);
        assertEquals(-33.0, LoudnessMeter.integrated(sine(1000, 20, FS, dbfs(-33), dbfs(-33)), 2, FS), 0.1);
    }

    @Test
    void sine997HzAtMinus20DbfsInBothChannelsReadsMinus20() {
        // both channels at -20 dBFS: 2 x (0.5 x 0.1^2) = 0.01 mean square -> -20.0 LUFS (the K-filter gain at ~1 kHz
        // and the -0.691 offset cancel); -23 LUFS needs -23 dBFS per channel (EBU 3341 case 1)
        assertEquals(-20.0, LoudnessMeter.integrated(sine(997, 10, FS, 0.1, 0.1), 2, FS), 0.1);
    }

    @Test
    void ebu3341Case3RelativeGateIgnoresTheQuietParts() {
        float[] x = concat(sine(1000, 10, FS, dbfs(-36), dbfs(-36)), sine(1000, 60, FS, dbfs(-23), dbfs(-23)),
                sine(1000, 10, FS, dbfs(-36), dbfs(-36)));
        assertEquals(-23.0, LoudnessMeter.integrated(x, 2, FS), 0.1);
    }

    @Test
    void ebu3341Case4AbsoluteAndRelativeGates() {
        float[] x = concat(sine(1000, 10, FS, dbfs(-72), dbfs(-72)), sine(1000, 10, FS, dbfs(-36), dbfs(-36)),
                sine(1000, 60, FS, dbfs(-23), dbfs(-23)), sine(1000, 10, FS, dbfs(-36), dbfs(-36)),
                sine(1000, 10, FS, dbfs(-72), dbfs(-72)));
        assertEquals(-23.0, LoudnessMeter.integrated(x, 2, FS), 0.1);
    }

    @Test
    void silenceAndSignalsBelowTheAbsoluteGateHaveNoLoudness() {
        assertEquals(Double.NEGATIVE_INFINITY, LoudnessMeter.integrated(new float[FS * 4], 2, FS));
        assertEquals(Double.NEGATIVE_INFINITY, LoudnessMeter.integrated(sine(1000, 5, FS, dbfs(-80), dbfs(-80)), 2, FS));
        assertEquals(Double.NEGATIVE_INFINITY, LoudnessMeter.integrated(new float[0], 2, FS));
    }

    @Test
    void otherSampleRatesMeasureTheSame() {
        double at48 = LoudnessMeter.integrated(sine(1000, 10, FS, dbfs(-23), dbfs(-23)), 2, FS);
        double at44 = LoudnessMeter.integrated(sine(1000, 10, 44_100, dbfs(-23), dbfs(-23)), 2, 44_100);
        assertEquals(at48, at44, 0.02);
        // the shelf lifts high frequencies by ~4 dB (3.35 dB more than at 1 kHz), the high-pass cuts low ones
        double hi = LoudnessMeter.integrated(sine(8000, 10, FS, dbfs(-23), dbfs(-23)), 2, FS);
        double lo = LoudnessMeter.integrated(sine(30, 10, FS, dbfs(-23), dbfs(-23)), 2, FS);
        assertEquals(-23.0 + 3.35, hi, 0.1, "8 kHz");
        assertTrue(lo < -24.5, "30 Hz reads " + lo);
    }

    @Test
    void truePeakFindsInterSamplePeaks() {
        // fs/4 sine with 45 degree phase: every sample is +-0.707 (-3.01 dBFS), the waveform peaks at 1.0
        int n = FS;
        float[] x = new float[n * 2];
        for (int i = 0; i < n; i++) {
            float v = (float) Math.sin(Math.PI / 2 * i + Math.PI / 4);
            x[2 * i] = v;
            x[2 * i + 1] = v;
        }
        assertEquals(-3.01, LoudnessMeter.toDb(LoudnessMeter.samplePeak(x)), 0.01);
        assertEquals(0.0, LoudnessMeter.toDb(LoudnessMeter.truePeak(x, 2)), 0.3);
        // a low-frequency sine: true peak equals sample peak
        float[] slow = sine(100, 1, FS, 0.5, 0.5);
        assertEquals(LoudnessMeter.toDb(0.5), LoudnessMeter.toDb(LoudnessMeter.truePeak(slow, 2)), 0.05);
    }
}
