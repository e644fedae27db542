package io.kinora.api.generation;

import io.kinora.api.scene.SceneSpec;

import java.nio.file.Path;

/**
 * One clip to make. {@code image} is the source image file; {@code output} is the primary MP4 (first aspect).
 * Further aspects are written beside it as {@code <name>-<w>x<h>.mp4}, e.g. {@code clip-9x16.mp4}.
 * {@code jobId} identifies the job in reports and provenance ({@code null}: one is derived from the scene and seed).
 */
public record GenerationRequest(SceneSpec scene, Path image, Path output, String jobId) {
}
