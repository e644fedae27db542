package io.kinora.models.i2v.internal;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import io.kinora.api.media.StageException;
import io.kinora.api.video.FrameSink;
import io.kinora.api.video.ModelInfo;
import io.kinora.api.video.RenderReport;
import io.kinora.api.video.RenderRequest;
import io.kinora.api.video.VideoModel;

/**
 * A neural image-to-video model packaged as TorchScript: encoder, denoiser and decoder from the bundle, the sampling
 * loop ({@link FlowSampler}) in Java. The shipped files are tiny and randomly initialised (made by
 * {@code scripts/make_tiny.py}): they prove the packaging and the runtime, not picture quality.
 */
@Component(service = VideoModel.class, configurationPid = TinyI2vModel.PID,
        property = {VideoModel.MODEL_ID + "=" + TinyI2vModel.ID, VideoModel.MODEL_FAMILY + "=torchscript-i2v"},
        properties = "OSGI-INF/kinora-model.properties")
@Designate(ocd = TinyI2vModel.Config.class)
public class TinyI2vModel implements VideoModel {

    static final String ID = "tiny-i2v";
    static final String PID = "io.kinora.models.i2v";
    private static final Logger LOG = LoggerFactory.getLogger(TinyI2vModel.class);

    @ObjectClassDefinition(name = "Kinora tiny TorchScript image-to-video model")
    public @interface Config {
        @AttributeDefinition(name = "Sampling steps", min = "0", max = "200",
                description = "Euler steps of the flow-matching sampler; 0 = the descriptor's default.")
        int steps() default 0;

        @AttributeDefinition(name = "Guidance scale", min = "-1", max = "20",
                description = "Classifier-free guidance; negative = the descriptor's default.")
        double guidance() default -1;
    }

    private final I2vDescriptor descriptor;
    private final TorchScriptModule encoder;
    private final TorchScriptModule denoiser;
    private final TorchScriptModule decoder;
    private final FlowSampler sampler;
    private final ModelInfo info;
    private final Engine engine;
    private final int steps;
    private final double guidance;

    @Activate
    public TinyI2vModel(@Reference(target = "(engine.name=PyTorch)") Engine engine, Config config,
                        BundleContext context) throws IOException {
        this(engine, config.steps(), config.guidance(), context.getBundle().getVersion().toString(),
                TinyI2vModel.class.getClassLoader());
    }

    TinyI2vModel(Engine engine, int steps, double guidance, String bundleVersion, ClassLoader loader) throws IOException {
        long t0 = System.nanoTime();
        this.engine = engine;
        this.descriptor = I2vDescriptor.load(loader);
        this.steps = steps > 0 ? steps : descriptor.steps();
        this.guidance = guidance >= 0 ? guidance : descriptor.guidance();
        this.info = new ModelInfo(ID, bundleVersion != null ? bundleVersion : descriptor.version(), descriptor.family(),
                descriptor.description());
        TorchScriptModule enc = null;
        TorchScriptModule den = null;
        try {
            enc = TorchScriptModule.load(engine, descriptor, "encoder.pt", loader);
            den = TorchScriptModule.load(engine, descriptor, "denoiser.pt", loader);
            this.decoder = TorchScriptModule.load(engine, descriptor, "decoder.pt", loader);
        } catch (IOException | RuntimeException e) {
            if (enc != null) enc.close();
            if (den != null) den.close();
            throw e;
        }
        this.encoder = enc;
        this.denoiser = den;
        this.sampler = new FlowSampler(encoder, denoiser, decoder, descriptor);
        LOG.info("{} {} ready: steps {}, guidance {}, started in {} ms", ID, info.version(), this.steps, this.guidance,
                (System.nanoTime() - t0) / 1_000_000);
    }

    @Override
    public ModelInfo info() {
        return info;
    }

    @Override
    public RenderReport render(RenderRequest request, FrameSink sink) {
        int n = request.timeline().frameCount();
        if (request.width() < 16 || request.height() < 16) {
            throw new StageException("video: " + ID + " needs an output of at least 16x16, got " + request.width() + "x"
                    + request.height());
        }
        if (request.image() == null) throw new StageException("video: " + ID + " needs a source image");
        long seed = request.scene().seed();
        try (NDManager m = engine.newBaseManager()) {
            NDArray cond = sampler.encode(m, request.image());
            NDArray noise = sampler.noise(m, seed);
            for (int i = 0; i < n; i++) {
                request.cancellation().check();
                try (NDManager fm = m.newSubManager()) {
                    cond.attach(fm);
                    noise.attach(fm);
                    float pos = n == 1 ? 0f : i / (float) (n - 1);
                    float[] hwc = sampler.sample(fm, cond, noise, pos, steps, guidance, request.cancellation());
                    cond.attach(m);
                    noise.attach(m);
                    sink.accept(i, Pixels.toFrame(hwc, descriptor.size(), request.width(), request.height()));
                }
                request.progress().progress((i + 1) / (double) n, "frame " + (i + 1) + "/" + n);
            }
        }
        Map<String, String> choices = new LinkedHashMap<>();
        choices.put("sampler", String.format(Locale.ROOT, "flow matching, Euler, %d steps, guidance %.2f, seed %d",
                steps, guidance, seed));
        choices.put("model", ID + " " + info.version() + ": tiny random-weight TorchScript test model, not a trained generator");
        return new RenderReport(info, n, choices);
    }

    @Deactivate
    void deactivate() {
        encoder.close();
        denoiser.close();
        decoder.close();
    }
}
