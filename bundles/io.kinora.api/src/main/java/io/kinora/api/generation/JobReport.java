package io.kinora.api.generation;

import io.kinora.api.provenance.LayerStatus;
import io.kinora.api.video.ModelInfo;

import java.util.List;
import java.util.Map;

/**
 * What a job did: wall seconds per stage (keys are {@link Stage#id()}, plus {@code total}), the choices made
 * and why (camera, ambience, ...), the model version used, the voice of each character, and the provenance
 * layers of each output.
 */
public record JobReport(Map<String, Double> stageSeconds, Map<String, String> choices, ModelInfo model,
                        Map<String, String> voices, Map<String, List<LayerStatus>> provenance) {
    public JobReport {
        stageSeconds = io.kinora.api.media.Ordered.copy(stageSeconds);
        choices = io.kinora.api.media.Ordered.copy(choices);
        voices = io.kinora.api.media.Ordered.copy(voices);
        provenance = io.kinora.api.media.Ordered.copy(provenance);
    }
}
