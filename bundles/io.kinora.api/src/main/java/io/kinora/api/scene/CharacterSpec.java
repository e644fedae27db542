package io.kinora.api.scene;

/**
 * A speaking character: an id used by lines, a display name for captions, a voice (a catalogue voice
 * id, or {@code null} to let the voice service assign a distinct one) and where the character is in the
 * picture ({@code null} when unknown).
 */
public record CharacterSpec(String id, String name, String voice, Position position) {
    public String displayName() { return name == null || name.isBlank() ? id : name; }
}
