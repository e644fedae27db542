package io.kinora.api.compositor;

import io.kinora.api.media.AudioBuffer;

import java.util.Map;

/**
 * The mixed stereo master with its measured integrated loudness (LUFS) and sample peak (dBFS), and its stems.
 *
 * <p>Stems (since 1.1.0) are stereo buffers of the master's length and rate, carrying exactly what that part
 * contributes to the master: {@code characterStems} maps each character id (in the order of first appearance
 * on the timeline) to its dialogue, placed and panned as in the master with the master's gain and limiting;
 * {@code ambienceStem} is the ducked ambience bed as heard in the master ({@code null} when there is none).
 * The stems add up to the master.
 */
public record Mix(AudioBuffer master, double integratedLufs, double peakDbfs, Map<String, AudioBuffer> characterStems,
                  AudioBuffer ambienceStem) {
    public Mix {
        characterStems = characterStems == null ? Map.of() : io.kinora.api.media.Ordered.copy(characterStems);
    }

    /** A master without stems (the 1.0 form). */
    public Mix(AudioBuffer master, double integratedLufs, double peakDbfs) {
        this(master, integratedLufs, peakDbfs, Map.of(), null);
    }
}
