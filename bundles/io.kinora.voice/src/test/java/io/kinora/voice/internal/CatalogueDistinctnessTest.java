package io.kinora.voice.internal;

import io.kinora.api.voice.Speech;
import io.kinora.api.voice.SpeechRequest;
import io.kinora.api.voice.VoiceEngine;
import io.kinora.api.voice.VoiceInfo;
import io.kinora.voice.internal.espeak.EspeakVoiceEngine;
import io.kinora.voice.internal.freetts.FreeTtsVoiceEngine;
import io.kinora.voice.internal.marytts.MaryVoiceEngineAccess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Every catalogue voice speaks the same sentence; every pair must be told apart by pitch or timbre.
 *
 * <p>Measures: median F0 (autocorrelation, voiced frames) and mean spectral centroid over 0-8 kHz (loud frames;
 * the band is fixed so the engines' sample rates do not matter). Margin: a pair is distinct when
 * {@code (dF0 / 2 semitones)^2 + (dCentroid / 15 %)^2 >= 1} (differences taken on log scales). Why: about
 * 2 semitones of F0 is where listeners start to hear two speakers rather than one (a same-sex speaker's F0 varies
 * by less within one utterance's median), and ~15 % is the vocal-tract-length difference (formants shift by
 * the same ratio, and with them the centroid) that separates two adults of the same sex; a pair may spend the
 * margin on either cue or both.
 */
class CatalogueDistinctnessTest {
    static final String SENTENCE = "We should leave before the evening tide comes in over the rocks.";
    static final double F0_MARGIN_SEMITONES = 2.0;
    static final double CENTROID_MARGIN = Math.log(1.15);
    static final List<VoiceEngine> engines = new ArrayList<>();
    static final Map<String, double[]> measured = new LinkedHashMap<>();

    @BeforeAll
    static void speakAll() {
        engines.add(new FreeTtsVoiceEngine(1));
        engines.add(MaryVoiceEngineAccess.create());
        EspeakVoiceEngine espeak = new EspeakVoiceEngine("espeak-ng", 30, 2);
        if (espeak.available()) {
            engines.add(espeak);
        } else {
            System.out.println("espeak-ng is not installed: its voices are left out of this test");
        }
        for (VoiceEngine e : engines) {
            for (VoiceInfo v : e.voices()) {
                long t0 = System.nanoTime();
                Speech s = e.synthesize(new SpeechRequest(v.id(), SENTENCE, "en"));
                double took = (System.nanoTime() - t0) / 1e9;
                int rate = s.audio().sampleRate();
                double f0 = PitchEstimator.medianF0(s.audio().samples(), rate);
                double centroid = SpectralCentroid.mean(s.audio().samples(), rate, 8000);
                measured.put(v.id(), new double[]{f0, centroid});
                System.out.printf("%-14s %-8s %-7s %-6s F0 %6.1f Hz  centroid %6.0f Hz  %.2f s in %.3f s (RTF %.3f)%n",
                        v.id(), e.id(), v.gender(), v.age(), f0, centroid, s.audio().durationSeconds(), took,
                        took / s.audio().durationSeconds());
            }
        }
    }

    @AfterAll
    static void stop() {
        MaryVoiceEngineAccess.stop(engines.get(1));
    }

    @Test
    void atLeastEightVoicesEveryPairDistinct() {
        assertTrue(measured.size() >= 8, "catalogue voices: " + measured.keySet());
        List<String> ids = new ArrayList<>(measured.keySet());
        List<String> failures = new ArrayList<>();
        double closest = Double.MAX_VALUE;
        String closestPair = "";
        for (int i = 0; i < ids.size(); i++) {
            for (int j = i + 1; j < ids.size(); j++) {
                double[] a = measured.get(ids.get(i));
                double[] b = measured.get(ids.get(j));
                double df0 = 12 * Math.abs(Math.log(a[0] / b[0]) / Math.log(2)) / F0_MARGIN_SEMITONES;
                double dc = Math.abs(Math.log(a[1] / b[1])) / CENTROID_MARGIN;
                double d = Math.hypot(df0, dc);
                if (d < closest) {
                    closest = d;
                    closestPair = ids.get(i) + " / " + ids.get(j);
                }
                if (!(d >= 1)) {
                    failures.add(String.format("%s / %s: F0 %.0f vs %.0f Hz, centroid %.0f vs %.0f Hz (distance %.2f)",
                            ids.get(i), ids.get(j), a[0], b[0], a[1], b[1], d));
                }
            }
        }
        System.out.printf("closest pair: %s (distance %.2f)%n", closestPair, closest);
        assertTrue(failures.isEmpty(), "voices too alike:\n" + String.join("\n", failures));
    }
}
