package io.kinora.api.ambient;

import io.kinora.api.media.RgbImage;
import io.kinora.api.scene.AmbienceSpec;

/**
 * An ambience bed to make: what the scene asks for, the prompt (for {@code auto}), length, sample rate and seed,
 * and optionally the source image (for {@code auto}: cheap colour statistics such as brightness, sky/foliage/fire
 * colours support the choice; {@code null} when not available).
 *
 * @since 1.1.0 the {@code image} component
 */
public record AmbienceRequest(AmbienceSpec spec, String prompt, double durationSeconds, int sampleRate, long seed,
                              RgbImage image) {
    /** A request without an image (the 1.0 form). */
    public AmbienceRequest(AmbienceSpec spec, String prompt, double durationSeconds, int sampleRate, long seed) {
        this(spec, prompt, durationSeconds, sampleRate, seed, null);
    }
}
