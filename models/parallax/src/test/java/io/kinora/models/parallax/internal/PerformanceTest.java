package io.kinora.models.parallax.internal;

import java.util.Arrays;
import java.util.Locale;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import ai.djl.engine.Engine;
import io.kinora.api.media.RgbImage;
import io.kinora.api.scene.CameraMove;
import io.kinora.api.video.RenderRequest;
import io.kinora.api.scene.Aspect;
import io.kinora.api.media.Cancellation;

/**
 * Per-frame time of the video stage at 720p and 1080p after warm-up. Opt-in (tag "performance"):
 * {@code mvn -o test -pl models/parallax -Dgroups=performance -DexcludedGroups=none}. Prints, asserts nothing:
 * timings depend on the machine and its load.
 */
@Tag("performance")
class PerformanceTest {

    private static ParallaxVideoModel model;

    @BeforeAll
    static void load() throws Exception {
        model = new ParallaxVideoModel(Engine.getEngine("PyTorch"), ParallaxRenderer.Settings.DEFAULT, null,
                PerformanceTest.class.getClassLoader());
    }

    @AfterAll
    static void close() {
        model.deactivate();
    }

    @Test
    void perFrameTimes() {
        System.out.println("threads: " + System.getProperty("ai.djl.pytorch.num_threads") + ", OMP_WAIT_POLICY="
                + System.getenv("OMP_WAIT_POLICY") + ", processors " + Runtime.getRuntime().availableProcessors());
        for (int pass = 0; pass < 2; pass++) {
            measure(1280, 720, 1600, 1200, "zoom in");
            measure(1920, 1080, 2400, 1800, "zoom in");
            // every kind of scene motion at once: water shimmer, cloud drift, fire flicker and rain
            measure(1280, 720, 1600, 1200, "zoom in on the lake under clouds, rain falling, a campfire");
            measure(1920, 1080, 2400, 1800, "zoom in on the lake under clouds, rain falling, a campfire");
        }
        System.out.println("peak resident memory of the test JVM after the runs: " + peakRss());
    }

    /** A 10 s 1080p clip with every kind of scene motion: the process's peak resident memory afterwards. */
    @Test
    void tenSecondsAt1080p() {
        measure(1920, 1080, 4000, 3000, "orbit the lake under clouds, snow falling, a campfire", 240);
        System.out.println("peak resident memory of the test JVM (10 s at 1080p from 12 MP): " + peakRss());
    }

    private static String peakRss() {
        try {
            return java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status")).stream()
                    .filter(l -> l.startsWith("VmHWM")).findFirst().orElse("VmHWM unknown").replaceAll("\\s+", " ");
        } catch (java.io.IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    private static void measure(int w, int h, int sw, int sh, String prompt) {
        measure(w, h, sw, sh, prompt, 72);
    }

    private static void measure(int w, int h, int sw, int sh, String prompt, int frames) {
        RgbImage image = TestScenes.textured(sw, sh);
        TestScenes.disk(image, sw * 0.7, sh * 0.75, sh * 0.06, 255, 170, 60);
        long[] at = new long[frames + 1];
        long t0 = System.nanoTime();
        var report = model.render(new RenderRequest(TestScenes.scene(prompt, CameraMove.AUTO, 0.5, true, null),
                TestScenes.timeline(frames, 24, null), image, Aspect.LANDSCAPE, w, h, null, Cancellation.NEVER),
                (i, f) -> at[i + 1] = System.nanoTime());
        at[0] = t0;
        double prep = (at[1] - at[0]) / 1e6;
        double[] per = new double[frames - 1];
        for (int i = 2; i <= frames; i++) per[i - 2] = (at[i] - at[i - 1]) / 1e6;
        double[] sorted = per.clone();
        Arrays.sort(sorted);
        double mean = Arrays.stream(per).average().orElse(0);
        System.out.println("motion: " + report.choices().get("motion"));
        System.out.println(String.format(Locale.ROOT,
                "%dx%d from %dx%d: first frame (incl. preparation) %.1f ms; frames 2..%d median %.2f ms, mean %.2f ms,"
                        + " p90 %.2f ms -> %.1f fps (mean)",
                w, h, sw, sh, prep, frames, sorted[sorted.length / 2], mean, sorted[(int) (sorted.length * 0.9)],
                1000 / mean));
    }
}
