package io.kinora.models.i2v.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import ai.djl.engine.Engine;

import io.kinora.api.media.Cancellation;
import io.kinora.api.media.ProgressListener;
import io.kinora.api.media.RgbImage;
import io.kinora.api.scene.Aspect;
import io.kinora.api.scene.SceneSpec;
import io.kinora.api.timeline.Shot;
import io.kinora.api.timeline.Timeline;
import io.kinora.api.video.RenderReport;
import io.kinora.api.video.RenderRequest;

/** DJL + libtorch 2.7.1 run directly; the TorchScript files are the committed ones made by Debian's torch 1.13. */
class TinyI2vModelTest {

    static TinyI2vModel model;
    static TinyI2vModel unguided;
    static final int W = 96;
    static final int H = 54;

    @BeforeAll
    static void load() throws IOException {
        Engine engine = Engine.getEngine("PyTorch");
        model = new TinyI2vModel(engine, 0, -1, null, TinyI2vModelTest.class.getClassLoader());
        unguided = new TinyI2vModel(engine, 8, 1.0, null, TinyI2vModelTest.class.getClassLoader());
    }

    /** A picture with structure: a bright disk on a diagonal gradient. */
    static RgbImage picture() {
        int w = 160;
        int h = 120;
        byte[] rgb = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int o = (y * w + x) * 3;
                boolean disk = Math.hypot(x - 95, y - 55) < 22;
                rgb[o] = (byte) (disk ? 240 : x * 200 / w);
                rgb[o + 1] = (byte) (disk ? 220 : y * 200 / h);
                rgb[o + 2] = (byte) (disk ? 60 : 120);
            }
        }
        return new RgbImage(w, h, rgb);
    }

    static List<RgbImage> render(TinyI2vModel m, long seed, int frames) {
        SceneSpec scene = new SceneSpec(null, "test", frames / 24.0, 24, null, List.of(Aspect.LANDSCAPE), null, null,
                null, null, null, "en", null, seed);
        Timeline t = new Timeline(frames / 24.0, 24, frames, List.of(), List.of(new Shot(0, frames / 24.0, null)));
        List<RgbImage> out = new ArrayList<>();
        RenderReport r = m.render(new RenderRequest(scene, t, picture(), Aspect.LANDSCAPE, W, H, ProgressListener.NONE,
                Cancellation.NEVER), (i, f) -> {
                    assertEquals(out.size(), i);
                    out.add(f);
                });
        assertEquals(frames, r.frames());
        assertTrue(r.choices().get("sampler").startsWith("flow matching, Euler, "), r.choices().toString());
        return out;
    }

    static double[] luma(RgbImage f) {
        double[] l = new double[f.width() * f.height()];
        byte[] b = f.rgb();
        for (int i = 0; i < l.length; i++) {
            l[i] = 0.299 * (b[3 * i] & 0xff) + 0.587 * (b[3 * i + 1] & 0xff) + 0.114 * (b[3 * i + 2] & 0xff);
        }
        return l;
    }

    static double correlation(double[] a, double[] b) {
        double ma = 0, mb = 0;
        for (int i = 0; i < a.length; i++) {
            ma += a[i];
            mb += b[i];
        }
        ma /= a.length;
        mb /= b.length;
        double sab = 0, saa = 0, sbb = 0;
        for (int i = 0; i < a.length; i++) {
            sab += (a[i] - ma) * (b[i] - mb);
            saa += (a[i] - ma) * (a[i] - ma);
            sbb += (b[i] - mb) * (b[i] - mb);
        }
        return sab / Math.sqrt(saa * sbb);
    }

    /** The input as the model sees it (centre square), cover-fitted to the output size, for comparison. */
    static RgbImage reference() {
        float[] chw = Pixels.coverFitChw(picture(), 64);
        float[] hwc = new float[chw.length];
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < 64 * 64; i++) hwc[i * 3 + c] = chw[c * 64 * 64 + i];
        }
        return Pixels.toFrame(hwc, 64, W, H);
    }

    @Test
    void sameSeedSameFramesOtherSeedOtherFrames() {
        List<RgbImage> a = render(model, 7, 3);
        List<RgbImage> b = render(model, 7, 3);
        for (int i = 0; i < 3; i++) assertArrayEquals(a.get(i).rgb(), b.get(i).rgb(), "frame " + i);
        List<RgbImage> c = render(model, 8, 3);
        assertFalse(java.util.Arrays.equals(a.get(0).rgb(), c.get(0).rgb()), "another seed, another sample");
    }

    @Test
    void samplerReconstructsThePictureAndMoves() {
        List<RgbImage> frames = render(unguided, 1, 5);
        double[] ref = luma(reference());
        double first = correlation(luma(frames.get(0)), ref);
        assertTrue(first > 0.9, "frame 0 follows the picture: correlation " + first);
        for (RgbImage f : frames) {
            assertEquals(W, f.width());
            assertEquals(H, f.height());
        }
        // a push-in: the last frame is the picture zoomed, so it differs from frame 0 but still correlates
        double last = correlation(luma(frames.get(4)), ref);
        assertTrue(last < first - 0.01 && last > 0.5, "frame 4 vs picture " + last + ", frame 0 " + first);
        // guidance 2 amplifies the condition: more contrast than guidance 1
        List<RgbImage> guided = render(model, 1, 1);
        assertTrue(sd(luma(guided.get(0))) > sd(luma(frames.get(0))) * 1.1,
                "guided sd " + sd(luma(guided.get(0))) + " vs " + sd(luma(frames.get(0))));
    }

    static double sd(double[] v) {
        double m = 0, s = 0;
        for (double x : v) m += x;
        m /= v.length;
        for (double x : v) s += (x - m) * (x - m);
        return Math.sqrt(s / v.length);
    }

    @Test
    void cancellationStopsTheRender() {
        SceneSpec scene = new SceneSpec(null, "t", 1.0, 24, null, null, null, null, null, null, null, "en", null, 1L);
        Timeline t = new Timeline(1.0, 24, 24, List.of(), List.of(new Shot(0, 1.0, null)));
        int[] frames = {0};
        assertThrows(Cancellation.CancelledException.class, () -> model.render(new RenderRequest(scene, t, picture(),
                Aspect.LANDSCAPE, W, H, ProgressListener.NONE, () -> frames[0] >= 2), (i, f) -> frames[0]++));
        assertEquals(2, frames[0]);
    }

    @Test
    void fileWithAnotherHashIsRefused() throws IOException {
        I2vDescriptor real = I2vDescriptor.load(getClass().getClassLoader());
        I2vDescriptor wrong = new I2vDescriptor(real.id(), real.version(), real.family(), real.description(),
                real.steps(), real.guidance(), real.latentChannels(), real.latentSize(), real.size(),
                Map.of("encoder.pt", "0".repeat(64)));
        String msg = assertThrows(IOException.class, () -> TorchScriptModule.load(Engine.getEngine("PyTorch"), wrong,
                "encoder.pt", getClass().getClassLoader())).getMessage();
        assertTrue(msg.startsWith("refusing to load encoder.pt: its SHA-256 is "), msg);
    }
}
