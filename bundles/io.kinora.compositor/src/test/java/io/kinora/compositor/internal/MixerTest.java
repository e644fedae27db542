package io.kinora.compositor.internal;

import static io.kinora.compositor.internal.TestSignals.line;
import static io.kinora.compositor.internal.TestSignals.sine;
import static io.kinora.compositor.internal.TestSignals.timeline;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kinora.api.compositor.Mix;
import io.kinora.api.compositor.MixRequest;
import io.kinora.api.media.AudioBuffer;
import io.kinora.api.media.StageException;
import io.kinora.api.timeline.SpokenLine;
import io.kinora.api.timeline.Timeline;
import io.kinora.api.voice.Speech;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

class MixerTest {
    private static final int FS = 48_000;
    private final Mixer mixer = new Mixer(MixSettings.defaults());

    private static Speech speech(int rate, float[] mono) {
        return new Speech("test-voice", new AudioBuffer(rate, 1, mono), List.of());
    }

    @Test
    void speechLandsAtItsStartTime() {
        // 22.05 kHz speech, resampled; starts at 0.73 s
        float[] voice = sine(440, 0.5, 22_050, 0.3);
        Timeline t = timeline(2.0, 24, List.of(line(0, "ana", 0.73, 1.23)));
        Mix mix = mixer.mix(new MixRequest(t, List.of(speech(22_050, voice)), Map.of(), null, FS, -23));
        float[] m = mix.master().samples();
        assertEquals(FS, mix.master().sampleRate());
        assertEquals(2, mix.master().channels());
        assertEquals(2 * FS, mix.master().frames());
        double peak = LoudnessMeter.samplePeak(m);
        int onset = -1;
        for (int n = 0; n < m.length / 2; n++) {
            if (Math.abs(m[2 * n]) > peak * 0.1) { // -20 dB below the peak
                onset = n;
                break;
            }
        }
        assertEquals(0.73, onset / (double) FS, 0.020, "onset at " + onset / (double) FS + " s");
        assertTrue(TestSignals.rmsDb(m, 2, 0, FS, 0, 0.70) < -80, "silence before the line");
    }

    @Test
    void panPutsARightSpeakerInTheRightChannel() {
        float[] voice = TestSignals.speechLike(1.0, 24_000, 7);
        Timeline t = timeline(1.5, 24, List.of(line(0, "bob", 0.2, 1.2)));
        Mix mix = mixer.mix(new MixRequest(t, List.of(speech(24_000, voice)), Map.of("bob", 0.8, "ana", -0.8), null, FS, -23));
        float[] m = mix.master().samples();
        double l = TestSignals.rmsDb(m, 2, 0, FS, 0.2, 1.2);
        double r = TestSignals.rmsDb(m, 2, 1, FS, 0.2, 1.2);
        double theta = (0.8 + 1) * Math.PI / 4;
        double expected = 20 * Math.log10(Math.sin(theta) / Math.cos(theta)); // constant-power law: ~16 dB
        assertEquals(expected, r - l, 0.3, "right minus left");
        // centre: equal and each -3 dB relative to the sum's power
        Mix centre = mixer.mix(new MixRequest(t, List.of(speech(24_000, voice)), Map.of(), null, FS, -23));
        float[] c = centre.master().samples();
        assertEquals(TestSignals.rmsDb(c, 2, 0, FS, 0.2, 1.2), TestSignals.rmsDb(c, 2, 1, FS, 0.2, 1.2), 0.01);
    }

    @Test
    void ambienceIsDuckedUnderSpeechAndStartsBeforeTheWord() {
        // ambience: 100 Hz stereo at 44.1 kHz, longer than the clip (trimmed); speech: 2 kHz from 1.0 to 2.0 s
        float[] amb = sine(100, 4.0, 44_100, 0.2, 0.2);
        float[] voice = sine(2000, 1.0, FS, 0.3);
        SpokenLine l = line(0, "ana", 1.0, 2.0);
        Timeline t = timeline(3.0, 24, List.of(l));
        Mix mix = mixer.mix(new MixRequest(t, List.of(speech(FS, voice)), Map.of(), new AudioBuffer(44_100, 2, amb), FS, -23));
        float[] m = mix.master().samples();
        double before = TestSignals.toneAmplitude(m, 2, 0, FS, 100, 0.2, 0.8);
        double during = TestSignals.toneAmplitude(m, 2, 0, FS, 100, 1.1, 1.9);
        double after = TestSignals.toneAmplitude(m, 2, 0, FS, 100, 2.5, 2.9);
        assertEquals(-12.0, 20 * Math.log10(during / before), 0.5, "duck depth");
        assertEquals(0.0, 20 * Math.log10(after / before), 0.3, "released");
        // the duck is on its way down before the word, fully down at the word, released within 300 ms
        float[] g = mixer.duckGain(List.of(l), FS, 3 * FS);
        assertEquals(1.0, g[(int) (0.90 * FS)], 1e-6);
        assertTrue(20 * Math.log10(g[(int) (0.96 * FS)]) < -4, "ramp under way 40 ms before the word");
        assertEquals(-12.0, 20 * Math.log10(g[FS]), 0.01);
        assertEquals(-12.0, 20 * Math.log10(g[(int) (1.99 * FS)]), 0.01);
        assertEquals(1.0, g[(int) (2.31 * FS)], 1e-6);
        for (int n = 1; n < g.length; n++) assertTrue(Math.abs(g[n] - g[n - 1]) < 0.001, "smooth at " + n);
    }

    @Test
    void masterMeetsTheLoudnessTargetAndTheCeiling() {
        float[] a = TestSignals.speechLike(2.0, 22_050, 1);
        float[] b = TestSignals.speechLike(1.5, 16_000, 2);
        for (int i = 0; i < b.length; i++) b[i] *= 0.1f; // a much quieter voice engine: levelled
        float[] amb = new float[FS * 2 * 2];
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(3);
        for (int i = 0; i < amb.length; i++) amb[i] = (float) ((rnd.nextDouble() * 2 - 1) * 0.05);
        Timeline t = timeline(5.0, 24, List.of(line(0, "ana", 0.3, 2.3), line(1, "bob", 2.8, 4.3)));
        for (double target : new double[] {-23, -16, -14}) {
            Mix mix = mixer.mix(new MixRequest(t, List.of(speech(22_050, a), speech(16_000, b)),
                    Map.of("ana", -0.5, "bob", 0.5), new AudioBuffer(FS, 2, amb), FS, target));
            float[] m = mix.master().samples();
            double measured = LoudnessMeter.integrated(m, 2, FS);
            assertEquals(target, measured, 0.5, "target " + target);
            assertEquals(measured, mix.integratedLufs(), 1e-9);
            double peak = LoudnessMeter.toDb(LoudnessMeter.samplePeak(m));
            assertTrue(peak <= -1.0, "sample peak " + peak + " dBFS at target " + target);
            assertEquals(peak, mix.peakDbfs(), 1e-9);
            assertTrue(LoudnessMeter.toDb(LoudnessMeter.truePeak(m, 2)) <= -1.0 + 1e-6, "true peak");
            // levelled: the quiet engine's line is about as loud as the other one
            double la = LoudnessMeter.integrated(java.util.Arrays.copyOfRange(m, (int) (0.3 * FS) * 2, (int) (2.3 * FS) * 2), 2, FS);
            double lb = LoudnessMeter.integrated(java.util.Arrays.copyOfRange(m, (int) (2.8 * FS) * 2, (int) (4.3 * FS) * 2), 2, FS);
            assertEquals(la, lb, 1.5, "lines levelled");
        }
    }

    @Test
    void silenceOnlyGivesSilenceWithoutNaN() {
        Mix mix = mixer.mix(new MixRequest(timeline(1.0, 24, List.of()), List.of(), Map.of(), null, FS, -23));
        assertEquals(FS, mix.master().frames());
        for (float v : mix.master().samples()) assertEquals(0.0f, v);
        assertEquals(Double.NEGATIVE_INFINITY, mix.integratedLufs());
        assertEquals(Double.NEGATIVE_INFINITY, mix.peakDbfs());
    }

    @Test
    void ambienceShorterThanTheClipIsLoopedSeamlessly() {
        // 1 s of noise looped over 3.5 s: full length, no gap, no jump larger than the noise itself
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(9);
        float[] amb = new float[FS * 2];
        for (int i = 0; i < amb.length; i++) amb[i] = (float) ((rnd.nextDouble() * 2 - 1) * 0.1);
        float[] out = Mixer.conformAmbience(new AudioBuffer(FS, 2, amb), FS, (int) (3.5 * FS));
        assertEquals((int) (3.5 * FS) * 2, out.length);
        for (int s = 0; s < 7; s++) {
            double r = TestSignals.rmsDb(out, 2, 0, FS, s * 0.5, s * 0.5 + 0.5);
            assertEquals(20 * Math.log10(0.1 / Math.sqrt(3)), r, 1.5, "segment " + s);
        }
        assertArrayEquals(java.util.Arrays.copyOf(amb, 1000), java.util.Arrays.copyOf(out, 1000));
    }

    @Test
    void mixingIsDeterministic() {
        float[] a = TestSignals.speechLike(1.0, 22_050, 5);
        float[] amb = sine(150, 3.0, FS, 0.1, 0.05);
        Timeline t = timeline(2.0, 24, List.of(line(0, "ana", 0.5, 1.5)));
        MixRequest r = new MixRequest(t, List.of(speech(22_050, a)), Map.of("ana", 0.3), new AudioBuffer(FS, 2, amb), FS, -16);
        assertArrayEquals(mixer.mix(r).master().samples(), mixer.mix(r).master().samples());
    }

    @Test
    void badRequestsNameTheProblem() {
        Timeline t = timeline(1.0, 24, List.of(line(0, "ana", 0.1, 0.5)));
        StageException e = assertThrows(StageException.class,
                () -> mixer.mix(new MixRequest(t, List.of(), Map.of(), null, FS, -23)));
        assertTrue(e.getMessage().contains("0 speech clips for 1 timeline lines"), e.getMessage());
        e = assertThrows(StageException.class, () -> mixer.mix(new MixRequest(t,
                List.of(speech(FS, new float[100])), Map.of(), null, 1000, -23)));
        assertTrue(e.getMessage().contains("1000 Hz"), e.getMessage());
        e = assertThrows(StageException.class, () -> mixer.mix(new MixRequest(t,
                List.of(speech(FS, new float[] {Float.NaN})), Map.of(), null, FS, -23)));
        assertTrue(e.getMessage().contains("line 1 (ana)"), e.getMessage());
        e = assertThrows(StageException.class, () -> mixer.mix(new MixRequest(t,
                List.of(speech(FS, new float[100])), Map.of(), new AudioBuffer(FS, 6, new float[600]), FS, -23)));
        assertTrue(e.getMessage().contains("6 channels"), e.getMessage());
    }
}
