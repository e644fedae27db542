package io.kinora.models.parallax.internal;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import ai.djl.engine.Engine;
import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.util.NDImageUtils;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.kinora.api.media.Cancellation;
import io.kinora.api.media.ProgressListener;
import io.kinora.api.media.RgbImage;
import io.kinora.api.media.StageException;
import io.kinora.api.scene.CameraMove;
import io.kinora.api.scene.SceneSpec;
import io.kinora.api.timeline.Timeline;
import io.kinora.api.video.FrameSink;
import io.kinora.api.video.ModelInfo;
import io.kinora.api.video.RenderReport;
import io.kinora.api.video.RenderRequest;
import io.kinora.api.vision.CharacterPlacement;
import io.kinora.api.vision.FaceDetector;
import io.kinora.api.vision.Inpainter;

/**
 * Renders renditions with the parallax model. Per rendition (once): cover-fit geometry, working picture, depth
 * estimate, camera plan, coarse output lattice. Per frame: a 17-float parameter vector, one TorchScript call that
 * returns the finished uint8 frame, one copy into the frame's byte array. Thread-safe: every render owns its
 * {@link NDManager}; the shared {@link WarpHelper} is stateless.
 */
final class ParallaxRenderer {

    private static final Logger LOG = LoggerFactory.getLogger(ParallaxRenderer.class);

    /**
     * Output pixels between coarse lattice points (the step warp.pt expects); the grid is upsampled bilinearly
     * (exact for the camera part).
     */
    static final int LATTICE_STEP = 8;
    /** The working picture is downscaled only when the source has at least 1/0.8 = 1.25x the pixels needed. */
    private static final double DOWNSCALE_BELOW = 0.8;
    /**
     * Whether warp.pt renders the whole frame (its mode 0: the full-resolution grid, {@code grid_sample}, composite,
     * cast and particles in TorchScript) instead of {@link FrameSampler} (the default: warp.pt computes the coarse
     * grid, Java does the rest in one pass). For A/B benchmarks only (PerformanceTest); read when a render starts.
     */
    static volatile boolean torchFrames;

    /** Operator settings (see the component's configuration). */
    record Settings(double parallaxStrength, double focusStrength, double motionStrength) {
        static final Settings DEFAULT = new Settings(1.0, 1.0, 1.0);
    }

    private final Engine engine;
    private final WarpHelper warp;
    private final ModelInfo info;
    private final ModelDescriptor.Limits limits;
    private final Settings settings;

    ParallaxRenderer(Engine engine, WarpHelper warp, ModelInfo info, ModelDescriptor.Limits limits, Settings settings) {
        this.engine = engine;
        this.warp = warp;
        this.info = info;
        this.limits = limits;
        this.settings = settings;
    }

    /** The optional vision services of io.kinora.vision (either may be {@code null}: not installed). */
    record Vision(FaceDetector faces, Inpainter inpainter) {
        static final Vision NONE = new Vision(null, null);
    }

    RenderReport render(RenderRequest request, FrameSink sink) {
        return render(request, sink, Vision.NONE);
    }

    RenderReport render(RenderRequest request, FrameSink sink, Vision vision) {
        validate(request, sink);
        // characters without a position are placed on the faces found in the picture (when a detector is installed)
        CharacterPlacement.Result placement = CharacterPlacement.place(request.scene(), request.image(), vision.faces());
        SceneSpec scene = placement.scene();
        Timeline timeline = request.timeline();
        RgbImage image = request.image();
        int outW = request.width();
        int outH = request.height();
        int frames = timeline.frameCount();
        Cancellation cancel = request.cancellation() == null ? Cancellation.NEVER : request.cancellation();
        ProgressListener progress = request.progress() == null ? ProgressListener.NONE : request.progress();
        double intensity = scene.camera().intensity();
        boolean easing = scene.camera().easing();

        PromptCamera.Choice choice = PromptCamera.choose(scene.camera(), scene.prompt());
        CameraMove move = intensity > 0 ? choice.move() : CameraMove.STATIC;

        // Working resolution: enough picture for the tightest frame of the clip (planned with the largest possible
        // parallax), never more than the source.
        Framing source = Framing.cover(image.width(), image.height(), outW, outH);
        FocusTrack roughFocus = FocusTrack.of(timeline, scene, source, settings.focusStrength());
        double maxZoom = CameraPlan.plan(move, intensity, easing, frames, timeline.fps(), scene.seed(), source,
                roughFocus, 1.0, settings.parallaxStrength(), 0.03, 0.01).maxZoom();
        double scale = Math.min(1, outW * maxZoom / source.cropW());
        if (scale > DOWNSCALE_BELOW) scale = 1;

        cancel.check();
        long t0 = System.nanoTime();
        try (NDManager manager = engine.newBaseManager()) {
            Working working = workingPicture(manager, image, scale);
            Framing centred = Framing.cover(working.sourceW, working.sourceH, outW, outH)
                    .resampled(working.width, working.height);
            DepthEstimator.Depth depth = DepthEstimator.estimate(working.picture, manager);
            Layers.Result layers = settings.parallaxStrength() > 0
                    ? Layers.separate(manager, working.picture, depth.map(), seeds(scene, placement.faceHeights()),
                            new double[] {depth.subjectX(), depth.subjectY()}, vision.inpainter())
                    : new Layers.Result(working.picture, depth.map(), manager.zeros(new Shape(1, 5, 0, 0)), 0, 0, 0, 0,
                            "single layer: parallax.strength is 0");
            if (layers.layered()) working = new Working(layers.plate(), working.width, working.height,
                    working.sourceW, working.sourceH);
            SubjectFrame.Choice crop = SubjectFrame.choose(request.aspect(), centred, scene, timeline,
                    depth.subjectX(), depth.subjectY());
            Framing framing = crop.framing();
            FocusTrack focus = FocusTrack.of(timeline, scene, framing, settings.focusStrength(), crop.followSpeaker());
            SceneMotion.Plan motion = SceneMotion.plan(SceneMotion.wish(scene.prompt()), depth.coverage(),
                    settings.motionStrength(), frames / (double) timeline.fps(), scene.seed());
            CameraPlan plan = CameraPlan.plan(move, intensity, easing, frames, timeline.fps(), scene.seed(), framing,
                    focus, depth.spread(), settings.parallaxStrength(), motion.maxDisplacementX(),
                    motion.maxDisplacementY());
            NDArray lattice = lattice(manager, framing);
            float[] params = new float[WarpHelper.PARAMS];
            NDArray picture = working.picture;
            NDArray maps = layers.maps();
            NDArray fg = layers.fg();
            FgLayer fgLayer = layers.layered() ? new FgLayer(framing, working.width, working.height, layers, depth.focal(),
                    outW, outH) : null;
            NDArray light = motion.flickers() ? lightPatch(manager, working, depth.map(), params)
                    : manager.zeros(new Shape(1, 4, 0, 0));
            ParticleLayers dots = motion.particles() == SceneMotion.Particles.NONE ? null
                    : ParticleLayers.draw(motion.particles(), outW, outH, scene.seed());
            NDArray particles = dots == null ? manager.zeros(new Shape(3, 0))
                    : manager.create(dots.pixels(), new Shape(3, dots.count()));
            if (dots != null) params[WarpHelper.PART_N0] = dots.firstLayerCount();

            double[] img = framing.gridAffine(working.width, working.height);
            long[] ds = depth.map().getShape().getShape();
            double[] dep = framing.gridAffine((int) ds[3], (int) ds[2]);
            for (int a = 0; a < 4; a++) {
                params[WarpHelper.IMG_AFFINE + a] = (float) img[a];
                params[WarpHelper.DEPTH_AFFINE + a] = (float) dep[a];
            }
            params[WarpHelper.FOCAL] = depth.focal();
            params[WarpHelper.OUT_W] = outW;
            params[WarpHelper.OUT_H] = outH;
            FrameSampler sampler = torchFrames ? null : new FrameSampler(picture, light, fg, dots,
                    (int) params[WarpHelper.LIGHT_X0], (int) params[WarpHelper.LIGHT_Y0], outW, outH);
            params[WarpHelper.MODE] = sampler == null ? 0 : 1;
            int gw = points(outW);
            int gh = points(outH);
            long prep = System.nanoTime() - t0;

            int reported = -1;
            // with the Java sampler, the next frame's coarse grid (a TorchScript call: mostly waiting for its
            // intra-op threads on a busy box) is computed on a second thread while this frame is sampled
            ExecutorService ahead = sampler == null ? null : Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "parallax-grid");
                t.setDaemon(true);
                return t;
            });
            Future<float[]> grid = null;
            try {
                float[] current = null;
                for (int i = 0; i < frames; i++) {
                    cancel.check();
                    byte[] rgb = new byte[outW * outH * 3];
                    if (sampler != null) {
                        if (grid == null) {
                            current = frameParams(plan, i, motion, dots, timeline.fps(), fgLayer, params);
                            grid = coarseGrid(ahead, manager, current, picture, maps, lattice, particles, light, fg);
                        }
                        float[] coarse = await(grid);
                        float[] p = current;
                        grid = null;
                        if (i + 1 < frames) {
                            current = frameParams(plan, i + 1, motion, dots, timeline.fps(), fgLayer, params);
                            grid = coarseGrid(ahead, manager, current, picture, maps, lattice, particles, light, fg);
                        }
                        sampler.render(p, coarse, gw, gh, rgb);
                    } else {
                        float[] p = frameParams(plan, i, motion, dots, timeline.fps(), fgLayer, params);
                        try (NDManager frameManager = manager.newSubManager()) {
                            NDArray frame = warp.render(frameManager, p, picture, maps, lattice, particles, light, fg);
                            ByteBuffer bytes = frame.toByteBuffer(true);
                            if (bytes.remaining() != rgb.length) {
                                throw new IllegalStateException("warp returned " + bytes.remaining() + " bytes for a "
                                        + outW + "x" + outH + " frame");
                            }
                            bytes.get(rgb);
                        }
                    }
                    sink.accept(i, new RgbImage(outW, outH, rgb));
                    int percent = (int) ((i + 1) * 100L / frames);
                    if (percent != reported) {
                        reported = percent;
                        progress.progress((i + 1) / (double) frames, "frame " + (i + 1) + " of " + frames);
                    }
                }
            } finally {
                if (ahead != null) {
                    // a grid still being computed (cancelled or failed render) finishes before the manager closes
                    if (grid != null) {
                        try {
                            grid.get();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        } catch (ExecutionException e) {
                            // the render is already failing or cancelled
                        }
                    }
                    ahead.shutdown();
                }
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            LOG.debug("parallax {}x{}: {} frames in {} s (preparation {} ms)", outW, outH, frames,
                    String.format(Locale.ROOT, "%.2f", seconds), prep / 1_000_000);

            Map<String, String> choices = new LinkedHashMap<>();
            choices.put("camera", intensity > 0 ? choice.reason()
                    : "static: camera.intensity is 0 (" + choice.reason() + ")");
            choices.put("camera.path", plan.describe(intensity) + (easing ? ", cosine easing" : ", linear"));
            choices.put("framing", String.format(Locale.ROOT,
                    "cover-fit of the %dx%d picture with %.0f %% overscan, %s; working picture %dx%d; frame 0 %s",
                    image.width(), image.height(), CameraPlan.OVERSCAN * 100, crop.reason(), working.width, working.height,
                    plan.restAtStart() ? "is the fitted picture" : "is the tight end of the pull-out, the last frame the fitted picture"));
            choices.put("depth", String.format(Locale.ROOT, "%s; focal nearness %.2f, spread %.2f",
                    DepthEstimator.METHOD, depth.focal(), depth.spread()));
            choices.put("layers", layers.summary());
            choices.put("parallax", String.format(Locale.ROOT,
                    "strength %.2f: displacement = (nearness - focal) x camera travel (lateral %.2f, axial %.2f)",
                    settings.parallaxStrength(), CameraPlan.LATERAL * settings.parallaxStrength(),
                    CameraPlan.AXIAL * settings.parallaxStrength()));
            if (placement.summary() != null) choices.put("characters", placement.summary());
            choices.put("focus", focus.summary());
            choices.put("motion", motion.summary());
            choices.put("motion.regions", String.format(Locale.ROOT, "%s: water %.0f %%, sky %.0f %%, light %.1f %%",
                    DepthEstimator.MASKS, depth.coverage()[0] * 100, depth.coverage()[1] * 100, depth.coverage()[2] * 100));
            List<String> seeded = new ArrayList<>();
            if (move == CameraMove.HANDHELD) seeded.add("the hand-held drift");
            if (motion.any()) seeded.add("the scene motion's phases" + (dots != null ? " and the particle layout" : ""));
            choices.put("seed", seeded.isEmpty()
                    ? scene.seed() + ": not used by this clip (nothing random was chosen; same input, same frames)"
                    : scene.seed() + ": decides " + String.join(" and ", seeded) + " (same seed, same frames)");
            return new RenderReport(info, frames, choices);
        } catch (Cancellation.CancelledException | StageException e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.error("parallax render failed", e);
            throw new StageException("the parallax model could not render the clip: " + e.getMessage(), e);
        }
    }

    /** The parameters of frame {@code i}: updates the running {@code params} and returns a copy of them. */
    private static float[] frameParams(CameraPlan plan, int i, SceneMotion.Plan motion, ParticleLayers dots, int fps,
                                       FgLayer fgLayer, float[] params) {
        CameraPlan.Pose pose = plan.pose(i);
        params[WarpHelper.CX] = (float) pose.cx();
        params[WarpHelper.CY] = (float) pose.cy();
        params[WarpHelper.INV_ZOOM] = (float) (1 / pose.zoom());
        params[WarpHelper.TX] = (float) pose.tx();
        params[WarpHelper.TY] = (float) pose.ty();
        params[WarpHelper.DOLLY] = (float) pose.dolly();
        SceneMotion.apply(motion, dots, i / (double) fps, params);
        if (fgLayer != null) fgLayer.params(pose, params);
        return params.clone();
    }

    /** warp.pt in mode 1 on the second thread: the coarse grid (gh, gw, 2) of the frame {@code p} describes. */
    private Future<float[]> coarseGrid(ExecutorService ahead, NDManager manager, float[] p, NDArray picture,
                                       NDArray maps, NDArray lattice, NDArray particles, NDArray light, NDArray fg) {
        return ahead.submit(() -> {
            try (NDManager frameManager = manager.newSubManager()) {
                return warp.render(frameManager, p, picture, maps, lattice, particles, light, fg).toFloatArray();
            }
        });
    }

    private static float[] await(Future<float[]> grid) {
        try {
            return grid.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the frame's sampling grid was computed", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new IllegalStateException(e.getCause());
        }
    }

    private void validate(RenderRequest r, FrameSink sink) {
        if (r == null) throw new StageException("the render request is missing");
        if (sink == null) throw new StageException("the render request has no frame sink");
        if (r.scene() == null) throw new StageException("the render request has no scene");
        if (r.timeline() == null) throw new StageException("the render request has no timeline");
        if (r.image() == null) throw new StageException("the render request has no source image");
        int min = limits.minSize();
        if (r.width() < min || r.height() < min || r.width() > limits.maxWidth() || r.height() > limits.maxHeight()) {
            throw new StageException("output size " + r.width() + "x" + r.height() + " is outside what the parallax model renders ("
                    + min + "x" + min + " to " + limits.maxWidth() + "x" + limits.maxHeight() + ")");
        }
        Timeline t = r.timeline();
        if (t.frameCount() < 1) throw new StageException("the timeline has no frames");
        if (t.frameCount() > limits.maxFrames()) {
            throw new StageException("the timeline has " + t.frameCount() + " frames; the parallax model renders at most "
                    + limits.maxFrames());
        }
        if (t.fps() < 1) throw new StageException("the timeline's frame rate must be positive, was " + t.fps());
        RgbImage img = r.image();
        if (img.width() < 2 || img.height() < 2) {
            throw new StageException("the source image is " + img.width() + "x" + img.height() + "; it must be at least 2x2");
        }
        if ((long) img.width() * img.height() > limits.maxSourcePixels()) {
            throw new StageException("the source image has " + ((long) img.width() * img.height()) + " pixels; the limit is "
                    + limits.maxSourcePixels());
        }
        double s = r.scene().camera().intensity();
        if (!Double.isFinite(s) || s < 0 || s > 1) {
            throw new StageException("camera.intensity must be between 0 and 1, was " + s);
        }
    }

    /**
     * Character positions (fractions of the source picture, which the working picture covers), with the face height
     * as a third value where the position comes from a detected face.
     */
    private static List<double[]> seeds(SceneSpec scene, Map<String, Double> faceHeights) {
        List<double[]> out = new ArrayList<>();
        if (scene.characters() == null) return out;
        for (var c : scene.characters()) {
            if (c.position() == null) continue;
            Double face = faceHeights.get(c.id());
            out.add(face == null ? new double[] {c.position().x(), c.position().y()}
                    : new double[] {c.position().x(), c.position().y(), face});
        }
        return out;
    }

    /**
     * The foreground layer's per-frame sampling: it moves as one plane at its own nearness k (relative to the focal
     * plane), v = c + k t + u (1/zoom + k dolly) in view units, which makes its patch coordinate an affine function
     * of the output pixel. Writes that function and the output box the patch can reach into the parameters.
     */
    static final class FgLayer {
        private final double[] img;
        private final int picW;
        private final int picH;
        private final int x0;
        private final int y0;
        private final int pw;
        private final int ph;
        private final double k;
        private final int outW;
        private final int outH;

        FgLayer(Framing framing, int picW, int picH, Layers.Result layers, float focal, int outW, int outH) {
            this.img = framing.gridAffine(picW, picH);
            this.picW = picW;
            this.picH = picH;
            this.x0 = layers.x0();
            this.y0 = layers.y0();
            this.pw = (int) layers.fg().getShape().get(3);
            this.ph = (int) layers.fg().getShape().get(2);
            this.k = layers.nearness() - focal;
            this.outW = outW;
            this.outH = outH;
        }

        void params(CameraPlan.Pose pose, float[] params) {
            double inv = 1 / pose.zoom();
            double[] ax = axis(pose.cx() + k * pose.tx(), inv + k * pose.dolly(), outW, img[0], img[2], picW, x0, pw);
            double[] ay = axis(pose.cy() + k * pose.ty(), inv + k * pose.dolly(), outH, img[1], img[3], picH, y0, ph);
            params[WarpHelper.FG_AFFINE] = (float) ax[0];
            params[WarpHelper.FG_AFFINE + 1] = (float) ax[1];
            params[WarpHelper.FG_AFFINE + 2] = (float) ay[0];
            params[WarpHelper.FG_AFFINE + 3] = (float) ay[1];
            params[WarpHelper.FG_BOX] = (float) ax[2];
            params[WarpHelper.FG_BOX + 1] = (float) ay[2];
            params[WarpHelper.FG_BOX + 2] = (float) ax[3];
            params[WarpHelper.FG_BOX + 3] = (float) ay[3];
        }

        /**
         * One axis: output pixel i -> u = 2 (i + 0.5) / out - 1 -> v = c + a u -> picture grid g = s v + o ->
         * picture pixel (g + 1) (pic - 1) / 2 -> patch grid. Returns {scale, offset, first pixel, end pixel}.
         */
        static double[] axis(double c, double a, int out, double s, double o, int pic, int p0, int pn) {
            double[] f = new double[2];
            for (int i = 0; i < 2; i++) {
                double u = 2 * (i + 0.5) / out - 1;
                double g = s * (c + a * u) + o;
                double px = (g + 1) * (pic - 1) / 2;
                f[i] = (px - p0) * 2 / Math.max(1, pn - 1) - 1;
            }
            double scale = f[1] - f[0];
            double offset = f[0];
            double lo = (-1 - offset) / scale;
            double hi = (1 - offset) / scale;
            int first = (int) Math.max(0, Math.min(out, Math.floor(Math.min(lo, hi))));
            int end = (int) Math.max(0, Math.min(out, Math.ceil(Math.max(lo, hi)) + 1));
            return new double[] {scale, offset, first, end};
        }
    }

    /** The picture the frames sample: (1, 3, h, w) float32, pixel value + 0.5, NCHW contiguous. */
    record Working(NDArray picture, int width, int height, int sourceW, int sourceH) {
    }

    /**
     * Builds the working picture. Large reductions start with an integer box average in Java (one pass over the
     * bytes, bounded memory, and it de-interleaves RGB into planes); the rest is DJL's antialiased bilinear resize.
     *
     * @param scale target size relative to the source (1 = keep)
     */
    static Working workingPicture(NDManager manager, RgbImage image, double scale) {
        int sw = image.width();
        int sh = image.height();
        int k = Math.max(1, (int) Math.floor(1 / scale));
        int bw = Math.max(1, sw / k);
        int bh = Math.max(1, sh / k);
        byte[] planes = boxPlanes(image, k, bw, bh);
        int tw = Math.max(2, (int) Math.round(sw * scale));
        int th = Math.max(2, (int) Math.round(sh * scale));
        if (scale >= 1) {
            tw = bw;
            th = bh;
        }
        try (NDManager tmp = manager.newSubManager()) {
            NDArray x = tmp.create(ByteBuffer.wrap(planes), new Shape(1, 3, bh, bw), DataType.UINT8)
                    .toType(DataType.FLOAT32, false);
            if (tw != bw || th != bh) {
                // DJL resizes NHWC; the transposed view keeps the result's storage NCHW-contiguous
                x = NDImageUtils.resize(x.transpose(0, 2, 3, 1), tw, th, Image.Interpolation.BILINEAR)
                        .transpose(0, 3, 1, 2);
            }
            NDArray picture = x.add(0.5f);
            picture.attach(manager);
            // the box pass drops up to k-1 edge pixels: the picture covers the first bw*k x bh*k source pixels
            return new Working(picture, tw, th, bw * k, bh * k);
        }
    }

    /** Averages k x k blocks and de-interleaves RGB into three planes (k = 1: de-interleave only). */
    static byte[] boxPlanes(RgbImage image, int k, int bw, int bh) {
        byte[] src = image.rgb();
        int sw = image.width();
        int plane = bw * bh;
        byte[] out = new byte[plane * 3];
        if (k == 1) {
            for (int p = 0, s = 0; p < plane; p++, s += 3) {
                out[p] = src[s];
                out[plane + p] = src[s + 1];
                out[2 * plane + p] = src[s + 2];
            }
            return out;
        }
        int[] acc = new int[bw * 3];
        int area = k * k;
        for (int by = 0; by < bh; by++) {
            java.util.Arrays.fill(acc, 0);
            for (int dy = 0; dy < k; dy++) {
                int row = (by * k + dy) * sw * 3;
                for (int bx = 0; bx < bw; bx++) {
                    int s = row + bx * k * 3;
                    int r = 0;
                    int g = 0;
                    int b = 0;
                    for (int dx = 0; dx < k; dx++, s += 3) {
                        r += src[s] & 0xff;
                        g += src[s + 1] & 0xff;
                        b += src[s + 2] & 0xff;
                    }
                    acc[bx * 3] += r;
                    acc[bx * 3 + 1] += g;
                    acc[bx * 3 + 2] += b;
                }
            }
            int o = by * bw;
            for (int bx = 0; bx < bw; bx++) {
                out[o + bx] = (byte) ((acc[bx * 3] + area / 2) / area);
                out[plane + o + bx] = (byte) ((acc[bx * 3 + 1] + area / 2) / area);
                out[2 * plane + o + bx] = (byte) ((acc[bx * 3 + 2] + area / 2) / area);
            }
        }
        return out;
    }

    /**
     * The light region's patch for flicker: the bounding box of the light mask (above 2 %) in working pixels, as
     * (1, 4, hb, wb): the picture's original pixels (a copy: the warp rewrites the picture there every frame) and
     * the mask. Writes the patch position into {@code params}.
     */
    static NDArray lightPatch(NDManager manager, Working working, NDArray maps, float[] params) {
        try (NDManager tmp = manager.newSubManager()) {
            maps.tempAttach(tmp);
            NDArray mask = NDImageUtils.resize(maps.get(":, 3:4").transpose(0, 2, 3, 1), working.width,
                    working.height, Image.Interpolation.BILINEAR).transpose(0, 3, 1, 2);
            boolean[] rows = mask.max(new int[] {3}).gt(0.02f).toBooleanArray();
            boolean[] cols = mask.max(new int[] {2}).gt(0.02f).toBooleanArray();
            int y0 = first(rows);
            int x0 = first(cols);
            if (y0 < 0 || x0 < 0) return manager.zeros(new Shape(1, 4, 0, 0));
            int y1 = last(rows) + 1;
            int x1 = last(cols) + 1;
            String box = ":, :, " + y0 + ":" + y1 + ", " + x0 + ":" + x1;
            working.picture.tempAttach(tmp);
            NDArray patch = working.picture.get(box).concat(mask.get(box), 1);
            patch.attach(manager);
            params[WarpHelper.LIGHT_X0] = x0;
            params[WarpHelper.LIGHT_Y0] = y0;
            return patch;
        }
    }

    private static int first(boolean[] b) {
        for (int i = 0; i < b.length; i++) if (b[i]) return i;
        return -1;
    }

    private static int last(boolean[] b) {
        for (int i = b.length - 1; i >= 0; i--) if (b[i]) return i;
        return -1;
    }

    /**
     * (1, h, w, 2) output units (x, y) on a lattice with a point at every {@link #LATTICE_STEP}-th output pixel
     * centre on both axes, from pixel 0 to the first multiple of the step at or past the last pixel (so the last
     * points may lie up to 7 px beyond the frame: the values there extrapolate the same formulas). Every cell is
     * then exactly 8 x 8 output pixels and warp.pt upsamples the grid with one broadcast blend per axis.
     */
    static NDArray lattice(NDManager manager, Framing framing) {
        int w = points(framing.outW());
        int h = points(framing.outH());
        float[] data = new float[h * w * 2];
        for (int j = 0; j < h; j++) {
            double uy = framing.outputUy(j * LATTICE_STEP);
            for (int i = 0; i < w; i++) {
                data[(j * w + i) * 2] = (float) framing.outputUx(i * LATTICE_STEP);
                data[(j * w + i) * 2 + 1] = (float) uy;
            }
        }
        return manager.create(data, new Shape(1, h, w, 2));
    }

    /** Lattice points along an axis of {@code size} pixels: cells of 8 pixels covering it, plus one. */
    static int points(int size) {
        return (size + LATTICE_STEP - 1) / LATTICE_STEP + 1;
    }
}
