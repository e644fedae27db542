package io.kinora.voice.internal;

import io.kinora.api.media.AudioBuffer;
import io.kinora.api.media.StageException;
import io.kinora.api.scene.CharacterSpec;
import io.kinora.api.voice.Speech;
import io.kinora.api.voice.SpeechRequest;
import io.kinora.api.voice.VoiceEngine;
import io.kinora.api.voice.VoiceInfo;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Constants;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The catalogue, casting and routing logic against scripted engines (the real FreeTTS engine has its own tests). */
class VoiceServiceImplTest {

    /** An engine that records what it was asked and answers with one second of silence. */
    static final class ScriptedEngine implements VoiceEngine {
        final String id;
        final List<VoiceInfo> voices;
        final List<SpeechRequest> requests = new ArrayList<>();
        RuntimeException failure;

        ScriptedEngine(String id, VoiceInfo... voices) {
            this.id = id;
            this.voices = List.of(voices);
        }

        @Override public String id() { return id; }

        @Override public List<VoiceInfo> voices() { return voices; }

        @Override public Speech synthesize(SpeechRequest request) {
            requests.add(request);
            if (failure != null) throw failure;
            return new Speech(request.voice(), AudioBuffer.silence(16000, 1, 1), List.of());
        }
    }

    static VoiceInfo voice(String id, String engine, String gender, String age, String... languages) {
        return new VoiceInfo(id, engine, id + " voice", gender, age, List.of(languages), "Hello.");
    }

    private static Map<String, Object> props(int ranking, long serviceId) {
        return Map.of(Constants.SERVICE_RANKING, ranking, Constants.SERVICE_ID, serviceId);
    }

    private static CharacterSpec character(String id, String voice) {
        return new CharacterSpec(id, null, voice, null);
    }

    private final ScriptedEngine alpha = new ScriptedEngine("alpha",
            voice("anna", "alpha", "female", "adult", "en", "de"),
            voice("bert", "alpha", "male", "adult", "en"),
            voice("carl", "alpha", "male", "older", "en"),
            voice("dora", "alpha", "female", "young", "en"));
    private final ScriptedEngine beta = new ScriptedEngine("beta",
            voice("bert", "beta", "male", "young", "en"),
            voice("zhao", "beta", "male", "adult", "zh"));

    private VoiceServiceImpl service() {
        VoiceServiceImpl s = new VoiceServiceImpl("en", 500);
        s.addEngine(alpha, props(0, 1));
        s.addEngine(beta, props(0, 2));
        return s;
    }

    @Test
    void catalogueIsTheUnionSortedByIdAndTheFirstEngineKeepsADuplicateId() {
        List<VoiceInfo> voices = service().voices();
        assertEquals(List.of("anna", "bert", "carl", "dora", "zhao"), voices.stream().map(VoiceInfo::id).toList());
        assertEquals("alpha", voices.get(1).engine());
    }

    @Test
    void higherRankedEngineWinsADuplicateIdAndRemovalHandsItBack() {
        VoiceServiceImpl s = new VoiceServiceImpl("en", 500);
        s.addEngine(alpha, props(0, 1));
        s.addEngine(beta, props(10, 2));
        s.speak(new SpeechRequest("bert", "hi", "en"));
        assertEquals(1, beta.requests.size());
        s.removeEngine(beta);
        s.speak(new SpeechRequest("bert", "hi", "en"));
        assertEquals(1, alpha.requests.size());
        assertEquals(List.of("anna", "bert", "carl", "dora"), s.voices().stream().map(VoiceInfo::id).toList());
    }

    @Test
    void castGivesDistinctVoicesAlternatingGender() {
        VoiceServiceImpl s = service();
        for (int n = 2; n <= 4; n++) {
            List<CharacterSpec> cs = new ArrayList<>();
            for (int i = 0; i < n; i++) cs.add(character("c" + i, null));
            Map<String, String> cast = s.cast(cs, "en");
            assertEquals(n, cast.size());
            assertEquals(n, new HashSet<>(cast.values()).size(), "distinct voices for " + n + ": " + cast);
            assertEquals(List.copyOf(cast.keySet()), cs.stream().map(CharacterSpec::id).toList(), "character order");
            String g0 = gender(s, cast.get("c0")), g1 = gender(s, cast.get("c1"));
            assertNotEquals(g0, g1, "the first two characters get different genders: " + cast);
            assertEquals(cast, s.cast(cs, "en"), "deterministic");
        }
    }

    @Test
    void castKeepsRequestedVoicesAndAvoidsThemForOthers() {
        Map<String, String> cast = service().cast(List.of(character("a", null), character("b", "anna")), "en");
        assertEquals("anna", cast.get("b"));
        assertNotEquals("anna", cast.get("a"));
        assertEquals("male", gender(service(), cast.get("a")), "unlike the female voice already in the scene");
    }

    @Test
    void castOnlyUsesVoicesOfTheLanguage() {
        Map<String, String> cast = service().cast(List.of(character("a", null), character("b", null)), "de-DE");
        assertEquals("anna", cast.get("a"));
        assertEquals("anna", cast.get("b"), "one German voice: it is shared once no distinct voice remains");
        assertEquals(Map.of("a", "zhao"), service().cast(List.of(character("a", null)), "zh"));
    }

    @Test
    void castUsesTheDefaultLanguageWhenNoneIsGiven() {
        VoiceServiceImpl s = new VoiceServiceImpl("zh", 500);
        s.addEngine(beta, props(0, 1));
        assertEquals(Map.of("a", "zhao"), s.cast(List.of(character("a", null)), null));
    }

    @Test
    void unknownRequestedVoiceNamesTheCharacterAndListsVoices() {
        StageException e = assertThrows(StageException.class, () -> service().cast(
                List.of(new CharacterSpec("hero", "Captain Hale", "nobody", null)), "en"));
        assertTrue(e.getMessage().contains("'hero'") && e.getMessage().contains("Captain Hale")
                && e.getMessage().contains("'nobody'") && e.getMessage().contains("anna, bert, carl, dora"),
                e.getMessage());
    }

    @Test
    void requestedVoiceInTheWrongLanguageIsRefused() {
        StageException e = assertThrows(StageException.class,
                () -> service().cast(List.of(character("hero", "zhao")), "en"));
        assertTrue(e.getMessage().contains("'hero'") && e.getMessage().contains("cannot speak language 'en'"),
                e.getMessage());
    }

    @Test
    void noVoiceForTheLanguage() {
        StageException e = assertThrows(StageException.class,
                () -> service().cast(List.of(character("hero", null)), "fr"));
        assertTrue(e.getMessage().contains("'fr'") && e.getMessage().contains("'hero'")
                && e.getMessage().contains("de, en, zh"), e.getMessage());
    }

    @Test
    void speakRoutesToTheOwningEngineWithTheLanguage() {
        VoiceServiceImpl s = service();
        Speech speech = s.speak(new SpeechRequest("zhao", "ni hao", "zh"));
        assertEquals("zhao", speech.voice());
        assertEquals(List.of(new SpeechRequest("zhao", "ni hao", "zh")), beta.requests);
        s.speak(new SpeechRequest("anna", "hallo", null));
        assertEquals("en", alpha.requests.get(0).language(), "default language fills a missing one");
    }

    @Test
    void speakRefusesUnknownVoicesLongLinesAndEmptyText() {
        VoiceServiceImpl s = new VoiceServiceImpl("en", 10);
        s.addEngine(alpha, props(0, 1));
        StageException unknown = assertThrows(StageException.class, () -> s.speak(new SpeechRequest("x", "hi", "en")));
        assertTrue(unknown.getMessage().contains("unknown voice 'x'") && unknown.getMessage().contains("anna"),
                unknown.getMessage());
        StageException tooLong = assertThrows(StageException.class,
                () -> s.speak(new SpeechRequest("anna", "eleven char", "en")));
        assertTrue(tooLong.getMessage().contains("11 characters") && tooLong.getMessage().contains("limit is 10"),
                tooLong.getMessage());
        assertThrows(StageException.class, () -> s.speak(new SpeechRequest("anna", "  ", "en")));
        assertTrue(alpha.requests.isEmpty());
    }

    @Test
    void anEngineCrashBecomesAStageExceptionNamingEngineAndVoice() {
        VoiceServiceImpl s = service();
        alpha.failure = new IllegalStateException("database gone");
        StageException e = assertThrows(StageException.class, () -> s.speak(new SpeechRequest("anna", "hi", "en")));
        assertTrue(e.getMessage().contains("'alpha'") && e.getMessage().contains("'anna'")
                && e.getMessage().contains("database gone"), e.getMessage());
    }

    @Test
    void noEngines() {
        VoiceServiceImpl s = new VoiceServiceImpl("en", 500);
        assertTrue(s.voices().isEmpty());
        StageException e = assertThrows(StageException.class, () -> s.speak(new SpeechRequest("anna", "hi", "en")));
        assertTrue(e.getMessage().contains("no voice engine is installed"), e.getMessage());
    }

    private static String gender(VoiceServiceImpl s, String id) {
        return s.voices().stream().filter(v -> v.id().equals(id)).findFirst().orElseThrow().gender();
    }
}
