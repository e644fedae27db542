package io.kinora.voice.internal;

import io.kinora.api.voice.Speech;
import io.kinora.api.voice.SpeechRequest;
import io.kinora.api.voice.VoiceEngine;
import io.kinora.voice.internal.espeak.EspeakVoiceEngine;
import io.kinora.voice.internal.freetts.FreeTtsVoiceEngine;
import io.kinora.voice.internal.marytts.MaryVoiceEngineAccess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.util.List;

/**
 * Real-time factor per engine and voice (opt-in: {@code -Dkinora.bench=true}): three warm-up lines, then
 * five different lines; prints seconds of speech per second of synthesis. One thread.
 */
@EnabledIfSystemProperty(named = "kinora.bench", matches = "true")
class SynthesisBenchmarkTest {
    static final List<String> LINES = List.of(
            "The harbour lights came on one by one as the ferry pulled away.",
            "I checked the engine twice, and we leave at dawn whatever the weather.",
            "Wait, you actually found it? Show me right now, before the others come back.",
            "Sit down. There is time enough for tea before the rain reaches the hills.",
            "Look at the red kite over the dunes; can we follow it to the end of the beach?");

    @Test
    void realTimeFactors() {
        VoiceEngine mary = MaryVoiceEngineAccess.create();
        EspeakVoiceEngine espeak = new EspeakVoiceEngine("espeak-ng", 30, 1);
        FreeTtsVoiceEngine freetts = new FreeTtsVoiceEngine(1);
        try {
            for (VoiceEngine e : List.of(freetts, mary, espeak)) {
                for (var v : e.voices()) {
                    for (int i = 0; i < 3; i++) e.synthesize(new SpeechRequest(v.id(), LINES.get(i), "en"));
                    double audio = 0, took = 0;
                    for (String line : LINES) {
                        long t0 = System.nanoTime();
                        Speech s = e.synthesize(new SpeechRequest(v.id(), line, "en"));
                        took += (System.nanoTime() - t0) / 1e9;
                        audio += s.audio().durationSeconds();
                    }
                    System.out.printf("BENCH %-10s %-14s %6.2f s speech in %6.3f s: %5.1fx real time%n", e.id(), v.id(),
                            audio, took, audio / took);
                }
            }
        } finally {
            MaryVoiceEngineAccess.stop(mary);
            freetts.deactivate();
        }
    }
}
