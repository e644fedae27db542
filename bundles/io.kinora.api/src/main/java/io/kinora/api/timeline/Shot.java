package io.kinora.api.timeline;

/**
 * A stretch of the clip with one framing intent: {@code focus} is the character the camera favours (the
 * active speaker), or {@code null} for the wide frame between lines.
 */
public record Shot(double start, double end, String focus) {
}
