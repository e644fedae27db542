package io.kinora.api.voice;

/** Text for one voice to speak, in a language (BCP 47). */
public record SpeechRequest(String voice, String text, String language) {
}
