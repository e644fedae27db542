package io.kinora.api.vision;

import org.osgi.annotation.versioning.ProviderType;

import io.kinora.api.media.RgbImage;

/**
 * Fills a region of a picture from its surroundings (inpainting), so that what was behind a removed object looks
 * like plausible background. Deterministic and thread-safe.
 */
@ProviderType
public interface Inpainter {

    /**
     * @param picture the picture; not modified
     * @param mask    one byte per pixel, row by row ({@code width x height}): non-zero marks a pixel to fill
     * @param radius  how far around each filled pixel known pixels are considered, in pixels (at least 1)
     * @return a new picture: outside the mask identical to {@code picture}, inside the mask filled
     * @throws io.kinora.api.media.StageException when the mask does not fit the picture
     */
    RgbImage inpaint(RgbImage picture, byte[] mask, int radius);

    /** The algorithm, for reports. */
    String method();
}
