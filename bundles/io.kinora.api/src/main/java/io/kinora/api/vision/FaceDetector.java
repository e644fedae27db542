package io.kinora.api.vision;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

import io.kinora.api.media.RgbImage;

/**
 * Finds frontal faces in a still picture. Deterministic: the same picture always gives the same faces, in the same
 * order (left to right, then top to bottom). Thread-safe.
 */
@ProviderType
public interface FaceDetector {

    /**
     * @return the faces found, ordered by the left edge of their box, then the top edge; empty when there is none
     * @throws io.kinora.api.media.StageException when the picture cannot be analysed
     */
    List<Face> detect(RgbImage picture);

    /** How faces are found and what {@link Face#confidence()} means, for reports. */
    String method();
}
