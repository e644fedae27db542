package io.kinora.model.internal;

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
import io.kinora.api.video.RenderReport;
import io.kinora.api.video.RenderRequest;
import io.kinora.api.video.VideoModel;

/**
 * The warm-up render a version must pass before it takes traffic: a 64x36, 4-frame push-in over a synthetic
 * picture (gradients and a checker). Checked: exactly 4 frames, indices 0..3 in order, each 64x36 with a full RGB
 * buffer, no frame constant (luma standard deviation at least 2 levels: a black, blank or single-colour frame
 * fails), and the report's frame count. The render also warms up the model's engine before the first job.
 */
final class HealthCheck {

    static final int WIDTH = 64;
    static final int HEIGHT = 36;
    static final int FRAMES = 4;

    private HealthCheck() {
    }

    static RgbImage picture() {
        int w = 96;
        int h = 72;
        byte[] rgb = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int o = (y * w + x) * 3;
                boolean check = ((x / 12) + (y / 12)) % 2 == 0;
                rgb[o] = (byte) (x * 255 / (w - 1));
                rgb[o + 1] = (byte) (y * 255 / (h - 1));
                rgb[o + 2] = (byte) (check ? 200 : 40);
            }
        }
        return new RgbImage(w, h, rgb);
    }

    /** Renders and checks; throws {@link IllegalStateException} naming the first problem. */
    static void run(VideoModel model) {
        SceneSpec scene = new SceneSpec(null, "health check", 0.5, 8, null, List.of(Aspect.LANDSCAPE),
                new CameraSpec(CameraMove.PUSH_IN, 0.5, true), null, null, null, null, "en", null, 0L);
        Timeline timeline = new Timeline(0.5, 8, FRAMES, List.of(), List.of(new Shot(0, 0.5, null)));
        int[] next = {0};
        String[] problem = {null};
        RenderReport report = model.render(new RenderRequest(scene, timeline, picture(), Aspect.LANDSCAPE, WIDTH,
                HEIGHT, ProgressListener.NONE, Cancellation.NEVER), (index, frame) -> {
                    if (problem[0] != null) return;
                    problem[0] = check(index, next[0], frame);
                    next[0]++;
                });
        if (problem[0] != null) throw new IllegalStateException(problem[0]);
        if (next[0] != FRAMES) throw new IllegalStateException("rendered " + next[0] + " frames, expected " + FRAMES);
        if (report == null) throw new IllegalStateException("the render returned no report");
        if (report.frames() != FRAMES) {
            throw new IllegalStateException("the report says " + report.frames() + " frames, expected " + FRAMES);
        }
    }

    static String check(int index, int expected, RgbImage frame) {
        if (index != expected) return "frame index " + index + " where " + expected + " was expected";
        if (frame == null) return "frame " + index + " is null";
        if (frame.width() != WIDTH || frame.height() != HEIGHT) {
            return "frame " + index + " is " + frame.width() + "x" + frame.height() + ", expected " + WIDTH + "x" + HEIGHT;
        }
        byte[] rgb = frame.rgb();
        if (rgb == null || rgb.length != WIDTH * HEIGHT * 3) {
            return "frame " + index + " has " + (rgb == null ? 0 : rgb.length) + " bytes, expected " + WIDTH * HEIGHT * 3;
        }
        double sum = 0;
        double sq = 0;
        int n = WIDTH * HEIGHT;
        for (int i = 0; i < n; i++) {
            double l = 0.299 * (rgb[3 * i] & 0xff) + 0.587 * (rgb[3 * i + 1] & 0xff) + 0.114 * (rgb[3 * i + 2] & 0xff);
            sum += l;
            sq += l * l;
        }
        double mean = sum / n;
        double sd = Math.sqrt(Math.max(0, sq / n - mean * mean));
        if (!Double.isFinite(sd) || sd < 2.0) {
            return String.format("frame %d is constant (luma mean %.1f, standard deviation %.2f)", index, mean, sd);
        }
        return null;
    }
}
