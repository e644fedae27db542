package io.kinora.vision.internal;

import java.io.IOException;
import java.io.UncheckedIOException;

import io.kinora.api.vision.FaceDetector;
import io.kinora.api.vision.Inpainter;

/**
 * The services with their default configuration, outside OSGi: for the unit tests of bundles that consume them
 * (the package is private to this bundle in a framework, so nothing there can call this).
 */
public final class VisionServices {

    private VisionServices() {
    }

    /** @param kinoraWork the javacpp native cache goes to {@code <kinoraWork>/javacpp} (unless already set) */
    public static FaceDetector faceDetector(String kinoraWork) {
        try {
            return new FaceDetectorImpl(kinoraWork, 4, 0.06, 800);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Inpainter inpainter(String kinoraWork) {
        return new InpainterImpl(kinoraWork, "telea");
    }
}
