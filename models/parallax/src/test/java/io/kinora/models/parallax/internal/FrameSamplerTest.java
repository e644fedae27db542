package io.kinora.models.parallax.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Random;

import org.junit.jupiter.api.Test;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * The Java sampler against warp.pt's own frame (mode 0, the whole frame in TorchScript) on the same inputs: a
 * textured picture, a moving camera with parallax, ripples and drift, a foreground patch, a flickering light region
 * and particles. The two compute the same arithmetic in a different order, so a truncation can fall one level apart;
 * nothing more.
 */
class FrameSamplerTest {

    @Test
    void samplesTheFrameWarpPtRendersFromTheSameCoarseGrid() throws Exception {
        Engine engine = Engine.getEngine("PyTorch");
        ClassLoader loader = FrameSamplerTest.class.getClassLoader();
        int w = 203;
        int h = 117; // not multiples of the lattice step: the last cells are cut
        int pw = 260;
        int ph = 190;
        try (WarpHelper warp = WarpHelper.load(engine, ModelDescriptor.load(loader), loader);
             NDManager m = engine.newBaseManager()) {
            Random rnd = new Random(5);
            NDArray picture = ParallaxRenderer.workingPicture(m, TestScenes.textured(pw, ph), 1).picture();
            float[] near = new float[4 * 32 * 40];
            for (int i = 0; i < near.length; i++) near[i] = rnd.nextFloat();
            NDArray maps = m.create(near, new Shape(1, 4, 32, 40));
            Framing framing = Framing.cover(pw, ph, w, h);
            NDArray lattice = ParallaxRenderer.lattice(m, framing);
            // a feathered disk as the foreground patch (premultiplied, +0.5 x alpha), with a light mask
            int fn = 60;
            float[] patch = new float[5 * fn * fn];
            for (int y = 0; y < fn; y++) {
                for (int x = 0; x < fn; x++) {
                    float a = (float) Math.max(0, Math.min(1, (24 - Math.hypot(x - 30, y - 30)) / 3 + 0.5));
                    int q = y * fn + x;
                    patch[q] = 200.5f * a;
                    patch[fn * fn + q] = 40.5f * a;
                    patch[2 * fn * fn + q] = 90.5f * a;
                    patch[3 * fn * fn + q] = a;
                    patch[4 * fn * fn + q] = x < 30 ? a : 0;
                }
            }
            NDArray fg = m.create(patch, new Shape(1, 5, fn, fn));
            float[] params = new float[WarpHelper.PARAMS];
            double[] img = framing.gridAffine(pw, ph);
            double[] dep = framing.gridAffine(40, 32);
            for (int a = 0; a < 4; a++) {
                params[WarpHelper.IMG_AFFINE + a] = (float) img[a];
                params[WarpHelper.DEPTH_AFFINE + a] = (float) dep[a];
            }
            params[WarpHelper.CX] = 0.02f;
            params[WarpHelper.CY] = -0.01f;
            params[WarpHelper.INV_ZOOM] = 1 / 1.12f;
            params[WarpHelper.TX] = 0.015f;
            params[WarpHelper.TY] = 0.005f;
            params[WarpHelper.DOLLY] = -0.02f;
            params[WarpHelper.FOCAL] = 0.5f;
            params[WarpHelper.OUT_W] = w;
            params[WarpHelper.OUT_H] = h;
            params[WarpHelper.SHIMMER_AMP] = 0.004f;
            params[WarpHelper.SHIMMER_PHASE] = 1.3f;
            params[WarpHelper.SHIMMER_FREQ] = 30f;
            params[WarpHelper.DRIFT_X] = 0.01f;
            params[WarpHelper.FLICKER_GAIN] = 0.3f;
            double[] ax = ParallaxRenderer.FgLayer.axis(0.03, 1 / 1.12 - 0.01, w, img[0], img[2], pw, 100, fn);
            double[] ay = ParallaxRenderer.FgLayer.axis(0.0, 1 / 1.12 - 0.01, h, img[1], img[3], ph, 70, fn);
            params[WarpHelper.FG_AFFINE] = (float) ax[0];
            params[WarpHelper.FG_AFFINE + 1] = (float) ax[1];
            params[WarpHelper.FG_AFFINE + 2] = (float) ay[0];
            params[WarpHelper.FG_AFFINE + 3] = (float) ay[1];
            params[WarpHelper.FG_BOX] = (float) ax[2];
            params[WarpHelper.FG_BOX + 1] = (float) ay[2];
            params[WarpHelper.FG_BOX + 2] = (float) ax[3];
            params[WarpHelper.FG_BOX + 3] = (float) ay[3];
            assertTrue(ax[3] - ax[2] > 20 && ay[3] - ay[2] > 20, "the foreground box is inside the frame");
            // a light region (original pixels + mask) at (30, 40) of the picture
            params[WarpHelper.LIGHT_X0] = 30;
            params[WarpHelper.LIGHT_Y0] = 40;
            NDArray lightMask = m.randomUniform(0f, 1f, new Shape(1, 1, 50, 70));
            NDArray light = picture.get(":, :, 40:90, 30:100").duplicate().concat(lightMask, 1);
            ParticleLayers dots = ParticleLayers.draw(SceneMotion.Particles.SNOW, w, h, 3);
            NDArray particles = m.create(dots.pixels(), new Shape(3, dots.count()));
            params[WarpHelper.PART_N0] = dots.firstLayerCount();
            SceneMotion.Plan plan = new SceneMotion.Plan(0, 0, 0, SceneMotion.Particles.SNOW, 1, 3, 0, new double[3],
                    new double[2], "test");
            dots.apply(plan, 0.7, 1, params);
            assertTrue(dots.count() > 0, "some particles");

            FrameSampler sampler = new FrameSampler(picture, light, fg, dots, 30, 40, w, h);
            for (NDArray layer : new NDArray[] {m.zeros(new Shape(1, 5, 0, 0)), fg}) {
                FrameSampler s = layer == fg ? sampler
                        : new FrameSampler(picture, light, layer, dots, 30, 40, w, h);
                byte[] torch;
                byte[] java = new byte[w * h * 3];
                try (NDManager fm = m.newSubManager()) {
                    params[WarpHelper.MODE] = 0;
                    ByteBuffer b = warp.render(fm, params, picture, maps, lattice, particles, light, layer)
                            .toByteBuffer(true);
                    torch = new byte[b.remaining()];
                    b.get(torch);
                    params[WarpHelper.MODE] = 1;
                    float[] coarse = warp.render(fm, params, picture, maps, lattice, particles, light, layer)
                            .toFloatArray();
                    s.render(params, coarse, ParallaxRenderer.points(w), ParallaxRenderer.points(h), java);
                }
                assertTrue(torch.length == java.length, "same size");
                int max = 0;
                int differ = 0;
                for (int i = 0; i < torch.length; i++) {
                    int d = Math.abs((torch[i] & 0xff) - (java[i] & 0xff));
                    max = Math.max(max, d);
                    if (d > 0) differ++;
                }
                assertTrue(max <= 1, "at most one level apart, was " + max);
                assertTrue(differ < torch.length / 100, differ + " of " + torch.length + " bytes differ");
                // and the same input gives the same bytes again
                byte[] again = new byte[java.length];
                try (NDManager fm = m.newSubManager()) {
                    float[] coarse = warp.render(fm, params, picture, maps, lattice, particles, light, layer)
                            .toFloatArray();
                    s.render(params, coarse, ParallaxRenderer.points(w), ParallaxRenderer.points(h), again);
                }
                assertArrayEquals(java, again);
            }
        }
    }
}
