package io.kinora.api.scene;

/**
 * Limits a scene must respect; operators configure them. {@link #DEFAULTS} are the built-in values.
 */
public record SceneLimits(int maxPromptChars, int maxLineChars, int maxLines, int maxCharacters,
                          double maxDurationSeconds, int maxFps) {
    public static final SceneLimits DEFAULTS = new SceneLimits(2000, 500, 40, 4, 60.0, 60);
}
