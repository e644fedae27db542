package io.kinora.api.voice;

import java.util.List;

/**
 * A text-to-speech engine (SPI): register an implementation as an OSGi service and its voices join the
 * catalogue. Implementations are thread-safe.
 */
public interface VoiceEngine {
    /** Engine id, e.g. {@code freetts}. */
    String id();

    /** The voices this engine offers. */
    List<VoiceInfo> voices();

    /**
     * Speaks the text with one of this engine's voices.
     *
     * @throws io.kinora.api.media.StageException when the voice or language is unknown or synthesis fails
     */
    Speech synthesize(SpeechRequest request);
}
