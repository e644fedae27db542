package io.kinora.ambient.internal;

import java.util.SplittableRandom;

/**
 * One kind of ambience. Renders a continuous stereo signal at any level (the generator loops and levels it);
 * the two channels come from independent noise streams, with only slow features (gusts, swells) shared, so
 * the bed is wide but coherent. All randomness comes from {@code random}.
 */
interface Soundscape {
    /** Preset name. */
    String name();

    /**
     * @param left   to fill, length = frames to render
     * @param right  to fill, same length
     * @param rate   sample rate
     * @param random the only source of randomness
     */
    void render(float[] left, float[] right, int rate, SplittableRandom random);
}
