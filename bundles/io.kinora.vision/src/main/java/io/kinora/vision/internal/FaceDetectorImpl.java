package io.kinora.vision.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.FileStorage;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.RectVector;
import org.bytedeco.opencv.opencv_core.Size;
import org.bytedeco.opencv.opencv_objdetect.CascadeClassifier;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.kinora.api.media.RgbImage;
import io.kinora.api.media.StageException;
import io.kinora.api.vision.Face;
import io.kinora.api.vision.FaceDetector;

/**
 * Frontal faces with OpenCV's cascade classifier and the LBP cascade of Puttemans, Ergun and Goedeme (KU Leuven,
 * 2017, BSD-3-Clause, shipped with OpenCV as {@code lbpcascade_frontalface_improved.xml}, read from OpenCV's
 * linux-x86_64 natives jar): grey, reduced to at most
 * {@code analysis.size} pixels on the long side (area average), histogram-equalised, scanned at scale steps of 1.1.
 * A face is kept when at least {@code min.neighbours} raw detections agree on it; its confidence is
 * {@code n / (n + 2 min.neighbours)} for n agreeing detections (0.33 at the threshold, 0.75 at six times it).
 * Deterministic: the cascade's grouping does not depend on the order its threads report candidates, and the faces
 * are sorted (left edge, then top edge).
 */
@Component(service = FaceDetector.class, configurationPid = FaceDetectorImpl.PID)
@Designate(ocd = FaceDetectorImpl.Config.class)
public final class FaceDetectorImpl implements FaceDetector {

    public static final String PID = "io.kinora.vision.faces";
    static final String CASCADE = "lbpcascade_frontalface_improved.xml";
    /** Where OpenCV's linux-x86_64 natives jar (embedded, trimmed) carries the cascade. */
    static final String CASCADE_RESOURCE = "/org/bytedeco/opencv/linux-x86_64/share/opencv4/lbpcascades/" + CASCADE;
    private static final Logger LOG = LoggerFactory.getLogger(FaceDetectorImpl.class);

    @ObjectClassDefinition(name = "Kinora face detector",
            description = "Frontal faces in the source picture (OpenCV LBP cascade). Models use them to place"
                    + " characters whose position the scene does not give.")
    public @interface Config {
        @AttributeDefinition(name = "Minimum agreeing detections", min = "1", max = "50",
                description = "How many overlapping raw detections must agree before a face counts: higher finds"
                        + " fewer false faces and misses more real ones.")
        int min_neighbours() default 4;

        @AttributeDefinition(name = "Smallest face", min = "0.01", max = "0.9",
                description = "The smallest face looked for, as a fraction of the picture's shorter side.")
        double min_face_fraction() default 0.06;

        @AttributeDefinition(name = "Analysis size", min = "128", max = "4096",
                description = "The picture is reduced to at most this many pixels on its long side before the scan"
                        + " (speed; faces smaller than a few dozen pixels there are not found).")
        int analysis_size() default 800;
    }

    private final CascadeClassifier cascade;
    private final int minNeighbours;
    private final double minFaceFraction;
    private final int analysisSize;

    @Activate
    public FaceDetectorImpl(BundleContext context, Config config) throws IOException {
        this(context.getProperty(OpenCvRuntime.WORK_PROPERTY), config.min_neighbours(), config.min_face_fraction(),
                config.analysis_size());
    }

    FaceDetectorImpl(String kinoraWork, int minNeighbours, double minFaceFraction, int analysisSize) throws IOException {
        if (minNeighbours < 1) throw new IllegalArgumentException("min.neighbours must be at least 1, was " + minNeighbours);
        if (!(minFaceFraction > 0 && minFaceFraction < 1)) {
            throw new IllegalArgumentException("min.face.fraction must be between 0 and 1, was " + minFaceFraction);
        }
        if (analysisSize < 64) throw new IllegalArgumentException("analysis.size must be at least 64, was " + analysisSize);
        this.minNeighbours = minNeighbours;
        this.minFaceFraction = minFaceFraction;
        this.analysisSize = analysisSize;
        OpenCvRuntime.configureCacheDir(kinoraWork);
        OpenCvRuntime.ensureLoaded();
        String xml;
        try (InputStream in = FaceDetectorImpl.class.getResourceAsStream(CASCADE_RESOURCE)) {
            if (in == null) throw new IOException(CASCADE_RESOURCE + " is missing (OpenCV's linux-x86_64 natives jar)");
            xml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        this.cascade = new CascadeClassifier();
        try (FileStorage fs = new FileStorage(xml, FileStorage.READ | FileStorage.MEMORY)) {
            if (!cascade.read(fs.getFirstTopLevelNode()) || cascade.empty()) {
                throw new IOException("OpenCV could not read the face cascade " + CASCADE);
            }
        }
        LOG.info("face detector ready: {} (min.neighbours {}, min.face.fraction {}, analysis.size {})", CASCADE,
                minNeighbours, minFaceFraction, analysisSize);
    }

    @Override
    public List<Face> detect(RgbImage picture) {
        if (picture == null) throw new StageException("face detection needs a picture");
        int w = picture.width();
        int h = picture.height();
        double s = Math.min(1, analysisSize / (double) Math.max(w, h));
        int aw = Math.max(1, (int) Math.round(w * s));
        int ah = Math.max(1, (int) Math.round(h * s));
        int minSide = (int) Math.round(minFaceFraction * Math.min(aw, ah));
        if (minSide < 20) minSide = 20; // the cascade's own window is 24x24; below that nothing can be found
        if (Math.min(aw, ah) < minSide) return List.of();
        List<Face> faces = new ArrayList<>();
        try (Mat rgb = new Mat(h, w, opencv_core.CV_8UC3);
             Mat grey = new Mat();
             Mat small = new Mat();
             RectVector found = new RectVector();
             IntPointer agree = new IntPointer()) {
            try (BytePointer data = rgb.data()) {
                data.put(picture.rgb(), 0, picture.rgb().length);
            }
            opencv_imgproc.cvtColor(rgb, grey, opencv_imgproc.COLOR_RGB2GRAY);
            if (aw != w || ah != h) {
                opencv_imgproc.resize(grey, small, new Size(aw, ah), 0, 0, opencv_imgproc.INTER_AREA);
            } else {
                grey.copyTo(small);
            }
            opencv_imgproc.equalizeHist(small, small);
            synchronized (cascade) { // a CascadeClassifier keeps per-scan state
                cascade.detectMultiScale2(small, found, agree, 1.1, minNeighbours, 0, new Size(minSide, minSide),
                        new Size());
            }
            for (int i = 0; i < found.size(); i++) {
                Rect r = found.get(i);
                int n = agree.get(i);
                int x0 = (int) Math.floor(r.x() / s);
                int y0 = (int) Math.floor(r.y() / s);
                int x1 = Math.min(w, (int) Math.ceil((r.x() + r.width()) / s));
                int y1 = Math.min(h, (int) Math.ceil((r.y() + r.height()) / s));
                faces.add(new Face(x0, y0, x1 - x0, y1 - y0, n / (double) (n + 2 * minNeighbours)));
            }
        } catch (RuntimeException e) {
            throw new StageException("face detection failed on a " + w + "x" + h + " picture: " + e.getMessage(), e);
        }
        faces.sort(Comparator.comparingInt(Face::x).thenComparingInt(Face::y).thenComparingInt(Face::width));
        return List.copyOf(faces);
    }

    @Override
    public String method() {
        return String.format(Locale.ROOT, "OpenCV %s cascade classifier, %s (LBP, frontal faces), picture reduced to"
                        + " %d px, faces from %.0f %% of the shorter side; confidence n / (n + %d) for n agreeing"
                        + " detections (at least %d)", opencv_core.CV_VERSION(), CASCADE, analysisSize,
                minFaceFraction * 100, 2 * minNeighbours, minNeighbours);
    }

    @Deactivate
    void deactivate() {
        cascade.close();
    }
}
