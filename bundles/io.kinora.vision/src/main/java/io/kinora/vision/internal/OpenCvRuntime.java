package io.kinora.vision.internal;

import java.nio.file.Path;

import org.bytedeco.javacpp.Loader;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.global.opencv_objdetect;
import org.bytedeco.opencv.global.opencv_photo;
import org.bytedeco.opencv.global.opencv_xphoto;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.kinora.api.media.StageException;

/**
 * Loads the embedded OpenCV natives once per class loader (that is, per installed revision of this bundle).
 *
 * <p>javacpp extracts the native libraries to {@code org.bytedeco.javacpp.cachedir}; when that system property is
 * not set, it is set to {@code <kinora.work>/javacpp} before the first javacpp use, so nothing lands in the user's
 * home (the same folder the compositor uses). The thread context class loader is this bundle's loader while the
 * natives load.
 */
final class OpenCvRuntime {
    static final String WORK_PROPERTY = "kinora.work";
    static final String CACHEDIR_PROPERTY = "org.bytedeco.javacpp.cachedir";
    private static final Logger LOG = LoggerFactory.getLogger(OpenCvRuntime.class);

    private static boolean loaded;
    private static String failure;

    private OpenCvRuntime() {
    }

    static synchronized void configureCacheDir(String kinoraWork) {
        if (System.getProperty(CACHEDIR_PROPERTY) != null || kinoraWork == null || kinoraWork.isBlank()) return;
        String dir = Path.of(kinoraWork, "javacpp").toAbsolutePath().toString();
        System.setProperty(CACHEDIR_PROPERTY, dir);
        LOG.info("javacpp native cache: {}", dir);
    }

    /** Loads core, imgproc, objdetect and photo; throws a {@link StageException} naming the platform when it cannot. */
    static synchronized void ensureLoaded() {
        if (loaded) return;
        if (failure != null) throw new StageException(failure);
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(OpenCvRuntime.class.getClassLoader());
        long t0 = System.nanoTime();
        try {
            Loader.load(opencv_core.class);
            Loader.load(opencv_imgproc.class);
            Loader.load(opencv_objdetect.class);
            Loader.load(opencv_photo.class);
            Loader.load(opencv_xphoto.class);
            loaded = true;
            LOG.info("OpenCV {} loaded in {} ms ({})", opencv_core.CV_VERSION(),
                    (System.nanoTime() - t0) / 1_000_000, System.getProperty(CACHEDIR_PROPERTY, "~/.javacpp/cache"));
        } catch (Exception | LinkageError e) {
            failure = "the OpenCV libraries embedded in io.kinora.vision cannot be loaded on this machine ("
                    + System.getProperty("os.name") + " " + System.getProperty("os.arch")
                    + "; linux-x86_64 is supported): " + e;
            LOG.error("OpenCV native loading failed", e);
            throw new StageException(failure);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
