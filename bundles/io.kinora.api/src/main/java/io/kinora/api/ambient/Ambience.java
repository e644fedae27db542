package io.kinora.api.ambient;

import io.kinora.api.media.AudioBuffer;

/** A stereo ambience bed, the preset used and why it was chosen (for the job report). */
public record Ambience(String preset, String reason, AudioBuffer audio) {
}
