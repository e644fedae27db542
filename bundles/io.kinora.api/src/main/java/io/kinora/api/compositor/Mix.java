package io.kinora.api.compositor;

import io.kinora.api.media.AudioBuffer;

/** The mixed stereo master with its measured integrated loudness (LUFS) and sample peak (dBFS). */
public record Mix(AudioBuffer master, double integratedLufs, double peakDbfs) {
}
