package io.kinora.api.compositor;

import io.kinora.api.media.AudioBuffer;
import io.kinora.api.timeline.Timeline;
import io.kinora.api.voice.Speech;

import java.util.List;
import java.util.Map;

/**
 * The sound of a clip to mix: the timeline, one Speech per timeline line (same order), each character's
 * pan from -1 (left) to 1 (right), the ambience bed (stereo, or {@code null} for none), the output sample
 * rate and the loudness target in LUFS (integrated, ITU-R BS.1770).
 */
public record MixRequest(Timeline timeline, List<Speech> speech, Map<String, Double> pan, AudioBuffer ambience,
                         int sampleRate, double targetLufs) {
    public MixRequest {
        speech = List.copyOf(speech);
        pan = io.kinora.api.media.Ordered.copy(pan);
    }
}
