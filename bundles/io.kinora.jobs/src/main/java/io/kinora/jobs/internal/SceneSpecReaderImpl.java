package io.kinora.jobs.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kinora.api.scene.AmbienceSpec;
import io.kinora.api.scene.Aspect;
import io.kinora.api.scene.CameraMove;
import io.kinora.api.scene.CameraSpec;
import io.kinora.api.scene.CharacterSpec;
import io.kinora.api.scene.LabelSpec;
import io.kinora.api.scene.LineSpec;
import io.kinora.api.scene.Position;
import io.kinora.api.scene.Problem;
import io.kinora.api.scene.Resolution;
import io.kinora.api.scene.SceneLimits;
import io.kinora.api.scene.SceneSpec;
import io.kinora.api.scene.SceneSpecException;
import io.kinora.api.scene.SceneSpecReader;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Reads the JSON form of a SceneSpec from a tree, collecting every problem (syntax, unknown fields, wrong types,
 * then {@link SceneSpec#validate}) instead of stopping at the first.
 */
public final class SceneSpecReaderImpl implements SceneSpecReader {
    static final Set<String> TOP = Set.of("$schema", "image", "prompt", "duration", "fps", "resolution", "aspects",
            "camera", "characters", "lines", "ambience", "labels", "language", "tenant", "seed");

    private final ObjectMapper mapper = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();
    private final SceneLimits limits;
    private final int maxBytes;

    public SceneSpecReaderImpl(SceneLimits limits, int maxBytes) {
        this.limits = limits;
        this.maxBytes = maxBytes;
    }

    @Override
    public SceneSpec read(byte[] json, String source) throws SceneSpecException {
        if (json.length > maxBytes) {
            throw new SceneSpecException(source, List.of(new Problem("$", "the scene is " + json.length
                    + " bytes; the limit is " + maxBytes)));
        }
        JsonNode root;
        try {
            root = mapper.readTree(json);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw new SceneSpecException(source, List.of(new Problem("$", "is not valid JSON" + where + ": " + e.getOriginalMessage())));
        } catch (IOException e) {
            throw new SceneSpecException(source, List.of(new Problem("$", "cannot be read: " + e.getMessage())));
        }
        if (root == null || !root.isObject()) {
            throw new SceneSpecException(source, List.of(new Problem("$", "must be a JSON object")));
        }
        List<Problem> problems = new ArrayList<>();
        Tree t = new Tree(problems);
        t.unknown(root, "", TOP);
        String image = t.string(root, "image", false);
        String prompt = t.string(root, "prompt", true);
        Double duration = t.number(root, "duration");
        Integer fps = t.integer(root, "fps");
        Resolution resolution = t.enumValue(root, "resolution", Resolution::fromId,
                Arrays.stream(Resolution.values()).map(Resolution::id).collect(Collectors.toList()));
        List<Aspect> aspects = readAspects(root, t);
        CameraSpec camera = readCamera(root, t);
        List<CharacterSpec> characters = readCharacters(root, t);
        List<LineSpec> lines = readLines(root, t);
        AmbienceSpec ambience = readAmbience(root, t);
        LabelSpec labels = readLabels(root, t);
        String language = t.string(root, "language", false);
        String tenant = t.string(root, "tenant", false);
        Long seed = t.longValue(root, "seed");
        SceneSpec spec = new SceneSpec(image, prompt, duration, fps == null ? 0 : fps, resolution, aspects, camera,
                characters, lines, ambience, labels, language, tenant, seed == null ? 0L : seed);
        if (fps != null && fps == 0) problems.add(new Problem("fps", "must be between 1 and " + limits.maxFps() + ", was 0"));
        // semantic checks only on fields that parsed, so one mistake is not reported twice
        for (Problem p : spec.validate(limits)) {
            if (!t.failed.contains(p.field()) && !(p.field().equals("prompt") && t.failed.contains("prompt"))) problems.add(p);
        }
        if (!problems.isEmpty()) throw new SceneSpecException(source, problems);
        return spec;
    }

    private static List<Aspect> readAspects(JsonNode root, Tree t) {
        JsonNode n = root.get("aspects");
        if (n == null || n.isNull()) return null;
        if (!n.isArray()) { t.fail("aspects", "must be an array such as [\"16:9\", \"9:16\"]"); return null; }
        List<Aspect> out = new ArrayList<>();
        for (int i = 0; i < n.size(); i++) {
            JsonNode a = n.get(i);
            Aspect aspect = a.isTextual() ? Aspect.fromId(a.asText()) : null;
            if (aspect == null) t.fail("aspects[" + i + "]", "must be one of \"16:9\", \"9:16\", \"1:1\", was " + a);
            else out.add(aspect);
        }
        return out;
    }

    private static CameraSpec readCamera(JsonNode root, Tree t) {
        JsonNode n = root.get("camera");
        if (n == null || n.isNull()) return null;
        List<String> moves = Arrays.stream(CameraMove.values()).map(CameraMove::id).collect(Collectors.toList());
        if (n.isTextual()) {
            CameraMove m = CameraMove.fromId(n.asText());
            if (m == null) { t.fail("camera", "must be one of " + moves + ", was \"" + n.asText() + "\""); return null; }
            return new CameraSpec(m, CameraSpec.DEFAULT.intensity(), true);
        }
        if (!n.isObject()) { t.fail("camera", "must be a move name or an object {move, intensity, easing}"); return null; }
        t.unknown(n, "camera.", Set.of("move", "intensity", "easing"));
        CameraMove m = t.enumValue(n, "camera.", "move", CameraMove::fromId, moves);
        Double intensity = t.number(n, "camera.", "intensity");
        Boolean easing = t.bool(n, "camera.", "easing");
        return new CameraSpec(m == null ? CameraMove.AUTO : m, intensity == null ? CameraSpec.DEFAULT.intensity() : intensity,
                easing == null || easing);
    }

    private static List<CharacterSpec> readCharacters(JsonNode root, Tree t) {
        JsonNode n = root.get("characters");
        if (n == null || n.isNull()) return null;
        if (!n.isArray()) { t.fail("characters", "must be an array of objects {id, name, voice, position}"); return null; }
        List<CharacterSpec> out = new ArrayList<>();
        for (int i = 0; i < n.size(); i++) {
            String f = "characters[" + i + "].";
            JsonNode c = n.get(i);
            if (!c.isObject()) { t.fail("characters[" + i + "]", "must be an object {id, name, voice, position}"); continue; }
            t.unknown(c, f, Set.of("id", "name", "voice", "position"));
            String id = t.string(c, f, "id", true);
            String name = t.string(c, f, "name", false);
            String voice = t.string(c, f, "voice", false);
            Position position = null;
            JsonNode p = c.get("position");
            if (p != null && !p.isNull()) {
                if (!p.isObject()) {
                    t.fail(f + "position", "must be an object {x, y} with fractions of the frame from 0 to 1");
                } else {
                    t.unknown(p, f + "position.", Set.of("x", "y"));
                    Double x = t.number(p, f + "position.", "x");
                    Double y = t.number(p, f + "position.", "y");
                    if (x == null && !t.failed.contains(f + "position.x")) t.fail(f + "position.x", "is required");
                    if (y == null && !t.failed.contains(f + "position.y")) t.fail(f + "position.y", "is required");
                    if (x != null && y != null) position = new Position(x, y);
                }
            }
            if (id == null) t.failed.add("characters[" + i + "].id");
            out.add(new CharacterSpec(id, name, voice, position));
        }
        return out;
    }

    private static List<LineSpec> readLines(JsonNode root, Tree t) {
        JsonNode n = root.get("lines");
        if (n == null || n.isNull()) return null;
        if (!n.isArray()) { t.fail("lines", "must be an array of objects {character, text, pauseBefore}"); return null; }
        List<LineSpec> out = new ArrayList<>();
        for (int i = 0; i < n.size(); i++) {
            String f = "lines[" + i + "].";
            JsonNode l = n.get(i);
            if (!l.isObject()) { t.fail("lines[" + i + "]", "must be an object {character, text, pauseBefore}"); continue; }
            t.unknown(l, f, Set.of("character", "text", "pauseBefore"));
            String character = t.string(l, f, "character", true);
            String text = t.string(l, f, "text", true);
            Double pause = t.number(l, f, "pauseBefore");
            out.add(new LineSpec(character, text, pause));
        }
        return out;
    }

    private static AmbienceSpec readAmbience(JsonNode root, Tree t) {
        JsonNode n = root.get("ambience");
        if (n == null || n.isNull()) return null;
        if (n.isTextual()) return new AmbienceSpec(n.asText(), 0.0);
        if (!n.isObject()) { t.fail("ambience", "must be a preset name or an object {preset, level}"); return null; }
        t.unknown(n, "ambience.", Set.of("preset", "level"));
        String preset = t.string(n, "ambience.", "preset", false);
        Double level = t.number(n, "ambience.", "level");
        return new AmbienceSpec(preset == null ? "auto" : preset, level == null ? 0.0 : level);
    }

    private static LabelSpec readLabels(JsonNode root, Tree t) {
        JsonNode n = root.get("labels");
        if (n == null || n.isNull()) return null;
        if (n.isTextual()) return new LabelSpec(n.asText());
        if (!n.isObject()) { t.fail("labels", "must be a policy name or an object {policy}"); return null; }
        t.unknown(n, "labels.", Set.of("policy"));
        return new LabelSpec(t.string(n, "labels.", "policy", false));
    }

    @Override
    public byte[] write(SceneSpec s) {
        ObjectNode root = mapper.createObjectNode();
        if (s.image() != null) root.put("image", s.image());
        root.put("prompt", s.prompt());
        if (s.duration() != null) root.put("duration", s.duration());
        root.put("fps", s.fps());
        root.put("resolution", s.resolution().id());
        ArrayNode aspects = root.putArray("aspects");
        s.aspects().forEach(a -> aspects.add(a.id()));
        ObjectNode cam = root.putObject("camera");
        cam.put("move", s.camera().move().id());
        cam.put("intensity", s.camera().intensity());
        cam.put("easing", s.camera().easing());
        ArrayNode chars = root.putArray("characters");
        for (CharacterSpec c : s.characters()) {
            ObjectNode o = chars.addObject();
            o.put("id", c.id());
            if (c.name() != null) o.put("name", c.name());
            if (c.voice() != null) o.put("voice", c.voice());
            if (c.position() != null) o.putObject("position").put("x", c.position().x()).put("y", c.position().y());
        }
        ArrayNode lines = root.putArray("lines");
        for (LineSpec l : s.lines()) {
            ObjectNode o = lines.addObject();
            o.put("character", l.character());
            o.put("text", l.text());
            if (l.pauseBefore() != null) o.put("pauseBefore", l.pauseBefore());
        }
        root.putObject("ambience").put("preset", s.ambience().preset()).put("level", s.ambience().levelDb());
        ObjectNode labels = root.putObject("labels");
        if (s.labels().policy() != null) labels.put("policy", s.labels().policy());
        root.put("language", s.language());
        if (s.tenant() != null) root.put("tenant", s.tenant());
        root.put("seed", s.seed());
        try {
            return mapper.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write scene JSON", e);
        }
    }

    /** Typed access to a JSON tree that records a problem for each field of the wrong type. */
    private static final class Tree {
        final List<Problem> problems;
        final Set<String> failed = new java.util.HashSet<>();

        Tree(List<Problem> problems) { this.problems = problems; }

        void fail(String field, String message) {
            failed.add(field);
            problems.add(new Problem(field, message));
        }

        void unknown(JsonNode obj, String prefix, Set<String> known) {
            for (Iterator<String> it = obj.fieldNames(); it.hasNext(); ) {
                String name = it.next();
                if (!known.contains(name)) {
                    fail(prefix + name, "is not a known field (known: " + String.join(", ", new TreeSet<>(known)) + ")");
                }
            }
        }

        String string(JsonNode obj, String name, boolean required) { return string(obj, "", name, required); }

        String string(JsonNode obj, String prefix, String name, boolean required) {
            JsonNode n = obj.get(name);
            if (n == null || n.isNull()) {
                if (required) fail(prefix + name, "is required");
                return null;
            }
            if (!n.isTextual()) { fail(prefix + name, "must be a string, was " + kind(n)); return null; }
            return n.asText();
        }

        Double number(JsonNode obj, String name) { return number(obj, "", name); }

        Double number(JsonNode obj, String prefix, String name) {
            JsonNode n = obj.get(name);
            if (n == null || n.isNull()) return null;
            if (!n.isNumber()) { fail(prefix + name, "must be a number, was " + kind(n)); return null; }
            return n.asDouble();
        }

        Integer integer(JsonNode obj, String name) {
            JsonNode n = obj.get(name);
            if (n == null || n.isNull()) return null;
            if (!n.isIntegralNumber() || !n.canConvertToInt()) { fail(name, "must be a whole number, was " + kind(n)); return null; }
            return n.asInt();
        }

        Long longValue(JsonNode obj, String name) {
            JsonNode n = obj.get(name);
            if (n == null || n.isNull()) return null;
            if (!n.isIntegralNumber() || !n.canConvertToLong()) { fail(name, "must be a whole number (64-bit), was " + kind(n)); return null; }
            return n.asLong();
        }

        Boolean bool(JsonNode obj, String prefix, String name) {
            JsonNode n = obj.get(name);
            if (n == null || n.isNull()) return null;
            if (!n.isBoolean()) { fail(prefix + name, "must be true or false, was " + kind(n)); return null; }
            return n.asBoolean();
        }

        <E> E enumValue(JsonNode obj, String name, Function<String, E> parse, List<String> allowed) {
            return enumValue(obj, "", name, parse, allowed);
        }

        <E> E enumValue(JsonNode obj, String prefix, String name, Function<String, E> parse, List<String> allowed) {
            String s = string(obj, prefix, name, false);
            if (s == null) return null;
            E e = parse.apply(s);
            if (e == null) fail(prefix + name, "must be one of " + allowed + ", was \"" + s + "\"");
            return e;
        }

        private static String kind(JsonNode n) {
            if (n.isTextual()) return "the string \"" + n.asText() + "\"";
            if (n.isNumber()) return "the number " + n;
            if (n.isBoolean()) return n.toString();
            if (n.isArray()) return "an array";
            if (n.isObject()) return "an object";
            return n.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        }
    }

}
