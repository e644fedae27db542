package io.kinora.voice.internal.freetts;

import io.kinora.api.media.StageException;
import io.kinora.api.timeline.WordTiming;
import io.kinora.api.voice.Speech;
import io.kinora.api.voice.SpeechRequest;
import io.kinora.api.voice.VoiceInfo;
import io.kinora.voice.internal.LineWords;
import io.kinora.voice.internal.PitchEstimator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real FreeTTS engine: what it produces is decoded and measured. */
class FreeTtsVoiceEngineTest {
    static final String LINE = "The harbour lights were burning low when the old ferry finally came home across the water.";
    static final String TWO_SENTENCES = "We waited by the pier all night. Then, at dawn, the boat came back.";

    static FreeTtsVoiceEngine engine;

    @BeforeAll
    static void start() {
        engine = new FreeTtsVoiceEngine(2);
    }

    @AfterAll
    static void stop() {
        engine.deactivate();
    }

    static Speech say(String voice, String text) {
        return engine.synthesize(new SpeechRequest(voice, text, "en"));
    }

    @Test
    void catalogueHasAtLeastFourDistinctEnglishVoices() {
        List<VoiceInfo> voices = engine.voices();
        assertTrue(voices.size() >= 4);
        assertEquals(voices.size(), new HashSet<>(voices.stream().map(VoiceInfo::id).toList()).size());
        for (VoiceInfo v : voices) {
            assertEquals("freetts", v.engine());
            assertEquals(List.of("en"), v.languages());
            assertTrue(v.speaks("en-GB"));
            assertFalse(v.description().isBlank() || v.previewText().isBlank() || v.gender().isBlank() || v.age().isBlank());
        }
    }

    @Test
    void speechIsNonSilentMono16kHzWithPlausibleDuration() {
        Speech s = say("kevin", LINE);
        assertEquals(16_000, s.audio().sampleRate());
        assertEquals(1, s.audio().channels());
        float[] x = s.audio().samples();
        double peak = 0, energy = 0;
        for (float v : x) {
            peak = Math.max(peak, Math.abs(v));
            energy += v * v;
        }
        double rmsDb = 10 * Math.log10(energy / x.length);
        assertTrue(peak > 0.1 && peak < 1.0, "peak " + peak);
        assertTrue(rmsDb > -35, "RMS " + rmsDb + " dBFS");
        // 16 words, 23 syllables: natural speech runs at 120-300 words per minute
        int words = LineWords.split(LINE).size();
        double seconds = s.audio().durationSeconds();
        double wpm = words / seconds * 60;
        assertTrue(wpm > 120 && wpm < 300, "duration " + seconds + " s is " + wpm + " words per minute");
        int from = (int) (0.3 * 16_000);
        assertTrue(PitchEstimator.rms(x, 0, (int) (0.04 * 16_000)) < 0.01, "starts with the trimmed ~50 ms of silence");
        assertTrue(PitchEstimator.rms(x, from, 16_000) > 0.02, "speech follows");
    }

    @Test
    void leadingAndTrailingSilenceAreTrimmedToFiftyMilliseconds() {
        Speech s = say("kevin", "Hello there.");
        float[] x = s.audio().samples();
        int frame = 160;
        int first = -1, last = -1;
        double loudest = 0;
        for (int f = 0; f + frame <= x.length; f += frame) loudest = Math.max(loudest, PitchEstimator.rms(x, f, frame));
        for (int f = 0; f + frame <= x.length; f += frame) {
            if (PitchEstimator.rms(x, f, frame) >= loudest * 0.01) {
                if (first < 0) first = f;
                last = f + frame;
            }
        }
        assertEquals(0.050, first / 16_000.0, 0.011, "lead");
        assertEquals(0.050, (x.length - last) / 16_000.0, 0.011, "tail");
    }

    @Test
    void wordTimingsAreRealMonotoneInsideTheAudioAndCoverTheWords() {
        String text = "Hello, Captain Hale! It's 42 degrees in St. Louis today \u2014 isn't that well-known? Dr. Smith paid $3.50.";
        Speech s = say("kevin", text);
        List<WordTiming> words = s.words();
        assertEquals(LineWords.split(text), words.stream().map(WordTiming::word).toList());
        double duration = s.audio().durationSeconds();
        double previousEnd = 0;
        for (WordTiming w : words) {
            assertTrue(w.start() >= previousEnd - 1e-9 && w.end() >= w.start() && w.end() <= duration + 1e-9,
                    w + " after " + previousEnd + " within " + duration);
            previousEnd = w.end();
        }
        for (WordTiming w : words) {
            if (!w.word().equals("\u2014")) {
                assertTrue(w.end() - w.start() > 0.05, "spoken words take time: " + w);
            }
        }
        WordTiming number = words.get(LineWords.split(text).indexOf("42"));
        WordTiming in = words.get(LineWords.split(text).indexOf("in"));
        assertTrue(number.end() - number.start() > 2 * (in.end() - in.start()), "'42' is 'forty two': " + number + " vs " + in);
        assertTrue(words.get(words.size() - 1).end() > duration - 0.4, "the last word ends near the end of the audio");
    }

    @Test
    void timingsFollowTheAudioAcrossSentences() {
        Speech s = say("kevin", TWO_SENTENCES);
        List<WordTiming> w = s.words();
        float[] x = s.audio().samples();
        // FreeTTS speaks each sentence as its own utterance; the gap between them is a pause in the audio
        WordTiming night = w.get(6), then = w.get(7);
        assertEquals("night.", night.word());
        assertEquals("Then,", then.word());
        double gapStart = night.end(), gapEnd = then.start();
        assertTrue(gapEnd - gapStart > 0.15, "sentence pause in the timings: " + night + " " + then);
        double inGap = PitchEstimator.rms(x, (int) (gapStart * 16_000) + 400, (int) ((gapEnd - gapStart) * 16_000) - 800);
        double inWords = PitchEstimator.rms(x, (int) (w.get(1).start() * 16_000), (int) ((w.get(5).end() - w.get(1).start()) * 16_000));
        assertTrue(inGap < inWords / 10, "the audio is quiet where the timings put the pause: " + inGap + " vs " + inWords);
    }

    @Test
    void sameTextAndVoiceGiveIdenticalSamplesEvenInterleavedAndInParallel() throws Exception {
        Speech first = say("kevin-elder", LINE);
        say("kevin-light", "Something else entirely, to disturb any state.");
        Speech second = say("kevin-elder", LINE);
        assertArrayEquals(first.audio().samples(), second.audio().samples());
        assertEquals(first.words(), second.words());

        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Speech>> futures = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                String voice = i % 2 == 0 ? "kevin-elder" : "kevin-bright";
                futures.add(pool.submit(() -> say(voice, LINE)));
            }
            Speech bright = say("kevin-bright", LINE);
            for (int i = 0; i < futures.size(); i++) {
                Speech expected = i % 2 == 0 ? first : bright;
                assertArrayEquals(expected.audio().samples(), futures.get(i).get().audio().samples(), "parallel run " + i);
            }
        } finally {
            pool.shutdownNow();
        }
        assertTrue(engine.poolIdleCount() <= 2, "never more synthesizers than configured");
    }

    @Test
    void voicesDifferInPitchByAtLeastThreeSemitonesAndNoSampleWrapsAround() {
        List<VoiceInfo> voices = engine.voices();
        double[] f0 = new double[voices.size()];
        for (int i = 0; i < voices.size(); i++) {
            float[] x = say(voices.get(i).id(), LINE).audio().samples();
            f0[i] = PitchEstimator.medianF0(x, 16_000);
            for (int k = 1; k < x.length; k++) {
                assertTrue(Math.abs(x[k] - x[k - 1]) < 1.0, voices.get(i).id() + ": 16-bit overflow at sample " + k);
            }
            System.out.printf(Locale.ROOT, "voice %-13s median F0 %6.1f Hz%n", voices.get(i).id(), f0[i]);
        }
        for (int i = 0; i < f0.length; i++) {
            for (int j = i + 1; j < f0.length; j++) {
                double st = PitchEstimator.semitones(f0[i], f0[j]);
                assertTrue(st >= 3, voices.get(i).id() + " " + f0[i] + " Hz vs " + voices.get(j).id() + " " + f0[j] + " Hz: " + st + " st");
            }
        }
    }

    @Test
    void realTimeFactorIsSmall() {
        say("kevin", LINE); // warm-up: the first use loads the voice
        double audio = 0;
        long t0 = System.nanoTime();
        for (VoiceInfo v : engine.voices()) {
            audio += say(v.id(), LINE + " " + TWO_SENTENCES).audio().durationSeconds();
        }
        double took = (System.nanoTime() - t0) / 1e9;
        double rtf = took / audio;
        System.out.printf(Locale.ROOT, "FreeTTS: %.2f s of speech in %.3f s, real-time factor %.4f%n", audio, took, rtf);
        assertTrue(rtf < 0.5, "real-time factor " + rtf);
    }

    @Test
    void unknownVoiceLanguageAndScriptAreClearErrors() {
        StageException unknown = assertThrows(StageException.class, () -> say("nobody", "Hello"));
        assertTrue(unknown.getMessage().contains("'nobody'") && unknown.getMessage().contains("kevin-elder"), unknown.getMessage());
        StageException language = assertThrows(StageException.class,
                () -> engine.synthesize(new SpeechRequest("kevin", "Bonjour", "fr")));
        assertTrue(language.getMessage().contains("'fr'") && language.getMessage().contains("'kevin'"), language.getMessage());
        StageException script = assertThrows(StageException.class, () -> say("kevin", "Hello \u4f60\u597d world"));
        assertTrue(script.getMessage().contains("\u4f60\u597d"), script.getMessage());
        assertThrows(StageException.class, () -> say("kevin", "   "));
        assertThrows(StageException.class, () -> say("kevin", "\u2014 ... \uD83D\uDE00"));
    }

    @Test
    void accentsAndTypographicPunctuationAreSpokenAndKeptInTheWords() {
        String text = "\u201cCaf\u00e9 na\u00efve,\u201d she said \u2013 it\u2019s fine\u2026";
        Speech s = say("kevin-bright", text);
        assertEquals(LineWords.split(text), s.words().stream().map(WordTiming::word).toList());
        WordTiming cafe = s.words().get(0);
        assertTrue(cafe.end() - cafe.start() > 0.15, "caf\u00e9 is read as one word: " + cafe);
    }
}
