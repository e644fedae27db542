package io.kinora.api.video;

import java.util.Map;

/**
 * What a model did, for the job report: the model version, and the choices it made with the reason for each
 * (e.g. {@code camera -> "push-in: the prompt says 'zoom in'"}).
 */
public record RenderReport(ModelInfo model, int frames, Map<String, String> choices) {
    public RenderReport {
        choices = io.kinora.api.media.Ordered.copy(choices);
    }
}
