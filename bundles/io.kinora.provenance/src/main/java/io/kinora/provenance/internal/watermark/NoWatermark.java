package io.kinora.provenance.internal.watermark;

import io.kinora.api.media.AudioBuffer;
import io.kinora.api.provenance.FrameLabeler;
import io.kinora.api.provenance.LayerStatus;
import io.kinora.api.provenance.ProvenanceRequest;
import io.kinora.provenance.internal.Layers;

import java.nio.file.Path;

/** In place until the watermark lands: marks nothing, detects nothing, and says so. */
public final class NoWatermark implements Watermarker {
    @Override
    public FrameLabeler frameMarker(ProvenanceRequest request, int width, int height) {
        return (index, frame) -> frame;
    }

    @Override
    public AudioBuffer markAudio(ProvenanceRequest request, AudioBuffer audio) {
        return audio;
    }

    @Override
    public LayerStatus applied(ProvenanceRequest request) {
        return new LayerStatus(Layers.WATERMARK, false, "not embedded: the invisible watermark is switched off (watermarkEnabled=false)");
    }

    @Override
    public LayerStatus detect(Path file) {
        return new LayerStatus(Layers.WATERMARK, false, "no detector yet");
    }
}
