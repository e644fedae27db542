package io.kinora.vision.internal;

import java.util.Locale;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_photo;
import org.bytedeco.opencv.global.opencv_xphoto;
import org.bytedeco.opencv.opencv_core.Mat;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.kinora.api.media.RgbImage;
import io.kinora.api.media.StageException;
import io.kinora.api.vision.Inpainter;

/**
 * Inpainting with OpenCV's {@code cv::inpaint}: Telea's fast marching method (default) or the Navier-Stokes based
 * one of Bertalmio, Bertozzi and Sapiro. Both are single-threaded and deterministic; outside the mask the result is
 * the input, byte for byte.
 */
@Component(service = Inpainter.class, configurationPid = InpainterImpl.PID)
@Designate(ocd = InpainterImpl.Config.class)
public final class InpainterImpl implements Inpainter {

    public static final String PID = "io.kinora.vision.inpaint";
    private static final Logger LOG = LoggerFactory.getLogger(InpainterImpl.class);

    @ObjectClassDefinition(name = "Kinora inpainter",
            description = "Fills what a moving foreground uncovers (OpenCV inpaint).")
    public @interface Config {
        @AttributeDefinition(name = "Method", options = {
                @Option(value = "telea", label = "Telea (fast marching)"),
                @Option(value = "navier-stokes", label = "Navier-Stokes"),
                @Option(value = "fsr-fast", label = "Frequency selective reconstruction, fast"),
                @Option(value = "fsr-best", label = "Frequency selective reconstruction, best (slow)"),
                @Option(value = "shiftmap", label = "Shift-map (patch based)")},
                description = "telea: fast marching, sharper near the edge; navier-stokes: continues isophotes,"
                        + " smoother.")
        String method() default "telea";
    }

    static final java.util.List<String> METHODS = java.util.List.of("telea", "navier-stokes", "fsr-fast", "fsr-best",
            "shiftmap");

    private final String method;

    @Activate
    public InpainterImpl(BundleContext context, Config config) {
        this(context.getProperty(OpenCvRuntime.WORK_PROPERTY), config.method());
    }

    InpainterImpl(String kinoraWork, String method) {
        String m = method == null ? "telea" : method.trim().toLowerCase(Locale.ROOT);
        if (!METHODS.contains(m)) {
            throw new IllegalArgumentException("invalid configuration " + PID + ": method must be one of " + METHODS
                    + ", was '" + method + "'");
        }
        this.method = m;
        OpenCvRuntime.configureCacheDir(kinoraWork);
        OpenCvRuntime.ensureLoaded();
        LOG.info("inpainter ready: {}", method());
    }

    @Override
    public RgbImage inpaint(RgbImage picture, byte[] mask, int radius) {
        if (picture == null) throw new StageException("inpainting needs a picture");
        int w = picture.width();
        int h = picture.height();
        if (mask == null || mask.length != w * h) {
            throw new StageException("the inpainting mask has " + (mask == null ? 0 : mask.length) + " values; a "
                    + w + "x" + h + " picture needs " + (w * h));
        }
        if (radius < 1) throw new StageException("the inpainting radius must be at least 1, was " + radius);
        byte[] out = new byte[w * h * 3];
        try (Mat src = new Mat(h, w, opencv_core.CV_8UC3);
             Mat m = new Mat(h, w, opencv_core.CV_8UC1);
             Mat dst = new Mat()) {
            try (BytePointer p = src.data()) {
                p.put(picture.rgb(), 0, out.length);
            }
            try (BytePointer p = m.data()) {
                p.put(mask, 0, mask.length);
            }
            switch (method) {
                case "telea" -> opencv_photo.inpaint(src, m, dst, radius, opencv_photo.INPAINT_TELEA);
                case "navier-stokes" -> opencv_photo.inpaint(src, m, dst, radius, opencv_photo.INPAINT_NS);
                default -> {
                    // xphoto: the mask marks the valid pixels (non-zero), the others are filled
                    try (Mat valid = new Mat()) {
                        opencv_core.compare(m, new Mat(1, 1, opencv_core.CV_8UC1, new org.bytedeco.opencv.opencv_core.Scalar(0)),
                                valid, opencv_core.CMP_EQ);
                        int algorithm = switch (method) {
                            case "fsr-fast" -> opencv_xphoto.INPAINT_FSR_FAST;
                            case "fsr-best" -> opencv_xphoto.INPAINT_FSR_BEST;
                            default -> opencv_xphoto.INPAINT_SHIFTMAP;
                        };
                        opencv_xphoto.inpaint(src, valid, dst, algorithm);
                    }
                }
            }
            try (BytePointer p = dst.data()) {
                p.get(out, 0, out.length);
            }
        } catch (RuntimeException e) {
            throw new StageException("inpainting failed on a " + w + "x" + h + " picture: " + e.getMessage(), e);
        }
        return new RgbImage(w, h, out);
    }

    @Override
    public String method() {
        return switch (method) {
            case "telea" -> "OpenCV inpaint, Telea fast marching";
            case "navier-stokes" -> "OpenCV inpaint, Navier-Stokes";
            case "fsr-fast" -> "OpenCV xphoto inpaint, frequency selective reconstruction (fast)";
            case "fsr-best" -> "OpenCV xphoto inpaint, frequency selective reconstruction (best)";
            default -> "OpenCV xphoto inpaint, shift-map";
        };
    }
}
