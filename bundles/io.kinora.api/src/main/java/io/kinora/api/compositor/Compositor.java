package io.kinora.api.compositor;

import io.kinora.api.media.AudioBuffer;
import io.kinora.api.timeline.Timeline;

import java.nio.file.Path;
import java.util.Map;

/** Mixes a clip's sound and encodes its pictures and sound into MP4 (H.264 + AAC, yuv420p, faststart). */
public interface Compositor {
    /** @throws io.kinora.api.media.StageException when the inputs do not fit together */
    Mix mix(MixRequest request);

    /**
     * Opens an encoder for one MP4.
     *
     * @throws io.kinora.api.media.StageException when the output cannot be written or no suitable encoder exists
     */
    EncodeSession open(EncodeRequest request);

    /**
     * Writes audio (a master or a stem) as a WAV file: 48 kHz (resampled if needed), 24-bit PCM, its own channel
     * count; written to a temporary file beside {@code file} and moved into place.
     *
     * @return the file written
     * @throws io.kinora.api.media.StageException when the file cannot be written
     * @since 1.1.0
     */
    default Path writeWav(AudioBuffer audio, Path file) {
        throw new UnsupportedOperationException("writeWav is not supported by " + getClass().getName());
    }

    /**
     * The WebVTT captions of a timeline, from its word timings: one cue per phrase (split at pauses and
     * punctuation), at most two lines of at most 42 characters, each cue a voice span naming its speaker.
     *
     * @param speakerNames character id to display name; a missing id is shown as the id
     * @since 1.1.0
     */
    default String webVtt(Timeline timeline, Map<String, String> speakerNames) {
        throw new UnsupportedOperationException("webVtt is not supported by " + getClass().getName());
    }
}
