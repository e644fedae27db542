package io.kinora.api.jobs;

import io.kinora.api.scene.SceneSpec;

/**
 * A job to queue: the scene, the source image's bytes and file name (for its type), who submits it, and its
 * priority (higher runs first; equal priorities run in submission order).
 */
public record JobSubmission(SceneSpec scene, byte[] image, String imageName, String owner, int priority) {
}
