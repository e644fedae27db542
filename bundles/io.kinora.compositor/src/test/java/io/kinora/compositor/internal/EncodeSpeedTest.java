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

    /**
     * Realistic load: a textured picture (smooth colour blobs + film grain) twice the frame size, panned diagonally
     * by 3 px per frame, so every frame differs and carries detail. Only write() and finish() are timed.
     */
    private void run(CompositorImpl c, int w, int h, int frames) {
        int bw = w * 2, bh = h * 2;
        byte[] base = new byte[bw * bh * 3];
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(11);
        for (int y = 0; y < bh; y++) {
            for (int x = 0; x < bw; x++) {
                double u = x / (double) bw, v = y / (double) bh;
                for (int ch = 0; ch < 3; ch++) {
                    double smooth = 0.5 + 0.25 * Math.sin(2 * Math.PI * (u * (3 + ch) + v * (2 + ch)))
                            + 0.15 * Math.sin(2 * Math.PI * (u * 11 - v * (7 + ch)));
                    int val = (int) (smooth * 220 + 18 + rnd.nextInt(-12, 13));
                    base[(y * bw + x) * 3 + ch] = (byte) Math.max(0, Math.min(255, val));
                }
            }
        }
        byte[] px = new byte[w * h * 3];
        RgbImage picture = new RgbImage(w, h, px); // the encoder copies on write, so one array is reused
        Timeline t = TestSignals.timeline(frames / 24.0, 24, List.of());
        AudioBuffer audio = new AudioBuffer(48_000, 2, TestSignals.sine(440, frames / 24.0, 48_000, 0.2, 0.2));
        long encodeNanos = 0;
        EncodeResult r;
        try (EncodeSession s = c.open(new EncodeRequest(dir.resolve("bench-" + w + ".mp4"), w, h, t, audio, Map.of()))) {
            for (int i = 0; i < frames; i++) {
                int ox = (i * 3) % (bw - w), oy = (i * 3) % (bh - h);
                for (int y = 0; y < h; y++) System.arraycopy(base, ((y + oy) * bw + ox) * 3, px, y * w * 3, w * 3);
                long t0 = System.nanoTime();
                s.write(picture);
                encodeNanos += System.nanoTime() - t0;
            }
            long t0 = System.nanoTime();
            r = s.finish();
            encodeNanos += System.nanoTime() - t0;
        }
        double sec = encodeNanos / 1e9;
        System.out.printf(Locale.ROOT, "BENCH %dx%d: %d frames in %.2f s = %.1f fps, %.2f Mbit/s (%s)%n", w, h, frames, sec,
                frames / sec, r.bytes() * 8 / (frames / 24.0) / 1e6, r.videoCodec());
    }
}
