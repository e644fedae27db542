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
    static double[] mary, kinora;
    static boolean[] voiced;
    static int frame;

    @BeforeAll
    static void vocodeBoth() throws Exception {
        engine = new MaryVoiceEngine(1);
        HTSParameterGeneration[] p = new HTSParameterGeneration[1];
        HMMData[] d = new HMMData[1];
        KinoraHtsEngine.tap = (g, h) -> {
            p[0] = g;
            d[0] = h;
        };
        try {
            engine.synthesize(new SpeechRequest("slt", "The harbour lights came on one by one as the ferry pulled away.", "en"));
        } finally {
            KinoraHtsEngine.tap = null;
        }
        kinora = MaryRuntime.call(() -> KinoraHtsEngine.vocode(p[0], d[0]));
        KinoraHtsEngine.maryVocoder = true;
        try {
            mary = MaryRuntime.call(() -> KinoraHtsEngine.vocode(p[0], d[0]));
        } finally {
            KinoraHtsEngine.maryVocoder = false;
        }
        voiced = p[0].getVoicedArray();
        frame = d[0].getFperiod();
        assertArrayEquals(kinora, MaryRuntime.call(() -> KinoraHtsEngine.vocode(p[0], d[0])), "repeatable");
    }

    @AfterAll
    static void stop() {
        engine.deactivate();
    }

    @Test
    void sameLengthAndLevel() {
        assertEquals(mary.length, kinora.length);
        double dv = levelDifference(true), du = levelDifference(false);
        System.out.printf("level Kinora - MaryTTS: voiced %.2f dB, unvoiced %.2f dB%n", dv, du);
        assertEquals(0, dv, 1.0, "voiced level");
        assertEquals(0, du, 1.5, "unvoiced level");
    }

    @Test
    void sameWaveformUpToThePulsePhase() {
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

    private static double levelDifference(boolean wantVoiced) {
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
