package io.kinora.api.provenance;

import io.kinora.api.scene.SceneSpec;
import io.kinora.api.timeline.Timeline;
import io.kinora.api.video.ModelInfo;

/**
 * Who and what a clip's provenance describes: content id (unique per output), job id, the scene, the
 * timeline and the model version that rendered it.
 */
public record ProvenanceRequest(String contentId, String jobId, SceneSpec scene, Timeline timeline, ModelInfo model) {
}
