package io.kinora.api.ambient;

import io.kinora.api.scene.AmbienceSpec;

/** An ambience bed to make: what the scene asks for, the prompt (for {@code auto}), length, sample rate and seed. */
public record AmbienceRequest(AmbienceSpec spec, String prompt, double durationSeconds, int sampleRate, long seed) {
}
