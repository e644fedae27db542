package io.kinora.voice.internal.espeak;

import io.kinora.api.media.StageException;
import io.kinora.api.timeline.WordTiming;
import io.kinora.api.voice.Speech;
import io.kinora.api.voice.SpeechRequest;
import io.kinora.voice.internal.PitchEstimator;
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
        // "early," ends a clause: its end falls in the pause espeak makes at the comma, before "so"
        assertTrue(w.get(4).start() - w.get(3).end() > 0.08, "pause after the comma: " + w.get(3) + " " + w.get(4));
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
        assertEquals(List.of("你好，世界。我们走吧"), s.words().stream().map(WordTiming::word).toList());
    }

    @Test
    void rightToLeftAndMixedScripts() {
        Speech he = engine.synthesize(new SpeechRequest("espeak-woman", "שלום עולם, מה שלומך?", "he"));
        assertEquals(4, he.words().size());
        assertTrue(he.audio().durationSeconds() > 0.8);
        Speech mixed = engine.synthesize(new SpeechRequest("espeak-man", "Hello 世界 and café 🙂", "en"));
        assertTrue(mixed.audio().durationSeconds() > 0.8);
        assertEquals(5, mixed.words().size());
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
}
