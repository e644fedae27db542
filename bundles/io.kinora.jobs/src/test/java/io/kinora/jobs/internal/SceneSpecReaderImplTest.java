package io.kinora.jobs.internal;

import io.kinora.api.scene.Aspect;
import io.kinora.api.scene.CameraMove;
import io.kinora.api.scene.Problem;
import io.kinora.api.scene.SceneLimits;
import io.kinora.api.scene.SceneSpec;
import io.kinora.api.scene.SceneSpecException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SceneSpecReaderImplTest {
    private final SceneSpecReaderImpl reader = new SceneSpecReaderImpl(SceneLimits.DEFAULTS, 64 * 1024);

    private SceneSpec read(String json) throws SceneSpecException {
        return reader.read(json.getBytes(StandardCharsets.UTF_8), "test.json");
    }

    private List<String> problems(String json) {
        SceneSpecException e = assertThrows(SceneSpecException.class, () -> read(json));
        return e.problems().stream().map(Problem::toString).collect(Collectors.toList());
    }

    @Test
    void readsCompleteScene() throws Exception {
        SceneSpec s = read("""
                {"image":"lake.png","prompt":"A calm lake at dawn, slowly zoom in","duration":6,"fps":25,
                 "resolution":"1080p","aspects":["16:9","9:16"],
                 "camera":{"move":"push-in","intensity":0.4,"easing":false},
                 "characters":[{"id":"mia","name":"Mia","voice":"kevin-bright","position":{"x":0.3,"y":0.6}},
                               {"id":"tom","position":{"x":0.7,"y":0.55}}],
                 "lines":[{"character":"mia","text":"Look at the water."},{"character":"tom","text":"Beautiful.","pauseBefore":0.5}],
                 "ambience":{"preset":"wind","level":-3},"labels":{"policy":"cn"},"language":"en","tenant":"acme","seed":42}
                """);
        assertEquals("lake.png", s.image());
        assertEquals(6.0, s.duration());
        assertEquals(25, s.fps());
        assertEquals(List.of(Aspect.LANDSCAPE, Aspect.PORTRAIT), s.aspects());
        assertEquals(CameraMove.PUSH_IN, s.camera().move());
        assertEquals(0.4, s.camera().intensity());
        assertEquals(false, s.camera().easing());
        assertEquals("Mia", s.character("mia").displayName());
        assertEquals("tom", s.character("tom").displayName());
        assertEquals(0.5, s.lines().get(1).pauseBefore());
        assertEquals("wind", s.ambience().preset());
        assertEquals(-3.0, s.ambience().levelDb());
        assertEquals("cn", s.labels().policy());
        assertEquals(42L, s.seed());
    }

    @Test
    void appliesDefaultsAndShorthands() throws Exception {
        SceneSpec s = read("{\"prompt\":\"x\",\"camera\":\"pan-left\",\"ambience\":\"rain\",\"labels\":\"eu\"}");
        assertEquals(24, s.fps());
        assertEquals(List.of(Aspect.LANDSCAPE), s.aspects());
        assertEquals(CameraMove.PAN_LEFT, s.camera().move());
        assertEquals("rain", s.ambience().preset());
        assertEquals("eu", s.labels().policy());
        assertEquals("en", s.language());
        assertEquals(null, s.duration());
    }

    @Test
    void reportsEveryProblemAtOnceEachNamingItsField() {
        List<String> p = problems("""
                {"prompt":"","fps":"fast","resolution":"4k","aspects":["16:9","4:3"],"camera":{"move":"spin","intensity":3},
                 "characters":[{"id":"a"},{"id":"a","position":{"x":2,"y":0.5}}],
                 "lines":[{"character":"b","text":"hi"},{"character":"a"}],"colour":"red","seed":1.5}
                """);
        String all = String.join("\n", p);
        for (String field : List.of("prompt:", "fps:", "resolution:", "aspects[1]:", "camera.move:", "camera.intensity:",
                "characters[1].id:", "characters[1].position.x:", "lines[0].character:", "lines[1].text:", "colour:", "seed:")) {
            assertTrue(all.contains(field), "expected a problem for " + field + " in\n" + all);
        }
        assertTrue(all.contains("\"b\", which is not among characters[].id"), all);
    }

    @Test
    void characterIdsThatWouldOverwriteAnotherStemAreRefused() {
        List<String> p = problems("""
                {"prompt":"p","characters":[{"id":"mix"},{"id":"Ambience"},{"id":"mia"}],
                 "lines":[{"character":"mia","text":"Hello."}]}
                """);
        assertEquals(2, p.size(), String.join("\n", p));
        assertTrue(p.get(0).startsWith("characters[0].id: \"mix\" is reserved"), p.get(0));
        assertTrue(p.get(1).startsWith("characters[1].id: \"Ambience\" is reserved"), p.get(1));
    }

    @Test
    void aCharacterWithoutLinesIsAllowed() throws Exception {
        SceneSpec s = read("""
                {"prompt":"p","characters":[{"id":"mia"},{"id":"ben","position":{"x":0.7,"y":0.5}}],
                 "lines":[{"character":"mia","text":"Hello."}]}
                """);
        assertEquals(2, s.characters().size());
        assertEquals(1, s.lines().size());
    }

    @Test
    void notJsonNamesLineAndColumn() {
        List<String> p = problems("{\"prompt\": \"x\",\n  oops}");
        assertEquals(1, p.size());
        assertTrue(p.get(0).startsWith("$: is not valid JSON at line 2"), p.get(0));
    }

    @Test
    void rejectsNonObjectAndOversizeDocuments() {
        assertTrue(problems("[1,2]").get(0).contains("must be a JSON object"));
        SceneSpecReaderImpl small = new SceneSpecReaderImpl(SceneLimits.DEFAULTS, 10);
        SceneSpecException e = assertThrows(SceneSpecException.class,
                () -> small.read("{\"prompt\":\"long enough\"}".getBytes(StandardCharsets.UTF_8), "big.json"));
        assertTrue(e.getMessage().contains("limit is 10"), e.getMessage());
    }

    @Test
    void limitsAreConfigurable() {
        SceneSpecReaderImpl strict = new SceneSpecReaderImpl(new SceneLimits(5, 500, 40, 4, 60, 60), 1 << 16);
        SceneSpecException e = assertThrows(SceneSpecException.class,
                () -> strict.read("{\"prompt\":\"a long prompt\"}".getBytes(StandardCharsets.UTF_8), "s.json"));
        assertEquals("prompt: is 13 characters; the limit is 5", e.problems().get(0).toString());
    }

    @Test
    void writeThenReadGivesEqualScene() throws Exception {
        SceneSpec s = read("""
                {"prompt":"p","characters":[{"id":"a","name":"A","position":{"x":0.2,"y":0.4}}],
                 "lines":[{"character":"a","text":"Hello there.","pauseBefore":0.3}],"seed":-7,"aspects":["1:1"]}
                """);
        SceneSpec again = reader.read(reader.write(s), "roundtrip");
        assertEquals(s, again);
    }
}
