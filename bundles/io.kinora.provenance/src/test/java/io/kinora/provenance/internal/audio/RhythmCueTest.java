package io.kinora.provenance.internal.audio;

import io.kinora.api.media.AudioBuffer;
import io.kinora.api.media.StageException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class RhythmCueTest {

    /** A stereo "dialogue-like" master: 220 Hz + 440 Hz partials, amplitude 0.6. */
    static AudioBuffer master(int rate, double seconds) {
        int n = (int) Math.round(rate * seconds);
        float[] s = new float[n * 2];
        for (int i = 0; i < n; i++) {
            double t = i / (double) rate;
            float v = (float) (0.4 * Math.sin(2 * Math.PI * 220 * t) + 0.2 * Math.sin(2 * Math.PI * 440 * t));
            s[2 * i] = v;
            s[2 * i + 1] = -v;
        }
        return new AudioBuffer(rate, 2, s);
    }

    /** Goertzel magnitude (normalised to sine amplitude) of channel 0 at {@code hz} over [from, from+len). */
    static double tone(AudioBuffer a, double hz, int from, int len) {
        double w = 2 * Math.PI * hz / a.sampleRate();
        double c = 2 * Math.cos(w), s1 = 0, s2 = 0;
        for (int i = 0; i < len; i++) {
            double s0 = a.samples()[(from + i) * a.channels()] + c * s1 - s2;
            s2 = s1;
            s1 = s0;
        }
        double power = s1 * s1 + s2 * s2 - c * s1 * s2;
        return 2 * Math.sqrt(Math.max(power, 0)) / len;
    }

    /** The 1 kHz tone segments found by a 5 ms-window detector: [startSeconds, lengthSeconds]. */
    static List<double[]> segments(AudioBuffer a) {
        int win = a.sampleRate() / 200;
        List<double[]> segs = new ArrayList<>();
        double start = -1;
        int windows = a.frames() / win;
        for (int k = 0; k <= windows; k++) {
            boolean on = k < windows && tone(a, RhythmCue.FREQUENCY_HZ, k * win, win) > RhythmCue.LEVEL / 3;
            double t = k * win / (double) a.sampleRate();
            if (on && start < 0) start = t;
            if (!on && start >= 0) {
                segs.add(new double[] {start, t - start});
                start = -1;
            }
        }
        return segs;
    }

    static String rhythm(List<double[]> segs) {
        double shortest = segs.stream().mapToDouble(s -> s[1]).min().orElse(0);
        StringBuilder sb = new StringBuilder();
        for (double[] s : segs) sb.append(s[1] > 2 * shortest ? 'L' : 'S');
        return sb.toString();
    }

    @Test
    void cueIsShortLongShortShortAtTheDocumentedTimes() {
        AudioBuffer in = master(48_000, 5.0);
        float[] original = in.samples().clone();
        AudioBuffer out = RhythmCue.apply(in);
        assertArrayEquals(original, in.samples(), "input must not be modified");
        assertNotSame(in.samples(), out.samples());
        List<double[]> segs = segments(out);
        assertEquals("SLSS", rhythm(segs));
        double[][] expected = {{0.0, 0.12}, {0.24, 0.36}, {0.96, 0.12}, {1.20, 0.12}};
        for (int i = 0; i < 4; i++) {
            assertEquals(expected[i][0], segs.get(i)[0], 0.011, "start of tone " + i);
            assertEquals(expected[i][1], segs.get(i)[1], 0.016, "length of tone " + i);
        }
        // Energy at 1 kHz: strong inside each tone, absent in the gaps and after the cue.
        int r = 48_000;
        assertTrue(tone(out, 1000, (int) (0.03 * r), 2400) > 0.25);
        assertTrue(tone(out, 1000, (int) (0.35 * r), 2400) > 0.25);
        assertTrue(tone(out, 1000, (int) (0.70 * r), 2400) < 0.01, "gap between A and I is silent at 1 kHz");
        assertTrue(tone(out, 1000, (int) (2.0 * r), 48_000) < 0.001, "nothing after the cue");
    }

    @Test
    void masterIsDuckedUnderTheCueAndUnchangedAfterIt() {
        AudioBuffer in = master(48_000, 4.0);
        AudioBuffer out = RhythmCue.apply(in);
        int r = 48_000;
        // Within the A-I gap, the master is at half level (220 Hz partial 0.4 -> 0.2).
        assertEquals(0.2, tone(out, 220, (int) (0.65 * r), 2400), 0.01);
        for (int i = (int) (1.4 * r) * 2; i < in.samples().length; i++) assertEquals(in.samples()[i], out.samples()[i], "sample " + i);
        for (float v : out.samples()) assertTrue(v >= -1f && v <= 1f);
    }

    @Test
    void cueIsMixedIntoEveryChannel() {
        AudioBuffer silent = AudioBuffer.silence(44_100, 2, 3.0);
        AudioBuffer out = RhythmCue.apply(silent);
        for (int i = 0; i < out.frames(); i++) assertEquals(out.samples()[2 * i], out.samples()[2 * i + 1]);
        double peak = 0;
        for (float v : out.samples()) peak = Math.max(peak, Math.abs(v));
        assertEquals(RhythmCue.LEVEL, peak, 0.001);
    }

    @Test
    void shortMasterGetsAFasterCueWithTheSameRhythm() {
        AudioBuffer out = RhythmCue.apply(master(16_000, 1.0));
        List<double[]> segs = segments(out);
        assertEquals("SLSS", rhythm(segs));
        double[] last = segs.get(3);
        assertTrue(last[0] + last[1] <= 0.95, "fits into the 1 s clip: ends at " + (last[0] + last[1]));
    }

    @Test
    void tooShortMasterIsRefused() {
        StageException e = assertThrows(StageException.class, () -> RhythmCue.apply(AudioBuffer.silence(48_000, 2, 0.3)));
        assertTrue(e.getMessage().contains("too short for the GB 45438 rhythm cue"), e.getMessage());
    }

    @Test
    void deterministic() {
        assertArrayEquals(RhythmCue.apply(master(48_000, 2)).samples(), RhythmCue.apply(master(48_000, 2)).samples());
    }
}
