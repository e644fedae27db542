package io.kinora.voice.internal.marytts;

import io.kinora.api.media.StageException;
import io.kinora.api.timeline.WordTiming;
import io.kinora.api.voice.Speech;
import io.kinora.api.voice.SpeechRequest;
import io.kinora.voice.internal.PitchEstimator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class MaryVoiceEngineTest {
    static MaryVoiceEngine engine;

    @BeforeAll
    static void start() {
        engine = new MaryVoiceEngine(2);
        System.out.printf("MaryTTS startup %.2f s%n", engine.startupSeconds());
    }

    @AfterAll
    static void stop() {
        engine.deactivate();
    }

    @Test
    void speaksWithRealWordTimings() {
        String line = "Dr. Smith arrived at 3:30, didn't she? Yes, well-known for it.";
        long t0 = System.nanoTime();
        Speech s = engine.synthesize(new SpeechRequest("slt", line, "en"));
        double took = (System.nanoTime() - t0) / 1e9;
        double dur = s.audio().durationSeconds();
        System.out.printf("slt: %.2f s audio in %.3f s (RTF %.3f)%n", dur, took, took / dur);
        assertEquals(48000, s.audio().sampleRate());
        assertTrue(dur > 2.5 && dur < 8, "duration " + dur);
        List<WordTiming> w = s.words();
        System.out.println(w);
        assertEquals(List.of("Dr.", "Smith", "arrived", "at", "3:30,", "didn't", "she?", "Yes,", "well-known", "for", "it."),
                w.stream().map(WordTiming::word).toList());
        for (int i = 0; i < w.size(); i++) {
            assertTrue(w.get(i).end() > w.get(i).start(), "word timed: " + w.get(i));
            if (i > 0) assertTrue(w.get(i).start() >= w.get(i - 1).end() - 1e-9);
        }
        assertTrue(w.get(w.size() - 1).end() <= dur + 1e-6);
        assertTrue(w.get(w.size() - 1).end() > dur - 0.4, "last word ends near the end: " + w.get(w.size() - 1) + " of " + dur);
        double f0 = PitchEstimator.medianF0(s.audio().samples(), 48000);
        assertTrue(f0 > 140 && f0 < 220, "female median F0 " + f0);
    }

    @Test
    void derivedMaleVoiceIsLower() {
        Speech s = engine.synthesize(new SpeechRequest("mary-man", "I checked the engine twice this morning.", "en"));
        double f0 = PitchEstimator.medianF0(s.audio().samples(), 48000);
        assertTrue(f0 > 80 && f0 < 140, "male median F0 " + f0);
    }

    @Test
    void refusesOtherLanguagesAndUnknownVoices() {
        assertThrows(StageException.class, () -> engine.synthesize(new SpeechRequest("slt", "Bonjour", "fr")));
        assertThrows(StageException.class, () -> engine.synthesize(new SpeechRequest("nope", "Hello", "en")));
        StageException e = assertThrows(StageException.class,
                () -> engine.synthesize(new SpeechRequest("slt", "Hello 世界 and שלום", "en")));
        assertTrue(e.getMessage().contains("'世界', 'שלום'"), e.getMessage());
        // accented Latin is English-pronounceable enough: spoken
        assertTrue(engine.synthesize(new SpeechRequest("slt", "A café in Zürich.", "en")).words().size() == 4);
    }
}
