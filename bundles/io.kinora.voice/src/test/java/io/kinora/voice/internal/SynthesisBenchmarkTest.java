package io.kinora.voice.internal;

import io.kinora.api.voice.Speech;
import io.kinora.api.voice.SpeechRequest;
import io.kinora.api.voice.VoiceEngine;
import io.kinora.voice.internal.espeak.EspeakVoiceEngine;
import io.kinora.voice.internal.freetts.FreeTtsVoiceEngine;
import io.kinora.voice.internal.marytts.MaryVoiceEngineAccess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;

/**
 * Real-time factor per engine and voice (opt-in: {@code -Dkinora.bench=true}; {@code -Dkinora.bench.rounds=N}
 * rounds, default 1): every voice first speaks three warm-up lines, then each round times five different lines per
 * voice, one thread. Prints seconds of speech per second of synthesis by wall clock, by the process's CPU time
 * (all threads, GC and JIT included: less sensitive to other work on a shared machine) and by the synthesizing
 * thread's CPU time. espeak-ng runs twice: through its library (word timings from its events; the engine's
 * default) and through its command line (the fallback; timings estimated from the audio). The command line's work
 * is in child processes, which the process CPU figures do not count: compare the two by wall clock.
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
        int rounds = Integer.getInteger("kinora.bench.rounds", 1);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        VoiceEngine mary = MaryVoiceEngineAccess.create();
        EspeakVoiceEngine espeak = new EspeakVoiceEngine("espeak-ng", 30, 1);
        EspeakVoiceEngine espeakCli = new EspeakVoiceEngine("espeak-ng", "", 30, 1, null);
        FreeTtsVoiceEngine freetts = new FreeTtsVoiceEngine(1);
        List<VoiceEngine> engines = List.of(freetts, mary, espeak, espeakCli);
        try {
            for (VoiceEngine e : engines) {
                for (var v : e.voices()) {
                    for (int i = 0; i < 3; i++) e.synthesize(new SpeechRequest(v.id(), LINES.get(i), "en"));
                }
            }
            for (int round = 1; round <= rounds; round++) {
                for (VoiceEngine e : engines) {
                    for (var v : e.voices()) {
                        double audio = 0;
                        long wall = 0, cpu = 0, thread = 0;
                        for (String line : LINES) {
                            long p0 = os.getProcessCpuTime(), c0 = threads.getCurrentThreadCpuTime(), t0 = System.nanoTime();
                            Speech s = e.synthesize(new SpeechRequest(v.id(), line, "en"));
                            wall += System.nanoTime() - t0;
                            thread += threads.getCurrentThreadCpuTime() - c0;
                            cpu += os.getProcessCpuTime() - p0;
                            audio += s.audio().durationSeconds();
                        }
                        System.out.printf("BENCH round %d %-10s %-14s %6.2f s speech in %6.3f s: %5.1fx real time "
                                        + "(process CPU %6.3f s: %5.1fx; thread CPU %6.3f s: %5.1fx)%n", round, label(e),
                                v.id(), audio, wall / 1e9, audio / (wall / 1e9), cpu / 1e9, audio / (cpu / 1e9),
                                thread / 1e9, audio / (thread / 1e9));
                    }
                }
            }
        } finally {
            MaryVoiceEngineAccess.stop(mary);
            freetts.deactivate();
        }
    }

    private static String label(VoiceEngine e) {
        if (e instanceof EspeakVoiceEngine es) return es.usesLibrary() ? "espeak-lib" : "espeak-cli";
        return e.id();
    }
}
