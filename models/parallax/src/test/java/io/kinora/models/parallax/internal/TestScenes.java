package io.kinora.models.parallax.internal;

import java.util.ArrayList;
import java.util.List;

import io.kinora.api.media.Cancellation;
import io.kinora.api.media.ProgressListener;
import io.kinora.api.media.RgbImage;
import io.kinora.api.scene.Aspect;
import io.kinora.api.scene.CameraMove;
import io.kinora.api.scene.CameraSpec;
import io.kinora.api.scene.CharacterSpec;
import io.kinora.api.scene.SceneSpec;
import io.kinora.api.timeline.Shot;
import io.kinora.api.timeline.Timeline;
import io.kinora.api.video.RenderReport;
import io.kinora.api.video.RenderRequest;

/** Synthetic pictures, scenes and timelines for the tests (no third-party images). */
final class TestScenes {

    private TestScenes() {
    }

    /** A smooth picture: colour gradients, a dark-to-light sky, soft hills, disks. */
    static RgbImage smooth(int w, int h) {
        byte[] rgb = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double fx = x / (double) w;
                double fy = y / (double) h;
                double r = 40 + 150 * fx + 30 * Math.sin(fy * 9);
                double g = 60 + 120 * fy + 25 * Math.cos(fx * 7);
                double b = 200 - 140 * fy + 20 * Math.sin((fx + fy) * 11);
                double hill = 0.62 + 0.06 * Math.sin(fx * 8.5);
                if (fy > hill) {
                    r *= 0.6;
                    g = g * 0.8 + 40;
                    b *= 0.5;
                }
                put(rgb, w, x, y, r, g, b);
            }
        }
        return new RgbImage(w, h, rgb);
    }

    /** A textured picture: the smooth picture plus a fixed pseudo-random texture, so every region has detail. */
    static RgbImage textured(int w, int h) {
        RgbImage base = smooth(w, h);
        byte[] rgb = base.rgb().clone();
        long state = 0x9E3779B97F4A7C15L;
        for (int i = 0; i < rgb.length; i += 3) {
            state = state * 6364136223846793005L + 1442695040888963407L;
            int n = (int) ((state >>> 33) % 61) - 30;
            for (int c = 0; c < 3; c++) {
                rgb[i + c] = (byte) clamp((rgb[i + c] & 0xff) + n);
            }
        }
        return new RgbImage(w, h, rgb);
    }

    /** Paints a filled disk (centre and radius in pixels). */
    static void disk(RgbImage img, double cx, double cy, double radius, int r, int g, int b) {
        for (int y = (int) Math.max(0, cy - radius - 1); y <= Math.min(img.height() - 1, cy + radius + 1); y++) {
            for (int x = (int) Math.max(0, cx - radius - 1); x <= Math.min(img.width() - 1, cx + radius + 1); x++) {
                if ((x - cx) * (x - cx) + (y - cy) * (y - cy) <= radius * radius) {
                    put(img.rgb(), img.width(), x, y, r, g, b);
                }
            }
        }
    }

    static void put(byte[] rgb, int w, int x, int y, double r, double g, double b) {
        int o = (y * w + x) * 3;
        rgb[o] = (byte) clamp((int) Math.round(r));
        rgb[o + 1] = (byte) clamp((int) Math.round(g));
        rgb[o + 2] = (byte) clamp((int) Math.round(b));
    }

    static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }

    static SceneSpec scene(String prompt, CameraMove move, double intensity, boolean easing,
                           List<CharacterSpec> characters) {
        return scene(prompt, move, intensity, easing, characters, 42L);
    }

    static SceneSpec scene(String prompt, CameraMove move, double intensity, boolean easing,
                           List<CharacterSpec> characters, long seed) {
        return new SceneSpec(null, prompt, null, 24, null, List.of(Aspect.LANDSCAPE),
                new CameraSpec(move, intensity, easing), characters, null, null, null, "en", null, seed);
    }

    /**
     * A lake under a sky: the upper 45 % a smooth bright blue sky with soft clouds, the lower part dark blue
     * water with horizontal ripples (the texture runs along the rows), a dark shore line between them.
     */
    static RgbImage lake(int w, int h) {
        byte[] rgb = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double fx = x / (double) w;
                double fy = y / (double) h;
                double r;
                double g;
                double b;
                if (fy < 0.45) {
                    double cloud = Math.max(0, Math.sin(fx * 7 + 1.3) * Math.sin(fy * 9 + 0.4)) * 50;
                    r = 120 + 60 * fy + cloud;
                    g = 170 + 40 * fy + cloud;
                    b = 235 + cloud * 0.3;
                } else if (fy < 0.5) {
                    r = 50 + 20 * Math.sin(fx * 40);
                    g = 70 + 15 * Math.sin(fx * 33);
                    b = 40;
                } else {
                    double ripple = Math.sin(y * 0.9) * (1 + 0.3 * Math.sin(fx * 6)) + 0.5 * Math.sin(y * 0.37 + fx * 2);
                    r = 30 + 22 * ripple;
                    g = 75 + 25 * ripple;
                    b = 125 + 30 * ripple;
                }
                put(rgb, w, x, y, r, g, b);
            }
        }
        return new RgbImage(w, h, rgb);
    }

    /** A timeline of {@code frames} frames at {@code fps} with the given shots (or one wide shot). */
    static Timeline timeline(int frames, int fps, List<Shot> shots) {
        double duration = frames / (double) fps;
        return new Timeline(duration, fps, frames, List.of(),
                shots == null || shots.isEmpty() ? List.of(new Shot(0, duration, null)) : shots);
    }

    static final class Frames {
        final List<RgbImage> frames = new ArrayList<>();
        RenderReport report;
    }

    static Frames render(ParallaxVideoModel model, SceneSpec scene, Timeline timeline, RgbImage image, int w, int h) {
        return render(model, scene, timeline, image, w, h, ProgressListener.NONE, Cancellation.NEVER);
    }

    static Frames render(ParallaxVideoModel model, SceneSpec scene, Timeline timeline, RgbImage image, int w, int h,
                         ProgressListener progress, Cancellation cancellation) {
        return render(model, scene, timeline, image, Aspect.LANDSCAPE, w, h, progress, cancellation);
    }

    static Frames render(ParallaxVideoModel model, SceneSpec scene, Timeline timeline, RgbImage image, Aspect aspect,
                         int w, int h, ProgressListener progress, Cancellation cancellation) {
        Frames out = new Frames();
        out.report = model.render(new RenderRequest(scene, timeline, image, aspect, w, h, progress, cancellation),
                (i, frame) -> {
                    if (i != out.frames.size()) throw new AssertionError("frame " + i + " out of order");
                    out.frames.add(frame);
                });
        return out;
    }
}
