package io.kinora.api.provenance;

import io.kinora.api.scene.SceneSpec;
import io.kinora.api.timeline.Timeline;
import io.kinora.api.video.ModelInfo;

import java.util.List;

/**
 * Who and what a clip's provenance describes: content id (unique per output), job id, the scene, the
 * timeline and the model version that rendered it, and what it was made from ({@code ingredients}: the source
 * image, the audio stems; recorded in the C2PA manifest; since 1.1).
 */
public record ProvenanceRequest(String contentId, String jobId, SceneSpec scene, Timeline timeline, ModelInfo model,
                                List<ProvenanceIngredient> ingredients) {
    public ProvenanceRequest {
        ingredients = ingredients == null ? List.of() : List.copyOf(ingredients);
    }

    /** A request without ingredients (the 1.0 form). */
    public ProvenanceRequest(String contentId, String jobId, SceneSpec scene, Timeline timeline, ModelInfo model) {
        this(contentId, jobId, scene, timeline, model, List.of());
    }
}
