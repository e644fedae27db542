package io.kinora.model.itest;

import io.kinora.api.media.RgbImage;
import io.kinora.api.media.StageException;
import io.kinora.api.video.FrameSink;
import io.kinora.api.video.ModelInfo;
import io.kinora.api.video.RenderReport;
import io.kinora.api.video.RenderRequest;
import io.kinora.api.video.VideoModel;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test video model without an engine: renders a moving gradient (frame i shifted by i pixels), waiting
 * {@code frameMillis} per frame so that jobs stay in flight. Behaviours: {@code good}; {@code constant} (grey
 * frames: fails the health check); {@code flaky} (passes the 64x36 health check, throws on every other render).
 */
public final class FakeModel implements VideoModel {

    private final ModelInfo info;
    private final String behaviour;
    private final long frameMillis;
    public final AtomicInteger renders = new AtomicInteger();
    public final AtomicInteger running = new AtomicInteger();

    public FakeModel(ModelInfo info, String behaviour, long frameMillis) {
        this.info = info;
        this.behaviour = behaviour;
        this.frameMillis = frameMillis;
    }

    @Override
    public ModelInfo info() { return info; }

    @Override
    public RenderReport render(RenderRequest request, FrameSink sink) {
        renders.incrementAndGet();
        running.incrementAndGet();
        try {
            int w = request.width();
            int h = request.height();
            if ("flaky".equals(behaviour) && !(w == 64 && h == 36)) {
                throw new StageException("flaky model " + info + " failed on purpose");
            }
            int n = request.timeline().frameCount();
            for (int i = 0; i < n; i++) {
                request.cancellation().check();
                if (frameMillis > 0) {
                    try {
                        Thread.sleep(frameMillis);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new StageException("interrupted");
                    }
                }
                byte[] rgb = new byte[w * h * 3];
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        int o = (y * w + x) * 3;
                        if ("constant".equals(behaviour)) {
                            rgb[o] = rgb[o + 1] = rgb[o + 2] = (byte) 128;
                        } else {
                            rgb[o] = (byte) ((x + i) * 4);
                            rgb[o + 1] = (byte) (y * 6);
                            rgb[o + 2] = (byte) 90;
                        }
                    }
                }
                sink.accept(i, new RgbImage(w, h, rgb));
            }
            return new RenderReport(info, n, Map.of("behaviour", behaviour));
        } finally {
            running.decrementAndGet();
        }
    }
}
