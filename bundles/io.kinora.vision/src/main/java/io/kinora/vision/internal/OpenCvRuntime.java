package io.kinora.vision.internal;

import org.bytedeco.javacpp.Loader;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.global.opencv_objdetect;
import org.bytedeco.opencv.global.opencv_photo;
import org.bytedeco.opencv.global.opencv_xphoto;

import io.kinora.natives.NativeLibraries;

/**
 * The embedded OpenCV natives (core, imgproc, objdetect, photo, xphoto), loaded once per installed revision of this
 * bundle into javacpp's cache under {@code <kinora.work>/javacpp} (the same folder the compositor uses): see
 * {@link NativeLibraries}.
 */
final class OpenCvRuntime {
    static final String WORK_PROPERTY = NativeLibraries.WORK_PROPERTY;
    static final String CACHEDIR_PROPERTY = NativeLibraries.CACHEDIR_PROPERTY;
    private static final NativeLibraries NATIVES = new NativeLibraries("OpenCV", "io.kinora.vision", OpenCvRuntime.class, () -> {
        Loader.load(opencv_core.class);
        Loader.load(opencv_imgproc.class);
        Loader.load(opencv_objdetect.class);
        Loader.load(opencv_photo.class);
        Loader.load(opencv_xphoto.class);
        return "OpenCV " + opencv_core.CV_VERSION();
    });

    private OpenCvRuntime() {
    }

    static void configureCacheDir(String kinoraWork) {
        NativeLibraries.configureCacheDir(kinoraWork);
    }

    /** Loads OpenCV; throws a {@link io.kinora.api.media.StageException} naming the platform when it cannot. */
    static void ensureLoaded() {
        NATIVES.ensureLoaded();
    }
}
