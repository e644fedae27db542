package io.kinora.voice.internal.marytts;

import io.kinora.api.voice.SpeechRequest;
import marytts.htsengine.HMMData;
import marytts.htsengine.HTSParameterGeneration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Kinora's vocoder against MaryTTS's own on the same generated parameters of a real line: same level, same spectral
 * envelope, the same waveform up to the glottal pulses' phase.
 */
class KinoraHtsEngineTest {
    static MaryVoiceEngine engine;

    /** Both vocoders' output for one line, made while MaryTTS synthesizes it (with the voice's effects in force). */
    static final class Pair {
        double[] mary, kinora;
        boolean[] voiced;
        int frame;
    }

    static Pair slt, man;

    static Pair vocodeBoth(String voice, String line) {
        Pair pair = new Pair();
        KinoraHtsEngine.tap = (g, h) -> {
            try {
                pair.kinora = KinoraHtsEngine.vocode(g, h);
                assertArrayEquals(pair.kinora, KinoraHtsEngine.vocode(g, h), "repeatable");
                KinoraHtsEngine.maryVocoder = true;
                pair.mary = KinoraHtsEngine.vocode(g, h);
            } catch (Exception e) {
                throw new AssertionError(e);
            } finally {
                KinoraHtsEngine.maryVocoder = false;
            }
            pair.voiced = g.getVoicedArray();
            pair.frame = h.getFperiod();
        };
        try {
            engine.synthesize(new SpeechRequest(voice, line, "en"));
        } finally {
            KinoraHtsEngine.tap = null;
        }
        return pair;
    }

    @BeforeAll
    static void vocode() {
        engine = new MaryVoiceEngine(1);
        slt = vocodeBoth("slt", "The harbour lights came on one by one as the ferry pulled away.");
        // a derived voice: its pitch effects (F0Scale 0.6, F0Add -60 Hz) reach the vocoder through the voice data
        man = vocodeBoth("mary-man", "I checked the engine twice, and we leave at dawn.");
    }

    @AfterAll
    static void stop() {
        engine.deactivate();
    }

    @Test
    void sameLengthAndLevel() {
        sameLengthAndLevel(slt);
        sameLengthAndLevel(man);
    }

    @Test
    void sameWaveformUpToThePulsePhase() {
        sameWaveformUpToThePulsePhase(slt);
        sameWaveformUpToThePulsePhase(man);
    }

    private static void sameLengthAndLevel(Pair p) {
        double[] mary = p.mary, kinora = p.kinora;
        assertEquals(mary.length, kinora.length);
        double dv = levelDifference(p, true), du = levelDifference(p, false);
        System.out.printf("level Kinora - MaryTTS: voiced %.2f dB, unvoiced %.2f dB%n", dv, du);
        assertEquals(0, dv, 1.0, "voiced level");
        assertEquals(0, du, 1.5, "unvoiced level");
    }

    private static void sameWaveformUpToThePulsePhase(Pair p) {
        double[] mary = p.mary, kinora = p.kinora;
        boolean[] voiced = p.voiced;
        int frame = p.frame;
        // in 20 ms windows of voiced speech, the best match within one pitch period
        int win = 960, count = 0;
        double sum = 0;
        for (int t = 0; t + 4 < voiced.length; t += 8) {
            if (!voiced[t] || !voiced[t + 4]) continue;
            int at = t * frame;
            double best = 0;
            for (int lag = -400; lag <= 400; lag++) {
                if (at + lag < 0 || at + lag + win > kinora.length || at + win > mary.length) continue;
                best = Math.max(best, correlation(mary, at, kinora, at + lag, win));
            }
            sum += best;
            count++;
        }
        double mean = sum / count;
        System.out.printf("voiced windows %d, mean best correlation %.4f%n", count, mean);
        assertTrue(count > 20);
        assertTrue(mean > 0.95, "mean correlation " + mean);
    }

    @Test
    void vocodesFasterThanMaryTts() throws Exception {
        // (timed in this JVM after warm-up; a CPU-time ratio, less sensitive to a shared machine than wall time)
        var bean = java.lang.management.ManagementFactory.getThreadMXBean();
        HTSParameterGeneration[] p = new HTSParameterGeneration[1];
        HMMData[] d = new HMMData[1];
        KinoraHtsEngine.tap = (g, h) -> {
            p[0] = g;
            d[0] = h;
        };
        try {
            engine.synthesize(new SpeechRequest("slt", "Sit down. There is time enough for tea before the rain.", "en"));
        } finally {
            KinoraHtsEngine.tap = null;
        }
        long k = Long.MAX_VALUE, m = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            long c0 = bean.getCurrentThreadCpuTime();
            KinoraHtsEngine.vocode(p[0], d[0]);
            long c1 = bean.getCurrentThreadCpuTime();
            k = Math.min(k, c1 - c0);
        }
        KinoraHtsEngine.maryVocoder = true;
        try {
            for (int i = 0; i < 3; i++) {
                long c0 = bean.getCurrentThreadCpuTime();
                KinoraHtsEngine.vocode(p[0], d[0]);
                m = Math.min(m, bean.getCurrentThreadCpuTime() - c0);
            }
        } finally {
            KinoraHtsEngine.maryVocoder = false;
        }
        System.out.printf("vocoder CPU: Kinora %.1f ms, MaryTTS %.1f ms%n", k / 1e6, m / 1e6);
        assertTrue(k < m, "Kinora's vocoder " + k / 1e6 + " ms, MaryTTS's " + m / 1e6 + " ms");
    }

    private static double levelDifference(Pair p, boolean wantVoiced) {
        double[] mary = p.mary, kinora = p.kinora;
        boolean[] voiced = p.voiced;
        int frame = p.frame;
        double ek = 0, em = 0;
        for (int t = 0; t < voiced.length; t++) {
            if (voiced[t] != wantVoiced) continue;
            for (int i = t * frame; i < (t + 1) * frame; i++) {
                ek += kinora[i] * kinora[i];
                em += mary[i] * mary[i];
            }
        }
        return 10 * Math.log10(ek / em);
    }

    private static double correlation(double[] a, int ia, double[] b, int ib, int n) {
        double ab = 0, aa = 0, bb = 0;
        for (int i = 0; i < n; i++) {
            ab += a[ia + i] * b[ib + i];
            aa += a[ia + i] * a[ia + i];
            bb += b[ib + i] * b[ib + i];
        }
        return ab / Math.sqrt(aa * bb + 1e-30);
    }
}
