package io.kinora.compositor.internal;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kinora.api.compositor.EncodeRequest;
import io.kinora.api.compositor.EncodeResult;
import io.kinora.api.compositor.EncodeSession;
import io.kinora.api.media.AudioBuffer;
import io.kinora.api.media.RgbImage;
import io.kinora.api.timeline.Timeline;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Encode speed at 720p and 1080p; runs only with -Dkinora.bench=true (timings on a shared machine vary). */
class EncodeSpeedTest {
    @TempDir
    Path dir;

    @Test
    void encodeSpeed() {
        assumeTrue(Boolean.getBoolean("kinora.bench"), "benchmark: run with -Dkinora.bench=true");
        CompositorImpl c = new CompositorImpl((String) null, TestSignals.config(Map.of()));
        run(c, 320, 180, 24); // warm-up: natives loaded
        for (int[] size : new int[][] {{1280, 720}, {1920, 1080}}) {
            run(c, size[0], size[1], 120);
            run(c, size[0], size[1], 120);
        }
    }

    private void run(CompositorImpl c, int w, int h, int frames) {
        RgbImage[] pictures = new RgbImage[24];
        for (int i = 0; i < pictures.length; i++) pictures[i] = CompositorEncodeTest.frame(w, h, i * 5);
        Timeline t = TestSignals.timeline(frames / 24.0, 24, List.of());
        AudioBuffer audio = new AudioBuffer(48_000, 2, TestSignals.sine(440, frames / 24.0, 48_000, 0.2, 0.2));
        long t0 = System.nanoTime();
        EncodeResult r;
        try (EncodeSession s = c.open(new EncodeRequest(dir.resolve("bench-" + w + ".mp4"), w, h, t, audio, Map.of()))) {
            for (int i = 0; i < frames; i++) s.write(pictures[i % pictures.length]);
            r = s.finish();
        }
        double sec = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT, "BENCH %dx%d: %d frames in %.2f s = %.1f fps, %d bytes (%s)%n", w, h, frames, sec,
                frames / sec, r.bytes(), r.videoCodec());
    }
}
