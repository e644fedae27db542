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
     * <p>A character's voice may also be given by traits: {@code "traits:older man, calm"}. Gender words (man,
     * woman, boy, girl, lady, male, female, child), age words (child, young, adult, old/older/elderly) and any other
     * word found in a voice's description (calm, bright, warm, low, ...) pick the best-fitting voice for the
     * language that no other character of the scene has yet (deterministic; ties go to the lower id).
     *
     * @return character id to voice id, in character order
     * @throws io.kinora.api.media.StageException naming the character whose voice is unknown or cannot speak the language
     */
    Map<String, String> cast(List<CharacterSpec> characters, String language);

    /** Speaks one line. @throws io.kinora.api.media.StageException when it cannot */
    Speech speak(SpeechRequest request);
}
