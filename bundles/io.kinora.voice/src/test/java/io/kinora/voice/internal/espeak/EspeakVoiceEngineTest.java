package io.kinora.voice.internal.espeak;

import io.kinora.api.media.StageException;
import io.kinora.api.timeline.WordTiming;
import io.kinora.api.voice.Speech;
import io.kinora.api.voice.SpeechRequest;
import io.kinora.voice.internal.Emoji;
import io.kinora.voice.internal.LineWords;
import io.kinora.voice.internal.PitchEstimator;
import io.kinora.voice.internal.markup.SpeechMarkup;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class EspeakVoiceEngineTest {
    static EspeakVoiceEngine engine;

    @BeforeAll
    static void detect() {
        engine = new EspeakVoiceEngine("espeak-ng", 30, 2);
        Assumptions.assumeTrue(engine.available(),
                "SKIPPED: espeak-ng is not installed (apt-get install espeak-ng); CI installs it");
    }

    @Test
    void detectsMoreThanHundredLanguagesIncludingMandarin() {
        List<String> langs = engine.languages();
        assertTrue(langs.size() >= 100, "languages: " + langs.size());
        assertTrue(langs.containsAll(List.of("zh", "cmn", "en", "fr", "de", "ar", "he", "ja")), langs.toString());
        assertEquals(4, engine.voices().size());
    }

    @Test
    void speaksEnglishWithOrderedWordTimings() {
        String line = "The market opens early, so bring the small basket.";
        long t0 = System.nanoTime();
        Speech s = engine.synthesize(new SpeechRequest("espeak-woman", line, "en"));
        double took = (System.nanoTime() - t0) / 1e9;
        double dur = s.audio().durationSeconds();
        System.out.printf("espeak-ng en: %.2f s audio in %.3f s (RTF %.3f)%n", dur, took, took / dur);
        assertEquals(22050, s.audio().sampleRate());
        assertTrue(dur > 1.5 && dur < 6, "duration " + dur);
        List<WordTiming> w = s.words();
        assertEquals(9, w.size());
        assertEquals("basket.", w.get(8).word());
        for (int i = 0; i < w.size(); i++) {
            assertTrue(w.get(i).end() > w.get(i).start(), w.get(i).toString());
            if (i > 0) assertTrue(w.get(i).start() >= w.get(i - 1).end() - 1e-9);
        }
        assertEquals(0.05, w.get(0).start(), 0.06, "first word starts where the speech starts");
        assertEquals(dur - 0.05, w.get(8).end(), 0.06, "last word ends where the speech ends");
        // "early," ends a clause: espeak-ng makes a short pause at the comma (about 30 ms of silence after the
        // word's decay at this rate), which lies between the two words
        assertTrue(w.get(4).start() - w.get(3).end() > 0.02, "pause after the comma: " + w.get(3) + " " + w.get(4));
        assertTrue(rms(s, w.get(3).end(), w.get(4).start()) < 0.05 * rms(s, 0, dur), "the pause is quiet");
    }

    @Test
    void chineseIsSpokenAsMandarin() throws Exception {
        EspeakLanguages langs = EspeakLanguages.parse(new String(new ProcessBuilder("espeak-ng", "--voices")
                .start().getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        assertEquals("cmn-latn-pinyin", langs.voiceFor("zh"));
        assertEquals("cmn-latn-pinyin", langs.voiceFor("zh-CN"));
        assertEquals("yue", langs.voiceFor("zh-HK"));
        String line = "你好，世界。我们走吧";
        // espeak-ng's own phonemes for this voice carry Mandarin tones (e.g. "n'i35") rather than English letter names
        Process p = new ProcessBuilder("espeak-ng", "-q", "-x", "-v", "cmn-latn-pinyin").start();
        p.getOutputStream().write(line.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String phonemes = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(phonemes.matches("(?s).*n'i\\d\\d.*"), phonemes);
        assertFalse(phonemes.contains("(en)"), phonemes);
        Speech s = engine.synthesize(new SpeechRequest("espeak-man", line, "zh"));
        double dur = s.audio().durationSeconds();
        // 8 syllables and a pause: about 2-4 s as Mandarin (read as English letter names it takes far longer)
        assertTrue(dur > 1.2 && dur < 4.5, "duration " + dur);
        // one timing per Hanzi (punctuation stays with the character before it), from espeak-ng's events
        assertEquals(List.of("你", "好，", "世", "界。", "我", "们", "走", "吧"), s.words().stream().map(WordTiming::word).toList());
        assertTimingsHoldSpeech(s, 0.0);
    }

    @Test
    void rightToLeftAndMixedScripts() {
        Speech he = engine.synthesize(new SpeechRequest("espeak-woman", "שלום עולם, מה שלומך?", "he"));
        assertEquals(4, he.words().size());
        assertTrue(he.audio().durationSeconds() > 0.8);
        Speech mixed = engine.synthesize(new SpeechRequest("espeak-man", "Hello 世界 and café 🙂", "en"));
        assertTrue(mixed.audio().durationSeconds() > 0.8);
        assertEquals(List.of("Hello", "世", "界", "and", "café", "🙂"), mixed.words().stream().map(WordTiming::word).toList());
    }

    @Test
    void refusesUnknownLanguageNamingIt() {
        StageException e = assertThrows(StageException.class,
                () -> engine.synthesize(new SpeechRequest("espeak-man", "Hello", "xx-klingon")));
        assertTrue(e.getMessage().contains("'xx-klingon'"), e.getMessage());
    }

    @Test
    void whisperedLineHasLittleVoicing() {
        Speech normal = engine.synthesize(new SpeechRequest("espeak-woman", "Come closer and listen to me.", "en"));
        Speech whisper = engine.synthesize(new SpeechRequest("espeak-woman",
                "<prosody kinora:style=\"whisper\">Come closer and listen to me.</prosody>", "en"));
        int voicedNormal = voiced(normal);
        int voicedWhisper = voiced(whisper);
        assertTrue(voicedWhisper < voicedNormal / 3, voicedWhisper + " vs " + voicedNormal);
    }

    private static int voiced(Speech s) {
        return (int) PitchEstimator.frameF0(s.audio().samples(), s.audio().sampleRate()).stream()
                .filter(f -> f > 0).count();
    }

    @Test
    void missingExecutableOffersNoVoices() {
        EspeakVoiceEngine none = new EspeakVoiceEngine("/nonexistent/espeak-ng", 5, 1);
        assertFalse(none.available());
        assertTrue(none.voices().isEmpty());
        assertThrows(StageException.class, () -> none.synthesize(new SpeechRequest("espeak-man", "hi", "en")));
    }

    // ---- espeak-ng's library: real word timings, same samples as the command line, fallback ----

    static final String HARD = "Call me at 3:30 on 12/11/2025, OK? Dr. Smith will see you.";

    @Test
    void libraryIsUsedWhereEspeakNgIsInstalled() {
        // the Debian package brings the command and libespeak-ng.so.1 together
        assertTrue(engine.usesLibrary(), engine.timingSource());
        assertTrue(engine.timingSource().startsWith("espeak-ng's word events"), engine.timingSource());
        assertTrue(engine.voices().get(0).description().contains("word timings: espeak-ng's word events"),
                engine.voices().get(0).description());
    }

    @Test
    void libraryGivesTheSamplesOfTheCommandLine() {
        EspeakVoiceEngine cli = new EspeakVoiceEngine("espeak-ng", "", 30, 1, null);
        assertFalse(cli.usesLibrary());
        for (String[] c : new String[][]{{"espeak-woman", "The market opens early, so bring the small basket."},
                {"espeak-elder", HARD},
                // no level changes here: Kinora applies markup volume (and shout's +6 dB) from the word timings, which
                // are espeak-ng's events with the library and an estimate with the command line
                {"espeak-girl", "<emphasis level=\"strong\">Run!</emphasis> <break time=\"300ms\"/>Now, "
                        + "<prosody rate=\"slow\" pitch=\"low\">before it is too late</prosody>."},
                {"espeak-man", "<prosody kinora:style=\"whisper\">Come closer.</prosody>"}}) {
            Speech a = engine.synthesize(new SpeechRequest(c[0], c[1], "en"));
            Speech b = cli.synthesize(new SpeechRequest(c[0], c[1], "en"));
            assertArrayEquals(b.audio().samples(), a.audio().samples(), c[0] + ": " + c[1]);
        }
    }

    @Test
    void sameLineTwiceGivesIdenticalSamplesWhateverWasSpokenBetween() {
        Speech a = engine.synthesize(new SpeechRequest("espeak-woman", HARD, "en"));
        engine.synthesize(new SpeechRequest("espeak-elder", "<prosody kinora:style=\"shout\" rate=\"fast\">Stop "
                + "right there!</prosody>", "en"));
        engine.synthesize(new SpeechRequest("espeak-girl", "你好，世界", "zh"));
        Speech b = engine.synthesize(new SpeechRequest("espeak-woman", HARD, "en"));
        assertArrayEquals(a.audio().samples(), b.audio().samples());
        assertEquals(a.words(), b.words());
    }

    @Test
    void wordTimingsOfAHardLineHoldItsSpeechAndItsPausesAreQuiet() {
        for (String voice : List.of("espeak-man", "espeak-woman", "espeak-elder", "espeak-girl")) {
            Speech s = engine.synthesize(new SpeechRequest(voice, HARD, "en"));
            List<WordTiming> w = s.words();
            assertEquals(List.of("Call", "me", "at", "3:30", "on", "12/11/2025,", "OK?", "Dr.", "Smith", "will", "see",
                    "you."), w.stream().map(WordTiming::word).toList(), voice);
            assertTimingsHoldSpeech(s, 0.0);
            // the numbers are spoken as several words: they take several times a short word's time
            assertTrue(w.get(3).end() - w.get(3).start() > 1.5 * (w.get(2).end() - w.get(2).start()), voice + " " + w);
            assertTrue(w.get(5).end() - w.get(5).start() > 1.0, voice + " date: " + w.get(5));
            // clause and sentence ends ("2025," "OK?") are followed by a quiet pause, outside the words
            for (int i : new int[]{5, 6}) {
                double gapStart = w.get(i).end(), gapEnd = w.get(i + 1).start();
                assertTrue(gapEnd - gapStart > 0.08, voice + " pause after " + w.get(i) + ": " + w.get(i + 1));
                assertTrue(rms(s, gapStart, gapEnd) < 0.02 * rms(s, w.get(0).start(), w.get(w.size() - 1).end()),
                        voice + " pause after " + w.get(i) + " is quiet");
            }
            System.out.println(voice + " " + w);
        }
    }

    @Test
    void wordIntervalsMatchTheEnergyOfTheAudio() {
        // every stretch of speech the audio shows (10 ms frames above -30 dB of the loudest) lies inside some word
        // (within 20 ms), and every pause of 100 ms or more lies outside every word (within 20 ms)
        for (String line : List.of(HARD, "We should leave before the evening tide comes in. Then we wait.",
                "Well, that was close. Let's go home.")) {
            Speech s = engine.synthesize(new SpeechRequest("espeak-man", line, "en"));
            float[] x = s.audio().samples();
            int rate = s.audio().sampleRate();
            int frame = rate / 100;
            double loudest = 0;
            int frames = x.length / frame;
            double[] e = new double[frames];
            for (int f = 0; f < frames; f++) {
                e[f] = rms(x, f * frame, (f + 1) * frame);
                loudest = Math.max(loudest, e[f]);
            }
            double gate = loudest * Math.pow(10, -30 / 20.0);
            for (int f = 0; f < frames; f++) {
                if (e[f] < gate) continue;
                double t = (f + 0.5) / 100.0;
                assertTrue(s.words().stream().anyMatch(w -> t >= w.start() - 0.02 && t <= w.end() + 0.02),
                        "loud frame at " + t + " s outside every word: " + s.words());
            }
            int quiet = 0;
            for (int f = 0; f <= frames; f++) {
                if (f < frames && e[f] < loudest * Math.pow(10, -45 / 20.0)) {
                    quiet++;
                    continue;
                }
                if (quiet >= 10) {
                    double a = (f - quiet) / 100.0 + 0.02, b = f / 100.0 - 0.02;
                    for (WordTiming w : s.words()) {
                        assertFalse(w.start() < b && w.end() > a, "pause " + a + "-" + b + " inside " + w);
                    }
                }
                quiet = 0;
            }
        }
    }

    @Test
    void mandarinLineGetsOneTimingPerHanziWithEitherMandarinVoice() {
        String line = "我们明天早上八点在火车站见面。";
        Speech s = engine.synthesize(new SpeechRequest("espeak-woman", line, "zh"));
        assertEquals(14, s.words().size(), s.words().toString());
        assertTimingsHoldSpeech(s, 0.0);
        for (WordTiming w : s.words()) assertTrue(w.end() - w.start() < 0.8, w.toString());
        // plain cmn (not our choice for zh, see EspeakLanguages) gives timings per Hanzi too
        Speech cmn = engine.synthesize(new SpeechRequest("espeak-man", line, "cmn-CN"));
        assertEquals(14, cmn.words().size());
        assertTimingsHoldSpeech(cmn, 0.0);
    }

    @Test
    void hanInsideAnEnglishLineIsSpokenAsMandarin() throws Exception {
        SpeechMarkup markup = SpeechMarkup.parse("Hello 世界, and goodbye.");
        String ssml = EspeakSsml.of(markup, false, LineWords.spans(markup.plainText()),
                c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN ? "cmn-latn-pinyin+m3" : null).text();
        assertTrue(ssml.contains("<voice name=\"cmn-latn-pinyin+m3\"><mark name=\"w1\"/>世<mark name=\"w2\"/>界</voice>"), ssml);
        String phonemes = phonemes("en-us+m3", ssml);
        // Mandarin syllables with tones (shi4 jie4) instead of the English "Chinese letter"
        assertTrue(phonemes.matches("(?s).*s\\.'i\\.51.*"), phonemes);
        assertFalse(phonemes.contains("tS'aIni:z"), phonemes);
        assertTrue(phonemes("en-us+m3", EspeakSsml.of(markup, false)).contains("tS'aIni:z"), "without the switch espeak-ng says 'Chinese letter'");
        // the engine does this for an English line, and times the Hanzi
        Speech s = engine.synthesize(new SpeechRequest("espeak-man", "Hello 世界, and goodbye.", "en"));
        assertEquals(List.of("Hello", "世", "界,", "and", "goodbye."), s.words().stream().map(WordTiming::word).toList());
        assertTimingsHoldSpeech(s, 0.0);
        Speech chineseLetters = new EspeakVoiceEngine("espeak-ng", "", 30, 1, null)
                .synthesize(new SpeechRequest("espeak-man", "Hello Chinese letter Chinese letter, and goodbye.", "en"));
        assertTrue(s.audio().durationSeconds() < chineseLetters.audio().durationSeconds() - 0.5,
                s.audio().durationSeconds() + " vs " + chineseLetters.audio().durationSeconds());
    }

    @Test
    void emojiAreNotReadAloud() {
        Speech with = engine.synthesize(new SpeechRequest("espeak-woman", "Great news 🎉 everyone! 👍🏽", "en"));
        Speech without = engine.synthesize(new SpeechRequest("espeak-woman", "Great news everyone!", "en"));
        assertArrayEquals(without.audio().samples(), with.audio().samples());
        List<WordTiming> w = with.words();
        assertEquals(List.of("Great", "news", "🎉", "everyone!", "👍🏽"), w.stream().map(WordTiming::word).toList());
        assertEquals(w.get(1).end(), w.get(2).start(), 1e-9, "the emoji sits where the word before it ends");
        assertEquals(w.get(2).start(), w.get(2).end(), 1e-9);
        assertEquals(without.words().get(2), w.get(3));
        StageException only = assertThrows(StageException.class,
                () -> engine.synthesize(new SpeechRequest("espeak-woman", "🎉🎉 👍", "en")));
        assertTrue(only.getMessage().contains("only emoji"), only.getMessage());
    }

    @Test
    void fallsBackToTheCommandLineWhenTheLibraryCannotLoad() {
        EspeakVoiceEngine fallback = new EspeakVoiceEngine("espeak-ng", "/nonexistent/libespeak-ng.so.1", 30, 1, null);
        assertTrue(fallback.available());
        assertFalse(fallback.usesLibrary());
        assertTrue(fallback.timingSource().contains("estimated from the audio")
                && fallback.timingSource().contains("/nonexistent/libespeak-ng.so.1"), fallback.timingSource());
        assertTrue(fallback.voices().get(0).description().contains("estimated from the audio"));
        Speech s = fallback.synthesize(new SpeechRequest("espeak-man", HARD, "en"));
        assertEquals(12, s.words().size());
        Speech lib = engine.synthesize(new SpeechRequest("espeak-man", HARD, "en"));
        assertArrayEquals(lib.audio().samples(), s.audio().samples(), "same audio either way");
        // a library that is not espeak-ng fails to bind and falls back too
        EspeakVoiceEngine wrong = new EspeakVoiceEngine("espeak-ng", "libc.so.6", 30, 1, null);
        assertFalse(wrong.usesLibrary(), wrong.timingSource());
    }

    /** Monotonic, inside the audio, every spoken word's interval holds speech. */
    static void assertTimingsHoldSpeech(Speech s, double unused) {
        List<WordTiming> w = s.words();
        double dur = s.audio().durationSeconds();
        double line = rms(s, 0, dur);
        for (int i = 0; i < w.size(); i++) {
            WordTiming t = w.get(i);
            assertTrue(t.start() >= 0 && t.end() <= dur + 1e-9 && t.end() >= t.start(), t + " in " + dur);
            if (i > 0) assertTrue(t.start() >= w.get(i - 1).end() - 1e-9, w.get(i - 1) + " then " + t);
            if (Emoji.only(t.word())) continue;
            assertTrue(t.end() - t.start() >= 0.04, "too short: " + t);
            assertTrue(rms(s, t.start(), t.end()) > 0.25 * line, "no speech in " + t + ": " + w);
        }
    }

    static double rms(Speech s, double from, double to) {
        int rate = s.audio().sampleRate();
        return rms(s.audio().samples(), (int) (from * rate), (int) (to * rate));
    }

    static double rms(float[] x, int a, int b) {
        b = Math.min(b, x.length);
        double e = 0;
        for (int i = a; i < b; i++) e += (double) x[i] * x[i];
        return Math.sqrt(e / Math.max(1, b - a));
    }

    static String phonemes(String voice, String ssml) throws Exception {
        Process p = new ProcessBuilder("espeak-ng", "-q", "-x", "-m", "-v", voice).start();
        p.getOutputStream().write(ssml.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
}
