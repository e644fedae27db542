package io.kinora.api.voice;

import io.kinora.api.scene.CharacterSpec;

import java.util.List;
import java.util.Map;

/** The voice catalogue over every registered engine: casting and synthesis. */
public interface VoiceService {
    /** Every voice of every engine, sorted by id. */
    List<VoiceInfo> voices();

    /**
     * Gives each character a voice: its requested voice id when set, otherwise a distinct catalogue voice
     * for the language (no two characters share a voice while distinct voices remain).
     *
     * @return character id to voice id, in character order
     * @throws io.kinora.api.media.StageException naming the character whose voice is unknown or cannot speak the language
     */
    Map<String, String> cast(List<CharacterSpec> characters, String language);

    /** Speaks one line. @throws io.kinora.api.media.StageException when it cannot */
    Speech speak(SpeechRequest request);
}
