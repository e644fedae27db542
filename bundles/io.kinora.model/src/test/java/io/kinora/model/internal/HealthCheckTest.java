package io.kinora.model.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.kinora.api.media.RgbImage;
import io.kinora.api.video.ModelInfo;
import io.kinora.api.video.RenderReport;
import io.kinora.api.video.VideoModel;
import io.kinora.model.itest.FakeModel;

class HealthCheckTest {

    static final ModelInfo INFO = new ModelInfo("fake", "1.0.0", "f", "");

    @Test
    void movingPicturePasses() {
        FakeModel m = new FakeModel(INFO, "good", 0);
        HealthCheck.run(m);
        assertEquals(1, m.renders.get());
    }

    @Test
    void constantFramesFail() {
        String msg = assertThrows(IllegalStateException.class, () -> HealthCheck.run(new FakeModel(INFO, "constant", 0)))
                .getMessage();
        assertTrue(msg.startsWith("frame 0 is constant"), msg);
    }

    @Test
    void wrongSizeMissingFramesAndBadReportFail() {
        VideoModel wrongSize = new VideoModel() {
            public ModelInfo info() { return INFO; }

            public RenderReport render(io.kinora.api.video.RenderRequest r, io.kinora.api.video.FrameSink s) {
                s.accept(0, new RgbImage(32, 32, new byte[32 * 32 * 3]));
                return new RenderReport(INFO, 1, Map.of());
            }
        };
        assertEquals("frame 0 is 32x32, expected 64x36",
                assertThrows(IllegalStateException.class, () -> HealthCheck.run(wrongSize)).getMessage());
        VideoModel tooFew = new VideoModel() {
            public ModelInfo info() { return INFO; }

            public RenderReport render(io.kinora.api.video.RenderRequest r, io.kinora.api.video.FrameSink s) {
                FakeModel f = new FakeModel(INFO, "good", 0);
                int[] n = {0};
                f.render(r, (i, fr) -> { if (i < 2) { s.accept(i, fr); n[0]++; } });
                return new RenderReport(INFO, n[0], Map.of());
            }
        };
        assertEquals("rendered 2 frames, expected 4",
                assertThrows(IllegalStateException.class, () -> HealthCheck.run(tooFew)).getMessage());
    }
}
