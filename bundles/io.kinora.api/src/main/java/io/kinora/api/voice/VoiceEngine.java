package io.kinora.api.voice;

import java.util.List;

/**
 * A text-to-speech engine (SPI): register an implementation as an OSGi service and its voices join the
 * catalogue of {@link VoiceService}. Implementations are thread-safe.
 *
 * <p>How a host adds an engine (e.g. a neural TTS served over HTTP, or a TorchScript model):
 * <ul>
 * <li>Publish a {@code VoiceEngine} service from a Declarative Services component with
 * {@code configurationPolicy = REQUIRE} and a configuration PID of its own, so that the engine is <b>off until a
 * configuration for it exists</b> (its URL, model path, ...); add the service property
 * {@code kinora.voice.engine=<id>}. The voice service picks engines up and drops them at run time (dynamic,
 * multiple reference); a voice id offered by two engines belongs to the one with the higher
 * {@code service.ranking}.</li>
 * <li>{@link #voices()} returns stable ids (they appear in scene files), and must not block: an engine that
 * starts slowly lists its voices at once and lets {@link #synthesize} wait for the start.</li>
 * <li>{@link #synthesize} receives the line as written, which may hold Kinora's markup (an SSML subset:
 * {@code <break time|strength>}, {@code <emphasis level>}, {@code <prosody rate pitch volume kinora:style>} with
 * kinora:style {@code whisper|shout|normal}; see the io.kinora.voice README). An engine must speak the words
 * and never read the tags aloud; a '&lt;' that opens none of these tags is text.</li>
 * <li>It returns mono audio (any sample rate) and one {@link io.kinora.api.timeline.WordTiming} per
 * whitespace-separated word of the line's text (without markup), in order, in seconds from the start of the
 * returned audio, with start &lt;= end and no overlap; a word the engine said nothing for gets an empty span
 * where it stands. Captions, speaker turns and the shot plan are built from these.</li>
 * <li>Unknown voice, a language the voice cannot speak, empty text, text it cannot pronounce, failures of the
 * engine: throw {@link io.kinora.api.media.StageException} with a message a user can act on (name the voice,
 * language or words).</li>
 * </ul>
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
