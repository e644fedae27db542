package io.kinora.voice.internal;

import io.kinora.api.media.StageException;
import io.kinora.api.timeline.WordTiming;
import io.kinora.api.voice.Speech;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SpeechTrimmerTest {
    private static final int RATE = 16_000;

    /** silence, a 200 Hz tone from 0.5 s to 1.5 s, silence to 2.5 s */
    private static float[] toneInSilence() {
        float[] x = new float[(int) (2.5 * RATE)];
        for (int i = (int) (0.5 * RATE); i < (int) (1.5 * RATE); i++) {
            x[i] = (float) (0.3 * Math.sin(2 * Math.PI * 200 * i / RATE));
        }
        return x;
    }

    @Test
    void trimsToFiftyMillisecondsAndMovesWords() {
        Speech s = SpeechTrimmer.trim("v", toneInSilence(), RATE,
                List.of(new WordTiming("a", 0.5, 1.0), new WordTiming("b", 1.0, 1.5)));
        assertEquals(1.0 + 2 * SpeechTrimmer.MARGIN_SECONDS, s.audio().durationSeconds(), 0.011);
        assertEquals(0.05, s.words().get(0).start(), 0.011);
        assertEquals(0.55, s.words().get(0).end(), 0.011);
        assertEquals(1.05, s.words().get(1).end(), 0.011);
        float[] y = s.audio().samples();
        assertEquals(0f, y[(int) (0.04 * RATE)], 1e-6f, "lead is silent");
        assertTrue(Math.abs(y[(int) (0.3 * RATE)]) > 0 || Math.abs(y[(int) (0.3 * RATE) + 10]) > 0, "tone kept");
    }

    @Test
    void padsWhenTheEngineLeftLessThanTheMargin() {
        float[] x = new float[RATE];
        for (int i = 0; i < x.length; i++) x[i] = (float) (0.3 * Math.sin(2 * Math.PI * 200 * i / RATE));
        Speech s = SpeechTrimmer.trim("v", x, RATE, List.of(new WordTiming("a", 0.0, 1.0)));
        assertEquals(1.1, s.audio().durationSeconds(), 0.002);
        assertEquals(0.05, s.words().get(0).start(), 0.002);
        assertEquals(1.05, s.words().get(0).end(), 0.002);
    }

    @Test
    void wordsStayInsideTheAudioAndInOrder() {
        Speech s = SpeechTrimmer.trim("v", toneInSilence(), RATE,
                List.of(new WordTiming("a", 0.0, 0.7), new WordTiming("b", 0.6, 2.5)));
        double d = s.audio().durationSeconds();
        WordTiming a = s.words().get(0), b = s.words().get(1);
        assertTrue(a.start() >= 0 && a.end() <= d && b.start() >= a.end() && b.end() <= d, s.words().toString());
    }

    @Test
    void silenceIsAnError() {
        StageException e = assertThrows(StageException.class,
                () -> SpeechTrimmer.trim("quiet", new float[RATE], RATE, List.of()));
        assertTrue(e.getMessage().contains("quiet"), e.getMessage());
    }
}
