package io.kinora.api.video;

import io.kinora.api.media.Cancellation;
import io.kinora.api.media.ProgressListener;
import io.kinora.api.media.RgbImage;
import io.kinora.api.scene.Aspect;
import io.kinora.api.scene.SceneSpec;
import io.kinora.api.timeline.Timeline;

/**
 * One rendition to render: the scene, the planned timeline, the decoded source image, the output frame
 * size and aspect. Frames go to the sink in order; the model reports progress and honours cancellation.
 */
public record RenderRequest(SceneSpec scene, Timeline timeline, RgbImage image, Aspect aspect, int width, int height,
                            ProgressListener progress, Cancellation cancellation) {
}
