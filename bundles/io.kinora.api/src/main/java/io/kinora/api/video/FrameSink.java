package io.kinora.api.video;

import io.kinora.api.media.RgbImage;

/** Receives rendered frames in order, one call per frame, starting at index 0. */
@FunctionalInterface
public interface FrameSink {
    void accept(int index, RgbImage frame);
}
