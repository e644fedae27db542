package io.kinora.api.compositor;

import io.kinora.api.media.AudioBuffer;
import io.kinora.api.timeline.Timeline;

import java.nio.file.Path;
import java.util.Map;

/**
 * One MP4 to write: where, frame size and rate, the timeline (frame count, captions), the stereo master,
 * container metadata (key to value; custom keys are kept) and the captions to put in the file
 * ({@code null} = the compositor's configured default; since 1.1.0).
 */
public record EncodeRequest(Path output, int width, int height, Timeline timeline, AudioBuffer audio,
                            Map<String, String> metadata, CaptionOptions captions) {
    public EncodeRequest {
        metadata = io.kinora.api.media.Ordered.copy(metadata);
    }

    /** The 1.0 form: captions as configured in the compositor. */
    public EncodeRequest(Path output, int width, int height, Timeline timeline, AudioBuffer audio,
                         Map<String, String> metadata) {
        this(output, width, height, timeline, audio, metadata, null);
    }
}
