package io.kinora.models.parallax.internal;

import java.io.IOException;
import java.util.Locale;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import ai.djl.engine.Engine;
import io.kinora.api.media.StageException;
import io.kinora.api.video.FrameSink;
import io.kinora.api.video.ModelInfo;
import io.kinora.api.video.RenderReport;
import io.kinora.api.video.RenderRequest;
import io.kinora.api.video.VideoModel;
import io.kinora.api.vision.FaceDetector;
import io.kinora.api.vision.Inpainter;

/**
 * The embedded default video model {@code parallax}: 2.5D motion synthesis from one still image (camera path,
 * depth estimate, parallax warp) on the DJL PyTorch engine. Not a neural generator.
 *
 * <p>Starts only once the {@code io.kinora.engine} bundle has published the PyTorch {@link Engine}. Verifies and
 * loads {@code warp.pt}, renders one tiny frame as a health check, then serves renders on any number of threads.
 * Renders still running when the component goes away finish first; the TorchScript module closes after the last.
 */
@Component(service = VideoModel.class, configurationPid = ParallaxVideoModel.PID,
        property = {
            VideoModel.MODEL_ID + "=" + ParallaxVideoModel.ID,
            VideoModel.MODEL_FAMILY + "=" + ParallaxVideoModel.FAMILY
        },
        // kinora.model.version (= Bundle-Version), written by bnd at build time
        properties = "OSGI-INF/kinora-model.properties")
@Designate(ocd = ParallaxVideoModel.Config.class)
public final class ParallaxVideoModel implements VideoModel {

    public static final String PID = "io.kinora.models.parallax";
    static final String ID = "parallax";
    static final String FAMILY = "image-to-video";

    private static final Logger LOG = LoggerFactory.getLogger(ParallaxVideoModel.class);

    @ObjectClassDefinition(name = "Kinora parallax video model",
            description = "The embedded 2.5D motion model: camera moves and depth parallax from one still image."
                    + " Changing a value changes the frames rendered for the same scene and seed.")
    public @interface Config {
        @AttributeDefinition(name = "Parallax strength", min = "0", max = "2",
                description = "How far near and far parts of the picture separate when the camera moves:"
                        + " 0 = flat (pure 2D camera move), 1 = default, 2 = strongest.")
        double parallax_strength() default 1.0;

        @AttributeDefinition(name = "Speaker focus strength", min = "0", max = "2",
                description = "How far the framing eases toward the character who is speaking (needs the"
                        + " character's position in the scene): 0 = off, 1 = default (up to 4 % of the frame), 2 = double.")
        double focus_strength() default 1.0;

        @AttributeDefinition(name = "Scene motion strength", min = "0", max = "2",
                description = "How strongly what the prompt says moves in the picture moves (water shimmer, drifting"
                        + " clouds, flickering light, rain, snow, dust, sparkle): 0 = off, 1 = default, 2 = double.")
        double motion_strength() default 1.0;

        @AttributeDefinition(name = "Background plate fill", options = {
                @Option(value = PLATE_INPAINT, label = "Inpaint (io.kinora.vision) when installed, else rows"),
                @Option(value = PLATE_ROWS, label = "Rows: interpolate along each row")},
                description = "How the background behind a separated subject is filled: 'inpaint' uses the inpainting"
                        + " service of io.kinora.vision when it is installed (OpenCV; better on photographs), 'rows'"
                        + " interpolates each row between the pixels either side (best on plain horizontal"
                        + " backgrounds). The render report's 'layers' says which filled the plate.")
        String plate_fill() default PLATE_INPAINT;
    }

    static final String PLATE_INPAINT = "inpaint";
    static final String PLATE_ROWS = "rows";

    /**
     * Optional, dynamic: io.kinora.vision may come and go while the model serves (a render takes the services present
     * when it starts). Without a detector, characters without a position stay unplaced; without an inpainter, the
     * background plate is filled along its rows. The render report says which was used.
     */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile FaceDetector faces;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile Inpainter inpainter;

    private final boolean inpaintPlate;
    private final WarpHelper warp;
    private final ParallaxRenderer renderer;
    private final ModelInfo info;
    private final Object lock = new Object();
    private int active;
    private boolean closing;

    @Activate
    public ParallaxVideoModel(@Reference(target = "(engine.name=PyTorch)") Engine engine, Config config,
                              BundleContext context) throws IOException {
        this(engine, new ParallaxRenderer.Settings(bounded(config.parallax_strength()), bounded(config.focus_strength()),
                        bounded(config.motion_strength())),
                context.getBundle().getVersion().toString(), ParallaxVideoModel.class.getClassLoader(),
                plateFill(config.plate_fill()));
    }

    private static boolean plateFill(String value) {
        String v = value == null ? PLATE_INPAINT : value.trim().toLowerCase(Locale.ROOT);
        if (!v.equals(PLATE_INPAINT) && !v.equals(PLATE_ROWS)) {
            throw new IllegalArgumentException("invalid configuration " + PID + ": plate.fill must be '" + PLATE_INPAINT
                    + "' or '" + PLATE_ROWS + "', was '" + value + "'");
        }
        return v.equals(PLATE_INPAINT);
    }

    /** Outside OSGi (tests): the version comes from the descriptor. */
    ParallaxVideoModel(Engine engine, ParallaxRenderer.Settings settings, String bundleVersion, ClassLoader loader)
            throws IOException {
        this(engine, settings, bundleVersion, loader, true);
    }

    ParallaxVideoModel(Engine engine, ParallaxRenderer.Settings settings, String bundleVersion, ClassLoader loader,
                       boolean inpaintPlate) throws IOException {
        this.inpaintPlate = inpaintPlate;
        long t0 = System.nanoTime();
        ModelDescriptor descriptor = ModelDescriptor.load(loader);
        if (!ID.equals(descriptor.id())) {
            throw new IOException(ModelDescriptor.RESOURCE + " describes model '" + descriptor.id() + "', not '" + ID + "'");
        }
        String version = bundleVersion != null ? bundleVersion : descriptor.version();
        this.info = new ModelInfo(ID, version, descriptor.family(), descriptor.description());
        this.warp = WarpHelper.load(engine, descriptor, loader);
        this.renderer = new ParallaxRenderer(engine, warp, info, descriptor.limits(), settings);
        try {
            HealthCheck.run(renderer);
        } catch (RuntimeException e) {
            warp.close();
            throw new IOException("the parallax model failed its start-up check: " + e.getMessage(), e);
        }
        LOG.info("parallax {} ready: {} verified (sha256 {}), engine {} {}, parallax {}, focus {}, motion {}, started in {} ms",
                version, WarpHelper.FILE, warp.sha256().substring(0, 12), engine.getEngineName(), engine.getVersion(),
                settings.parallaxStrength(), settings.focusStrength(), settings.motionStrength(),
                (System.nanoTime() - t0) / 1_000_000);
    }

    private static double bounded(double v) {
        if (!Double.isFinite(v)) return 1.0;
        return Math.max(0, Math.min(2, v));
    }

    @Override
    public ModelInfo info() {
        return info;
    }

    @Override
    public RenderReport render(RenderRequest request, FrameSink sink) {
        synchronized (lock) {
            if (closing) throw new StageException("the parallax model " + info.version() + " is shutting down; retry the job");
            active++;
        }
        try {
            return renderer.render(request, sink, new ParallaxRenderer.Vision(faces, inpaintPlate ? inpainter : null));
        } finally {
            release();
        }
    }

    private void release() {
        boolean close;
        synchronized (lock) {
            active--;
            close = closing && active == 0;
        }
        if (close) closeWarp();
    }

    @Deactivate
    void deactivate() {
        boolean close;
        int running;
        synchronized (lock) {
            closing = true;
            running = active;
            close = active == 0;
        }
        if (close) {
            closeWarp();
        } else {
            LOG.info("parallax {} stopping: {} render(s) still running keep the model open until they finish",
                    info.version(), running);
        }
    }

    private void closeWarp() {
        warp.close();
        LOG.info("parallax {} closed", info.version());
    }

    /** Tests: the vision services a DS container would inject. */
    void vision(FaceDetector detector, Inpainter fill) {
        this.faces = detector;
        this.inpainter = fill;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "ParallaxVideoModel[%s]", info);
    }
}
