package io.kinora.api.compositor;

import io.kinora.api.media.AudioBuffer;
import io.kinora.api.timeline.Timeline;

import java.nio.file.Path;
import java.util.Map;

/**
 * One MP4 to write: where, frame size and rate, the timeline (frame count, captions), the stereo master,
 * and container metadata (key to value; custom keys are kept).
 */
public record EncodeRequest(Path output, int width, int height, Timeline timeline, AudioBuffer audio,
                            Map<String, String> metadata) {
    public EncodeRequest {
        metadata = io.kinora.api.media.Ordered.copy(metadata);
    }
}
