package io.kinora.provenance.internal.audio;

import io.kinora.api.media.AudioBuffer;
import io.kinora.provenance.internal.watermark.NullClips;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/** The rhythm cue detector on sound in memory: the cue as mixed, shifted and shortened; and null sounds. */
class RhythmCueDetectorTest {
    static final int RATE = 48_000;

    static float[] voice(long seed, double seconds) {
        return NullClips.fastVoice(new Random(seed), (int) (RATE * seconds));
    }

    static float[] cued(float[] master) {
        return RhythmCue.apply(new AudioBuffer(RATE, 1, master)).samples();
    }

    @Test
    void findsTheCueMixedOverVoiceSilenceAndNoise() {
        float[][] masters = {voice(1, 5), new float[RATE * 5], NullClips.tones(new Random(2), RATE * 5, true)};
        for (float[] m : masters) {
            RhythmCueDetector.Detection d = RhythmCueDetector.detect(cued(m));
            assertTrue(d.found(), d.toString());
            assertEquals(0.0, d.start(), 0.006, d.toString());
            assertEquals(0.120, d.unit(), 0.004, d.toString());
            assertTrue(d.maxError() <= 10, d.toString());
            assertTrue(d.confidence() > 0.5, d.toString());
        }
    }

    @Test
    void findsTheCueAfterAnOffsetAndOnAShortMaster() {
        float[] c = cued(voice(3, 4));
        for (int shift : new int[] {1024, 2048, 9600}) { // AAC priming without an edit list, and 200 ms of lead-in
            float[] s = new float[c.length + shift];
            System.arraycopy(c, 0, s, shift, c.length);
            RhythmCueDetector.Detection d = RhythmCueDetector.detect(s);
            assertTrue(d.found(), shift + ": " + d);
            assertEquals(shift / (double) RATE, d.start(), 0.006, d.toString());
        }
        // a 1 s master gets a faster cue (unit 81.8 ms): still the rhythm
        RhythmCueDetector.Detection d = RhythmCueDetector.detect(cued(voice(4, 1.0)));
        assertTrue(d.found(), d.toString());
        assertEquals((1.0 - 0.1) / 11, d.unit(), 0.004, d.toString());
    }

    /** Tones of {@code hz} at the given (start, length) in seconds, 0.3 peak, 5 ms edges, over {@code under}. */
    static float[] beeps(float[] under, double hz, double[][] tones) {
        float[] s = under.clone();
        int edge = RATE / 200;
        for (double[] t : tones) {
            int a = (int) Math.round(t[0] * RATE);
            int n = (int) Math.round(t[1] * RATE);
            for (int i = 0; i < n && a + i < s.length; i++) {
                double env = i < edge ? 0.5 * (1 - Math.cos(Math.PI * i / edge)) : n - 1 - i < edge ? 0.5 * (1 - Math.cos(Math.PI * (n - 1 - i) / edge)) : 1;
                s[a + i] += (float) (0.3 * env * Math.sin(2 * Math.PI * hz * i / RATE));
            }
        }
        return s;
    }

    static final double[][] SLSS = {{0, 0.12}, {0.24, 0.36}, {0.96, 0.12}, {1.20, 0.12}};

    /**
     * Null sounds: the watermark null test's voices, noise, chords and melodies; a continuous 1 kHz tone; the cue's
     * rhythm at other pitches (900, 1100, 1500, 2000 Hz); 1 kHz in other rhythms (Morse S, B, U, equal beeps, a
     * long-short-short-short, the cue's tones with the long one short); never the cue.
     */
    @Test
    void nullSoundsNeverMatch() {
        List<String> names = new ArrayList<>();
        List<float[]> sounds = new ArrayList<>();
        Random r = new Random(45438);
        int n = NullClips.FULL ? 200 : 40;
        for (int c = 0; c < n; c++) {
            switch (c % 4) {
                case 0 -> { names.add("voice"); sounds.add(NullClips.fastVoice(r, RATE * 4)); }
                case 1 -> { names.add("chord"); sounds.add(NullClips.tones(r, RATE * 4, false)); }
                case 2 -> { names.add("melody"); sounds.add(NullClips.tones(r, RATE * 4, true)); }
                default -> {
                    names.add("noise");
                    float[] s = new float[RATE * 4];
                    for (int i = 0; i < s.length; i++) s[i] = (r.nextFloat() - 0.5f) * 0.35f;
                    sounds.add(s);
                }
            }
        }
        float[] quiet = voice(9, 4);
        names.add("1 kHz continuous");
        sounds.add(beeps(quiet, 1000, new double[][] {{0, 4}}));
        for (double hz : new double[] {900, 1100, 1500, 2000}) {
            names.add("SLSS at " + hz + " Hz");
            sounds.add(beeps(quiet, hz, SLSS));
        }
        double[][][] rhythms = {
                {{0, 0.12}, {0.24, 0.12}, {0.48, 0.12}}, // S
                {{0, 0.36}, {0.48, 0.12}, {0.72, 0.12}, {0.96, 0.12}}, // B: long-short-short-short
                {{0, 0.12}, {0.24, 0.12}, {0.48, 0.36}}, // U
                {{0, 0.12}, {0.24, 0.12}, {0.48, 0.12}, {0.72, 0.12}, {0.96, 0.12}, {1.2, 0.12}}, // equal beeps
                {{0, 0.12}, {0.24, 0.12}, {0.96, 0.12}, {1.20, 0.12}}, // the cue with its long tone short
                {{0, 0.12}, {0.24, 0.36}, {0.72, 0.12}, {0.96, 0.12}}, // short-long-short-short without the letter gap (Morse "L")
                {{0, 0.12}, {0.24, 0.36}, {0.96, 0.12}, {1.20, 0.12}, {1.44, 0.12}}, // the cue with a fifth tone (A S)
        };
        for (int k = 0; k < rhythms.length; k++) {
            names.add("1 kHz rhythm " + k);
            sounds.add(beeps(quiet, 1000, rhythms[k]));
        }
        int found = 0;
        for (int i = 0; i < sounds.size(); i++) {
            RhythmCueDetector.Detection d = RhythmCueDetector.detect(sounds.get(i));
            if (d.found()) {
                found++;
                System.out.println("FALSE CUE in " + names.get(i) + ": " + d);
            }
        }
        System.out.printf(Locale.ROOT, "rhythm cue null test: %d sounds, cues found: %d%n", sounds.size(), found);
        assertEquals(0, found);
        // and the real cue at 1 kHz over the same voice is found (the nulls are not just too quiet)
        assertTrue(RhythmCueDetector.detect(beeps(quiet, 1000, SLSS)).found());
    }

    @Test
    void silenceAndTooShortSoundsAreNotTheCue() {
        assertFalse(RhythmCueDetector.detect(new float[RATE * 3]).found());
        assertFalse(RhythmCueDetector.detect(new float[100]).found());
        assertFalse(RhythmCueDetector.detect(Arrays.copyOf(cued(voice(5, 3)), RATE)).found(), "the cue cut after 1 s is not the whole rhythm");
    }
}
