package io.kinora.api.scene;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Everything needed to make one clip. The JSON form is documented in {@code docs/scene-spec.md}.
 *
 * @param image      path or URI of the source image; relative paths resolve against the scene file. May be
 *                   {@code null} when the caller supplies the image separately (CLI {@code --image}, REST upload).
 * @param prompt     what the clip shows and how it moves
 * @param duration   clip length in seconds, or {@code null} to follow the dialogue
 * @param fps        frames per second
 * @param resolution output resolution of every rendition
 * @param aspects    one rendition per aspect; the first is the primary output
 * @param camera     the camera move
 * @param characters the speaking characters (ids unique)
 * @param lines      dialogue in speaking order
 * @param ambience   the ambient sound bed
 * @param labels     AI-content label policy
 * @param language   BCP 47 language of the dialogue and notices, e.g. {@code en}, {@code zh}
 * @param tenant     the tenant the job belongs to (routing, quotas), or {@code null}
 * @param seed       makes the output deterministic: same spec + seed, same clip
 */
public record SceneSpec(String image, String prompt, Double duration, int fps, Resolution resolution,
                        List<Aspect> aspects, CameraSpec camera, List<CharacterSpec> characters,
                        List<LineSpec> lines, AmbienceSpec ambience, LabelSpec labels, String language,
                        String tenant, long seed) {

    public static final int DEFAULT_FPS = 24;
    private static final Pattern ID = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,63}");
    /** Character ids that would collide with the names of a clip's other stems ({@code -ambience.wav}, {@code -mix.wav}). */
    private static final List<String> RESERVED_IDS = List.of("ambience", "mix");
    private static final Pattern LANGUAGE = Pattern.compile("[a-z]{2,3}(-[A-Za-z0-9]{2,8})*");

    public SceneSpec {
        aspects = aspects == null || aspects.isEmpty() ? List.of(Aspect.LANDSCAPE) : List.copyOf(aspects);
        characters = characters == null ? List.of() : List.copyOf(characters);
        lines = lines == null ? List.of() : List.copyOf(lines);
        camera = camera == null ? CameraSpec.DEFAULT : camera;
        ambience = ambience == null ? AmbienceSpec.AUTO : ambience;
        labels = labels == null ? LabelSpec.DEFAULT : labels;
        resolution = resolution == null ? Resolution.P720 : resolution;
        language = language == null || language.isBlank() ? "en" : language;
        if (fps == 0) fps = DEFAULT_FPS;
    }

    /** The character with this id, or {@code null}. */
    public CharacterSpec character(String id) {
        for (CharacterSpec c : characters) if (c.id().equals(id)) return c;
        return null;
    }

    /** A copy with another image reference (the CLI's {@code --image}). */
    public SceneSpec withImage(String newImage) {
        return new SceneSpec(newImage, prompt, duration, fps, resolution, aspects, camera, characters, lines,
                ambience, labels, language, tenant, seed);
    }

    /**
     * Checks the scene against the limits and returns every problem found (empty when the scene is valid).
     * Each problem names its field as a JSON path.
     */
    public List<Problem> validate(SceneLimits limits) {
        List<Problem> p = new ArrayList<>();
        if (prompt == null || prompt.isBlank()) {
            p.add(new Problem("prompt", "is required and must not be blank"));
        } else if (prompt.length() > limits.maxPromptChars()) {
            p.add(new Problem("prompt", "is " + prompt.length() + " characters; the limit is " + limits.maxPromptChars()));
        }
        if (duration != null && (duration.isNaN() || duration < 1.0 || duration > limits.maxDurationSeconds())) {
            p.add(new Problem("duration", "must be between 1 and " + fmt(limits.maxDurationSeconds()) + " seconds, was " + duration));
        }
        if (fps < 1 || fps > limits.maxFps()) {
            p.add(new Problem("fps", "must be between 1 and " + limits.maxFps() + ", was " + fps));
        }
        Set<Aspect> seenAspects = new HashSet<>();
        for (int i = 0; i < aspects.size(); i++) {
            if (aspects.get(i) == null) p.add(new Problem("aspects[" + i + "]", "must be one of 16:9, 9:16, 1:1"));
            else if (!seenAspects.add(aspects.get(i))) p.add(new Problem("aspects[" + i + "]", "repeats " + aspects.get(i).id()));
        }
        if (!Double.isFinite(camera.intensity()) || camera.intensity() < 0 || camera.intensity() > 1) {
            p.add(new Problem("camera.intensity", "must be between 0 and 1, was " + camera.intensity()));
        }
        if (characters.size() > limits.maxCharacters()) {
            p.add(new Problem("characters", "has " + characters.size() + " characters; the limit is " + limits.maxCharacters()));
        }
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < characters.size(); i++) {
            CharacterSpec c = characters.get(i);
            String f = "characters[" + i + "]";
            if (c == null) { p.add(new Problem(f, "must be an object")); continue; }
            if (c.id() == null || !ID.matcher(c.id()).matches()) {
                p.add(new Problem(f + ".id", "must start with a letter and contain only letters, digits, '-' or '_' (max 64), was " + quote(c.id())));
            } else if (!ids.add(c.id())) {
                p.add(new Problem(f + ".id", "duplicates the id " + quote(c.id())));
            } else if (RESERVED_IDS.contains(c.id().toLowerCase(Locale.ROOT))) {
                p.add(new Problem(f + ".id", quote(c.id()) + " is reserved: the stems of a clip are named <clip>-<character id>.wav beside <clip>-"
                        + String.join(".wav and <clip>-", RESERVED_IDS) + ".wav; choose another id (the name shown in captions can still be "
                        + quote(c.id()) + ")"));
            }
            if (c.position() != null) {
                if (!inUnit(c.position().x())) p.add(new Problem(f + ".position.x", "must be between 0 and 1, was " + c.position().x()));
                if (!inUnit(c.position().y())) p.add(new Problem(f + ".position.y", "must be between 0 and 1, was " + c.position().y()));
            }
        }
        if (lines.size() > limits.maxLines()) {
            p.add(new Problem("lines", "has " + lines.size() + " lines; the limit is " + limits.maxLines()));
        }
        for (int i = 0; i < lines.size(); i++) {
            LineSpec l = lines.get(i);
            String f = "lines[" + i + "]";
            if (l == null) { p.add(new Problem(f, "must be an object")); continue; }
            if (l.character() == null || l.character().isBlank()) {
                p.add(new Problem(f + ".character", "is required"));
            } else if (character(l.character()) == null) {
                p.add(new Problem(f + ".character", "names " + quote(l.character()) + ", which is not among characters[].id"));
            }
            if (l.text() == null || l.text().isBlank()) {
                p.add(new Problem(f + ".text", "is required and must not be blank"));
            } else if (l.text().length() > limits.maxLineChars()) {
                p.add(new Problem(f + ".text", "is " + l.text().length() + " characters; the limit is " + limits.maxLineChars()));
            }
            if (l.pauseBefore() != null && (l.pauseBefore().isNaN() || l.pauseBefore() < 0 || l.pauseBefore() > 10)) {
                p.add(new Problem(f + ".pauseBefore", "must be between 0 and 10 seconds, was " + l.pauseBefore()));
            }
        }
        if (!Double.isFinite(ambience.levelDb()) || ambience.levelDb() < -60 || ambience.levelDb() > 12) {
            p.add(new Problem("ambience.level", "must be between -60 and 12 dB, was " + ambience.levelDb()));
        }
        if (!LANGUAGE.matcher(language).matches()) {
            p.add(new Problem("language", "must be a BCP 47 language tag such as en or zh-CN, was " + quote(language)));
        }
        if (tenant != null && (tenant.isBlank() || tenant.length() > 128)) {
            p.add(new Problem("tenant", "must be 1 to 128 characters"));
        }
        return p;
    }

    private static boolean inUnit(double v) { return Double.isFinite(v) && v >= 0 && v <= 1; }

    private static String quote(String s) { return s == null ? "nothing" : "\"" + s + "\""; }

    private static String fmt(double d) { return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d); }
}
