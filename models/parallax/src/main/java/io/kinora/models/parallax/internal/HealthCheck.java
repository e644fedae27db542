package io.kinora.models.parallax.internal;

import java.util.List;

import io.kinora.api.media.Cancellation;
import io.kinora.api.media.ProgressListener;
import io.kinora.api.media.RgbImage;
import io.kinora.api.scene.Aspect;
import io.kinora.api.scene.CameraMove;
import io.kinora.api.scene.CameraSpec;
import io.kinora.api.scene.SceneSpec;
import io.kinora.api.timeline.Shot;
import io.kinora.api.timeline.Timeline;
import io.kinora.api.video.RenderRequest;

/**
 * Start-up check: renders two 32x32 frames of a synthetic gradient through the whole pipeline and checks that
 * frame 0 reproduces the picture (the TorchScript helper runs and the coordinate conventions hold). It also warms
 * the TorchScript executor up before the first real job.
 */
final class HealthCheck {

    private HealthCheck() {
    }

    static void run(ParallaxRenderer renderer) {
        int w = 32;
        int h = 32;
        byte[] rgb = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int o = (y * w + x) * 3;
                rgb[o] = (byte) (x * 8);
                rgb[o + 1] = (byte) (y * 8);
                rgb[o + 2] = (byte) 128;
            }
        }
        RgbImage image = new RgbImage(w, h, rgb);
        SceneSpec scene = new SceneSpec(null, "health check", 1.0, 2, null, List.of(Aspect.SQUARE),
                new CameraSpec(CameraMove.PUSH_IN, 0.5, true), null, null, null, null, "en", null, 0L);
        Timeline timeline = new Timeline(1.0, 2, 2, List.of(), List.of(new Shot(0, 1.0, null)));
        RgbImage[] first = new RgbImage[1];
        renderer.render(new RenderRequest(scene, timeline, image, Aspect.SQUARE, w, h, ProgressListener.NONE,
                Cancellation.NEVER), (i, frame) -> {
                    if (i == 0) first[0] = frame;
                });
        if (first[0] == null) throw new IllegalStateException("no frame was rendered");
        // frame 0 is the picture zoomed by the overscan about its centre: compare the centre pixel's gradient value
        int cx = first[0].sample(w / 2, h / 2, 0);
        int cy = first[0].sample(w / 2, h / 2, 1);
        if (Math.abs(cx - 128) > 8 || Math.abs(cy - 128) > 8 || first[0].sample(w / 2, h / 2, 2) != 128) {
            throw new IllegalStateException("frame 0 centre is (" + cx + ", " + cy + ", "
                    + first[0].sample(w / 2, h / 2, 2) + "), expected about (128, 128, 128)");
        }
    }
}
