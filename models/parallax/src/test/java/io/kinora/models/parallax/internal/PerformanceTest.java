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

    /**
     * The two-layer path: the same sizes with a large distinct subject (a yellow disk, 12.5 % of the picture) that
     * the matte separates, so every frame also samples and composites the foreground patch.
     */
    @Test
    void perFrameTimesWithASeparatedSubject() {
        for (int pass = 0; pass < 2; pass++) {
            measure(1280, 720, 1600, 1200, "pan right", 72, true);
            measure(1920, 1080, 2400, 1800, "pan right", 72, true);
        }
        // the same with the background plate inpainted by io.kinora.vision (preparation cost: the first frame)
        model.vision(null, io.kinora.vision.internal.VisionServices.inpainter(
                System.getProperty("java.io.tmpdir") + "/kinora-parallax-bench"));
        try {
            for (int pass = 0; pass < 2; pass++) {
                measure(1280, 720, 1600, 1200, "pan right", 72, true);
                measure(1920, 1080, 2400, 1800, "pan right", 72, true);
            }
        } finally {
            model.vision(null, null);
        }
    }

    /**
     * The background plate's preparation with and without inpainting (io.kinora.vision, Telea), A/B call by call on
     * the two-layer test picture at the working sizes of 720p and 1080p: minimum and median of 7 calls each.
     */
    @Test
    void plateFillCost() {
        io.kinora.api.vision.Inpainter telea = io.kinora.vision.internal.VisionServices.inpainter(
                System.getProperty("java.io.tmpdir") + "/kinora-parallax-bench");
        for (int[] size : new int[][] {{1600, 1200}, {2400, 1800}}) {
            RgbImage image = TestScenes.textured(size[0], size[1]);
            TestScenes.disk(image, size[0] * 0.45, size[1] * 0.5, size[1] * 0.2, 250, 245, 30);
            try (ai.djl.ndarray.NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
                ParallaxRenderer.Working working = ParallaxRenderer.workingPicture(m, image, 1);
                DepthEstimator.Depth depth = DepthEstimator.estimate(working.picture(), m);
                double[] subject = {depth.subjectX(), depth.subjectY()};
                double[][] ms = new double[2][7];
                String[] summary = new String[2];
                for (int i = 0; i < 8; i++) {
                    for (int k = 0; k < 2; k++) {
                        try (ai.djl.ndarray.NDManager sub = m.newSubManager()) {
                            long t0 = System.nanoTime();
                            Layers.Result r = Layers.separate(sub, working.picture(), depth.map(), java.util.List.of(),
                                    subject, k == 0 ? null : telea);
                            if (i > 0) ms[k][i - 1] = (System.nanoTime() - t0) / 1e6;
                            summary[k] = r.summary();
                        }
                    }
                }
                for (double[] a : ms) Arrays.sort(a);
                System.out.println(String.format(Locale.ROOT, "layers at %dx%d: rows min %.0f / median %.0f ms, inpainted"
                        + " min %.0f / median %.0f ms (%s)", size[0], size[1], ms[0][0], ms[0][3], ms[1][0], ms[1][3],
                        summary[1].replaceAll(".*(inpainted[^;]*);.*", "$1")));
            }
        }
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
        measure(w, h, sw, sh, prompt, frames, false);
    }

    private static void measure(int w, int h, int sw, int sh, String prompt, int frames, boolean subject) {
        measure(model, w, h, sw, sh, prompt, frames, subject, true);
    }

    /** Renders one clip; returns {median ms per frame, mean ms per frame} over frames 2..n. */
    private static double[] measure(ParallaxVideoModel model, int w, int h, int sw, int sh, String prompt, int frames,
                                    boolean subject, boolean print) {
        RgbImage image = TestScenes.textured(sw, sh);
        if (subject) {
            TestScenes.disk(image, sw * 0.45, sh * 0.5, sh * 0.2, 250, 245, 30);
        } else {
            TestScenes.disk(image, sw * 0.7, sh * 0.75, sh * 0.06, 255, 170, 60);
        }
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
        if (!print) return new double[] {sorted[sorted.length / 2], mean};
        System.out.println("motion: " + report.choices().get("motion") + "; layers: " + report.choices().get("layers"));
        System.out.println(String.format(Locale.ROOT,
                "%dx%d from %dx%d: first frame (incl. preparation) %.1f ms; frames 2..%d median %.2f ms, mean %.2f ms,"
                        + " p90 %.2f ms -> %.1f fps (mean)",
                w, h, sw, sh, prep, frames, sorted[sorted.length / 2], mean, sorted[(int) (sorted.length * 0.9)],
                1000 / mean));
        return new double[] {sorted[sorted.length / 2], mean};
    }

    /**
     * Whole renders (72 frames) with this build's warp.pt and a baseline's ({@code -Dparallax.bench.baseline=DIR},
     * as for {@link #warpAgainstBaseline}), taking turns clip by clip for {@code -Dparallax.bench.rounds} rounds (3):
     * 720p and 1080p, single layer (push-in) and two layers (pan over a separated disk). Both use this build's
     * Java side: a baseline older than the 8-pixel lattice then does its old work on the same lattice shape (the
     * point counts agree at these sizes) with its frames up to 7/8 px stretched, which changes nothing in its cost.
     * Prints each round and the medians of the rounds; skipped without the property.
     */
    @Test
    void renderAgainstBaseline() throws Exception {
        String dir = System.getProperty("parallax.bench.baseline");
        org.junit.jupiter.api.Assumptions.assumeTrue(dir != null, "no -Dparallax.bench.baseline=DIR");
        String path = dir.split(",")[0].replace(":spanning", "");
        int rounds = Integer.getInteger("parallax.bench.rounds", 3);
        ClassLoader loader = new java.net.URLClassLoader(new java.net.URL[] {java.nio.file.Path.of(path).toUri().toURL()},
                null);
        boolean javaBaseline = "java".equals(System.getProperty("parallax.bench.baselineSampler"));
        ParallaxRenderer.torchFrames = !javaBaseline; // the start-up check renders too
        ParallaxVideoModel baseline;
        try {
            baseline = new ParallaxVideoModel(Engine.getEngine("PyTorch"), ParallaxRenderer.Settings.DEFAULT, null, loader);
        } finally {
            ParallaxRenderer.torchFrames = false;
        }
        var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        try {
            Object[][] configs = {{1280, 720, 1600, 1200, "zoom in", false}, {1920, 1080, 2400, 1800, "zoom in", false},
                {1280, 720, 1600, 1200, "pan right", true}, {1920, 1080, 2400, 1800, "pan right", true}};
            double[][][] fps = new double[configs.length][2][rounds];
            for (int r = -1; r < rounds; r++) {
                for (int c = 0; c < configs.length; c++) {
                    Object[] k = configs[c];
                    StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "round %d, %dx%d %s, load %.1f:", r,
                            k[0], k[1], (boolean) k[5] ? "two layers" : "single layer", os.getSystemLoadAverage()));
                    for (int v = 0; v < 2; v++) {
                        // the baseline renders its frames in warp.pt (mode 0), as before the Java sampler, unless
                        // -Dparallax.bench.baselineSampler=java
                        ParallaxRenderer.torchFrames = v == 0 && !javaBaseline;
                        double[] t;
                        try {
                            t = measure(v == 0 ? baseline : model, (int) k[0], (int) k[1], (int) k[2], (int) k[3],
                                    (String) k[4], 72, (boolean) k[5], false);
                        } finally {
                            ParallaxRenderer.torchFrames = false;
                        }
                        if (r >= 0) fps[c][v][r] = 1000 / t[1];
                        line.append(String.format(Locale.ROOT, "  %s median %.1f ms, %.1f fps (mean)",
                                v == 0 ? "baseline" : "this build", t[0], 1000 / t[1]));
                    }
                    if (r >= 0) System.out.println(line);
                }
            }
            for (int c = 0; c < configs.length; c++) {
                double[] a = fps[c][0].clone();
                double[] b = fps[c][1].clone();
                double[] ratio = new double[rounds];
                for (int r = 0; r < rounds; r++) ratio[r] = fps[c][1][r] / fps[c][0][r];
                Arrays.sort(a);
                Arrays.sort(b);
                Arrays.sort(ratio);
                System.out.println(String.format(Locale.ROOT, "%dx%d %s: median of %d rounds baseline %.1f fps, this"
                        + " build %.1f fps, median ratio x%.2f", configs[c][0], configs[c][1], (boolean) configs[c][5]
                        ? "two layers" : "single layer", rounds, a[rounds / 2], b[rounds / 2], ratio[rounds / 2]));
            }
        } finally {
            baseline.deactivate();
        }
    }

    /**
     * The cost of each scene motion inside warp.pt, measured A/B: the configurations take turns call by call, so a
     * busy machine slows them alike; the minimum is the closest to an idle machine.
     */
    @Test
    void sceneMotionOverheadPerCall() throws Exception {
        for (int[] size : new int[][] {{1280, 720, 1600, 1200}, {1920, 1080, 2400, 1800}}) {
            int w = size[0];
            int h = size[1];
            ai.djl.engine.Engine engine = ai.djl.engine.Engine.getEngine("PyTorch");
            try (WarpHelper warp = WarpHelper.load(engine, ModelDescriptor.load(PerformanceTest.class.getClassLoader()),
                    PerformanceTest.class.getClassLoader());
                 ai.djl.ndarray.NDManager m = engine.newBaseManager()) {
                Framing f = Framing.cover(size[2], size[3], w, h);
                ai.djl.ndarray.NDArray picture = m.randomUniform(0.5f, 255.5f, new ai.djl.ndarray.types.Shape(1, 3, size[3], size[2]));
                ai.djl.ndarray.NDArray maps = m.randomUniform(0f, 1f, new ai.djl.ndarray.types.Shape(1, 4, 128, 170));
                ai.djl.ndarray.NDArray lattice = ParallaxRenderer.lattice(m, f);
                ParticleLayers rain = ParticleLayers.draw(SceneMotion.Particles.RAIN, w, h, 1);
                ai.djl.ndarray.NDArray particles = m.create(rain.pixels(), new ai.djl.ndarray.types.Shape(3, rain.count()));
                ai.djl.ndarray.NDArray noParticles = m.zeros(new ai.djl.ndarray.types.Shape(3, 0));
                ai.djl.ndarray.NDArray light = m.randomUniform(0.5f, 200f, new ai.djl.ndarray.types.Shape(1, 4, 150, 150));
                ai.djl.ndarray.NDArray noLight = m.zeros(new ai.djl.ndarray.types.Shape(1, 4, 0, 0));
                ai.djl.ndarray.NDArray noFg = m.zeros(new ai.djl.ndarray.types.Shape(1, 5, 0, 0));
                String[] names = {"none", "shimmer+drift", "flicker", "rain", "all"};
                double[][] ms = new double[names.length][40];
                for (int it = 0; it < 45; it++) {
                    for (int c = 0; c < names.length; c++) {
                        float[] p = new float[WarpHelper.PARAMS];
                        double[] img = f.gridAffine(size[2], size[3]);
                        double[] dep = f.gridAffine(170, 128);
                        for (int a = 0; a < 4; a++) {
                            p[WarpHelper.IMG_AFFINE + a] = (float) img[a];
                            p[WarpHelper.DEPTH_AFFINE + a] = (float) dep[a];
                        }
                        p[WarpHelper.INV_ZOOM] = 1 / 1.1f;
                        p[WarpHelper.DOLLY] = -0.03f;
                        p[WarpHelper.FOCAL] = 0.5f;
                        p[WarpHelper.OUT_W] = w;
                        p[WarpHelper.OUT_H] = h;
                        boolean all = c == 4;
                        if (c == 1 || all) {
                            p[WarpHelper.SHIMMER_AMP] = 0.0035f;
                            p[WarpHelper.SHIMMER_PHASE] = it * 0.1f;
                            p[WarpHelper.SHIMMER_FREQ] = 37.7f;
                            p[WarpHelper.DRIFT_X] = 0.01f;
                        }
                        if (c == 2 || all) {
                            p[WarpHelper.FLICKER_GAIN] = 0.05f;
                            p[WarpHelper.LIGHT_X0] = 700;
                            p[WarpHelper.LIGHT_Y0] = 500;
                        }
                        if (c == 3 || all) {
                            SceneMotion.Plan plan = new SceneMotion.Plan(0, 0, 0, SceneMotion.Particles.RAIN, 1, 3, 0,
                                    new double[3], new double[2], "bench");
                            rain.apply(plan, it / 24.0, 1, p);
                            p[WarpHelper.PART_N0] = rain.firstLayerCount();
                        }
                        long t0 = System.nanoTime();
                        try (ai.djl.ndarray.NDManager fm = m.newSubManager()) {
                            warp.render(fm, p, picture, maps, lattice, c == 3 || all ? particles : noParticles,
                                    c == 2 || all ? light : noLight, noFg).toByteBuffer(true);
                        }
                        if (it >= 5) ms[c][it - 5] = (System.nanoTime() - t0) / 1e6;
                    }
                }
                StringBuilder out = new StringBuilder(w + "x" + h + " warp call, min / median ms:");
                for (int c = 0; c < names.length; c++) {
                    double[] v = ms[c].clone();
                    Arrays.sort(v);
                    out.append(String.format(Locale.ROOT, "  %s %.2f / %.2f", names[c], v[0], v[v.length / 2]));
                }
                out.append(String.format(Locale.ROOT, "  (rain covers %.2f %% of the frame)", rain.coverage() * 100));
                System.out.println(out);
            }
        }
    }

    /**
     * A/B of {@code warp.pt} files in one process, call by call (so a busy machine slows them alike): this build's
     * against baselines given by {@code -Dparallax.bench.baseline=DIR[,DIR...]} (each DIR/META-INF/kinora/warp.pt and
     * model.json, e.g. copied from an older checkout), single layer and with a foreground patch (a feathered disk,
     * 10 % of the picture, transparent ring), at 720p and 1080p. A DIR ending in {@code :spanning} is older than the
     * 8-pixel lattice and gets its lattice (corners on the output's corner pixels). Prints min / median wall time
     * and the mean process CPU time per call, and the median's ratio to the first baseline; skipped without the
     * property.
     */
    @Test
    void warpAgainstBaseline() throws Exception {
        String dirs = System.getProperty("parallax.bench.baseline");
        org.junit.jupiter.api.Assumptions.assumeTrue(dirs != null, "no -Dparallax.bench.baseline=DIR");
        int calls = Integer.getInteger("parallax.bench.calls", 40);
        Engine engine = Engine.getEngine("PyTorch");
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        System.out.println("threads: " + System.getProperty("ai.djl.pytorch.num_threads") + ", OMP_WAIT_POLICY="
                + System.getenv("OMP_WAIT_POLICY") + ", load before: " + os.getSystemLoadAverage());
        java.util.List<String> names = new java.util.ArrayList<>();
        java.util.List<WarpHelper> warps = new java.util.ArrayList<>();
        java.util.List<Boolean> spanning = new java.util.ArrayList<>();
        try {
            for (String d : dirs.split(",")) {
                boolean span = d.endsWith(":spanning");
                String path = span ? d.substring(0, d.length() - ":spanning".length()) : d;
                ClassLoader loader = new java.net.URLClassLoader(new java.net.URL[] {
                        java.nio.file.Path.of(path).toUri().toURL()}, null);
                warps.add(WarpHelper.load(engine, ModelDescriptor.load(loader), loader));
                names.add(java.nio.file.Path.of(path).getFileName().toString());
                spanning.add(span);
            }
            warps.add(WarpHelper.load(engine, ModelDescriptor.load(PerformanceTest.class.getClassLoader()),
                    PerformanceTest.class.getClassLoader()));
            names.add("this build");
            spanning.add(false);
            // this build again, the picture in channels-last layout (an NCHW view of NHWC storage)
            boolean cl = Boolean.getBoolean("parallax.bench.channelsLast");
            if (cl) {
                warps.add(warps.get(warps.size() - 1));
                names.add("this, CL pic");
                spanning.add(false);
            }
            int nv = warps.size();
            for (int[] size : new int[][] {{1280, 720, 1600, 1200}, {1920, 1080, 2400, 1800}}) {
                int w = size[0];
                int h = size[1];
                int sw = size[2];
                int sh = size[3];
                try (ai.djl.ndarray.NDManager m = engine.newBaseManager()) {
                    Framing f = Framing.cover(sw, sh, w, h);
                    // a textured picture and a smooth nearness (bottom near, a bump in the middle), as a render has
                    var picture = ParallaxRenderer.workingPicture(m, TestScenes.textured(sw, sh), 1).picture();
                    float[] near = new float[4 * 128 * 170];
                    for (int y = 0; y < 128; y++) {
                        for (int x = 0; x < 170; x++) {
                            near[y * 170 + x] = (float) (0.6 * y / 127 + 0.4 * Math.exp(-(Math.pow((x - 85) / 30.0, 2)
                                    + Math.pow((y - 64) / 25.0, 2))));
                        }
                    }
                    var maps = m.create(near, new ai.djl.ndarray.types.Shape(1, 4, 128, 170));
                    var clPicture = picture.transpose(0, 2, 3, 1).flatten().reshape(1, sh, sw, 3).transpose(0, 3, 1, 2);
                    var lattice = ParallaxRenderer.lattice(m, f);
                    var oldLattice = spanningLattice(m, f);
                    var noParticles = m.zeros(new ai.djl.ndarray.types.Shape(3, 0));
                    var noLight = m.zeros(new ai.djl.ndarray.types.Shape(1, 4, 0, 0));
                    var noFg = m.zeros(new ai.djl.ndarray.types.Shape(1, 5, 0, 0));
                    // the foreground: a feathered disk of radius 0.2 x the picture height at (0.45, 0.5), with a
                    // transparent ring
                    int r = (int) (sh * 0.2);
                    int pn = 2 * r + 12;
                    int px0 = (int) (sw * 0.45) - pn / 2;
                    int py0 = sh / 2 - pn / 2;
                    float[] patch = new float[5 * pn * pn];
                    for (int y = 0; y < pn; y++) {
                        for (int x = 0; x < pn; x++) {
                            double d = Math.hypot(x - pn / 2.0, y - pn / 2.0);
                            float a = (float) Math.max(0, Math.min(1, (r - d) / 4 + 0.5));
                            int q = y * pn + x;
                            patch[q] = 250.5f * a;
                            patch[pn * pn + q] = 245.5f * a;
                            patch[2 * pn * pn + q] = 30.5f * a;
                            patch[3 * pn * pn + q] = a;
                        }
                    }
                    var fg = m.create(patch, new ai.djl.ndarray.types.Shape(1, 5, pn, pn));
                    double[] img = f.gridAffine(sw, sh);
                    double[] dep = f.gridAffine(170, 128);
                    String[] configs = {"single layer", "two layers"};
                    double[][][] wall = new double[2][nv][calls];
                    double[][] cpu = new double[2][nv];
                    byte[][][] firstFrame = new byte[2][nv][];
                    for (int it = 0; it < calls + 5; it++) {
                        float[] p = new float[WarpHelper.PARAMS];
                        for (int a = 0; a < 4; a++) {
                            p[WarpHelper.IMG_AFFINE + a] = (float) img[a];
                            p[WarpHelper.DEPTH_AFFINE + a] = (float) dep[a];
                        }
                        double zoom = 1.1 + 0.001 * it;
                        double tx = 0.02 * it / calls;
                        p[WarpHelper.CX] = (float) tx;
                        p[WarpHelper.INV_ZOOM] = (float) (1 / zoom);
                        p[WarpHelper.TX] = (float) (tx * 0.6);
                        p[WarpHelper.DOLLY] = -0.03f;
                        p[WarpHelper.FOCAL] = 0.5f;
                        p[WarpHelper.OUT_W] = w;
                        p[WarpHelper.OUT_H] = h;
                        double k = 0.3;
                        double[] ax = ParallaxRenderer.FgLayer.axis(tx + k * tx * 0.6, 1 / zoom - k * 0.03, w, img[0],
                                img[2], sw, px0, pn);
                        double[] ay = ParallaxRenderer.FgLayer.axis(0, 1 / zoom - k * 0.03, h, img[1], img[3], sh,
                                py0, pn);
                        p[WarpHelper.FG_AFFINE] = (float) ax[0];
                        p[WarpHelper.FG_AFFINE + 1] = (float) ax[1];
                        p[WarpHelper.FG_AFFINE + 2] = (float) ay[0];
                        p[WarpHelper.FG_AFFINE + 3] = (float) ay[1];
                        p[WarpHelper.FG_BOX] = (float) ax[2];
                        p[WarpHelper.FG_BOX + 1] = (float) ay[2];
                        p[WarpHelper.FG_BOX + 2] = (float) ax[3];
                        p[WarpHelper.FG_BOX + 3] = (float) ay[3];
                        for (int c = 0; c < 2; c++) {
                            for (int v = 0; v < nv; v++) {
                                long c0 = os.getProcessCpuTime();
                                long t0 = System.nanoTime();
                                try (ai.djl.ndarray.NDManager fm = m.newSubManager()) {
                                    java.nio.ByteBuffer bytes = warps.get(v).render(fm, p, cl && v == nv - 1 ? clPicture
                                            : picture, maps, spanning.get(v) ? oldLattice : lattice, noParticles,
                                            noLight, c == 0 ? noFg : fg).toByteBuffer(true);
                                    if (it == calls + 4) {
                                        firstFrame[c][v] = new byte[bytes.remaining()];
                                        bytes.get(firstFrame[c][v]);
                                    }
                                }
                                if (it >= 5) {
                                    wall[c][v][it - 5] = (System.nanoTime() - t0) / 1e6;
                                    cpu[c][v] += (os.getProcessCpuTime() - c0) / 1e6 / calls;
                                }
                            }
                        }
                    }
                    for (int c = 0; c < 2; c++) {
                        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%dx%d %s, warp call:", w, h,
                                configs[c]));
                        double first = 0;
                        for (int v = 0; v < nv; v++) {
                            double[] a = wall[c][v].clone();
                            Arrays.sort(a);
                            double med = a[a.length / 2];
                            if (v == 0) first = med;
                            // the ratio of calls made one right after the other, to the first baseline's
                            double[] paired = new double[calls];
                            for (int i = 0; i < calls; i++) paired[i] = wall[c][v][i] / wall[c][0][i];
                            Arrays.sort(paired);
                            // how far the last call's frame is from the first baseline's (the same parameters)
                            byte[] x = firstFrame[c][0];
                            byte[] y = firstFrame[c][v];
                            int max = 0;
                            double sq = 0;
                            for (int i = 0; i < x.length; i++) {
                                int d = Math.abs((x[i] & 0xff) - (y[i] & 0xff));
                                max = Math.max(max, d);
                                sq += d * d;
                            }
                            double psnr = sq == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(255.0 * 255 * x.length / sq);
                            out.append(String.format(Locale.ROOT, "%n  %-12s min %6.2f / median %6.2f ms wall (x%.2f,"
                                    + " paired x%.2f), CPU %6.2f ms; last frame vs the first's: max diff %d, PSNR %.1f dB",
                                    names.get(v), a[0], med, med / first, paired[calls / 2], cpu[c][v], max, psnr));
                        }
                        System.out.println(out);
                    }
                }
            }
        } finally {
            for (WarpHelper w : warps) w.close();
        }
        System.out.println("load after: " + os.getSystemLoadAverage());
    }

    /** The lattice before the 8-pixel one: corners on the output's corner pixel centres, about 8 px apart. */
    static ai.djl.ndarray.NDArray spanningLattice(ai.djl.ndarray.NDManager manager, Framing framing) {
        int w = (framing.outW() - 1 + 7) / 8 + 1;
        int h = (framing.outH() - 1 + 7) / 8 + 1;
        float[] data = new float[h * w * 2];
        for (int j = 0; j < h; j++) {
            double uy = framing.outputUy(h == 1 ? 0 : j * (framing.outH() - 1) / (double) (h - 1));
            for (int i = 0; i < w; i++) {
                data[(j * w + i) * 2] = (float) framing.outputUx(w == 1 ? 0 : i * (framing.outW() - 1) / (double) (w - 1));
                data[(j * w + i) * 2 + 1] = (float) uy;
            }
        }
        return manager.create(data, new ai.djl.ndarray.types.Shape(1, h, w, 2));
    }
}
