package io.kinora.voice.internal.freetts;

import io.kinora.api.media.StageException;
import io.kinora.api.scene.CharacterSpec;
import io.kinora.api.voice.SpeechRequest;
import io.kinora.voice.internal.PitchEstimator;
import io.kinora.voice.internal.VoiceServiceImpl;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Casting over the real FreeTTS catalogue, judged by ear's proxy: median F0.
 *
 * <p>Margins: two adult speakers of the same sex typically differ by 2-4 semitones in median F0, men and
 * women by about 12; the estimator's error on this speech is well under half a semitone (one lag step at
 * 16 kHz is under 1.2 % = 0.2 semitone at 180 Hz). So the first two characters, who carry most dialogues,
 * must be at least 6 semitones (half an octave) apart, and any two of four characters at least 3.
 */
class CastingWithFreeTtsTest {
    static FreeTtsVoiceEngine engine;
    static VoiceServiceImpl service;

    @BeforeAll
    static void start() {
        engine = new FreeTtsVoiceEngine(1);
        service = new VoiceServiceImpl("en", 500);
        service.addEngine(engine, Map.of());
    }

    @AfterAll
    static void stop() {
        engine.deactivate();
    }

    private static List<CharacterSpec> characters(int n) {
        List<CharacterSpec> cs = new ArrayList<>();
        for (int i = 0; i < n; i++) cs.add(new CharacterSpec("c" + i, "Character " + i, null, null));
        return cs;
    }

    private static double f0(String voice) {
        float[] x = service.speak(new SpeechRequest(voice,
                "I never thought I would see this valley again, but here we are, and the river is still running.",
                "en")).audio().samples();
        return PitchEstimator.medianF0(x, 16_000);
    }

    @Test
    void twoCharactersGetVoicesHalfAnOctaveApart() {
        Map<String, String> cast = service.cast(characters(2), "en");
        assertEquals(2, new HashSet<>(cast.values()).size(), cast.toString());
        double a = f0(cast.get("c0")), b = f0(cast.get("c1"));
        assertTrue(PitchEstimator.semitones(a, b) >= 6, cast + ": " + a + " Hz vs " + b + " Hz");
    }

    @Test
    void upToFourCharactersGetDistinctVoicesAtLeastThreeSemitonesApart() {
        for (int n = 2; n <= 4; n++) {
            Map<String, String> cast = service.cast(characters(n), "en-US");
            assertEquals(n, new HashSet<>(cast.values()).size(), cast.toString());
            List<String> voices = List.copyOf(cast.values());
            for (int i = 0; i < n; i++) {
                for (int j = i + 1; j < n; j++) {
                    double a = f0(voices.get(i)), b = f0(voices.get(j));
                    assertTrue(PitchEstimator.semitones(a, b) >= 3, cast + ": " + a + " Hz vs " + b + " Hz");
                }
            }
        }
    }

    @Test
    void anUnknownRequestedVoiceIsAClearMessage() {
        StageException e = assertThrows(StageException.class, () -> service.cast(
                List.of(new CharacterSpec("mira", "Mira", "soprano-7", null)), "en"));
        assertEquals("character 'mira' (Mira) asks for voice 'soprano-7', which is not in the voice catalogue; "
                + "voices for 'en': kevin, kevin-bright, kevin-elder, kevin-light", e.getMessage());
    }

    @Test
    void aLanguageNoEngineSpeaksIsAClearMessage() {
        StageException e = assertThrows(StageException.class, () -> service.cast(characters(1), "zh"));
        assertTrue(e.getMessage().contains("no voice in the catalogue speaks language 'zh'")
                && e.getMessage().contains("speak: en"), e.getMessage());
    }
}
