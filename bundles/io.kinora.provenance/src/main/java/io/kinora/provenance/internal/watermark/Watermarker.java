package io.kinora.provenance.internal.watermark;

import io.kinora.api.media.AudioBuffer;
import io.kinora.api.provenance.FrameLabeler;
import io.kinora.api.provenance.LayerStatus;
import io.kinora.api.provenance.ProvenanceRequest;

import java.nio.file.Path;
import java.util.concurrent.Future;

/**
 * The invisible watermark layer: embeds a payload pointing back to the job into frames (after the visible
 * label, before encoding) and audio, and detects it in a file.
 */
public interface Watermarker {
    /** A marker for frames of one rendition; applied after the visible label. */
    FrameLabeler frameMarker(ProvenanceRequest request, int width, int height);

    /** The audio with the watermark (the input is not modified). */
    AudioBuffer markAudio(ProvenanceRequest request, AudioBuffer audio);

    /** The layer as applied for this request, for {@code seal}. */
    LayerStatus applied(ProvenanceRequest request);

    /** The layer as detected in a file, for {@code verify}. */
    LayerStatus detect(Path file);

    /**
     * As {@link #detect(Path)}, with the sound already being decoded elsewhere (48 kHz mono, edit list applied,
     * {@link ClipDecoder#readAudio}; null for no audio track), so verify decodes it once for every detector.
     */
    default LayerStatus detect(Path file, Future<float[]> sound) {
        return detect(file);
    }
}
