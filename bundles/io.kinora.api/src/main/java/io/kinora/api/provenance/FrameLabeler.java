package io.kinora.api.provenance;

import io.kinora.api.media.RgbImage;

/** Burns the visible label into frames of one rendition, before encoding. */
@FunctionalInterface
public interface FrameLabeler {
    /** Labels frame {@code index} in place (or returns a new image) and returns the labelled frame. */
    RgbImage apply(int index, RgbImage frame);
}
