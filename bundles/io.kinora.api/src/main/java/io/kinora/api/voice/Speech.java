package io.kinora.api.voice;

import io.kinora.api.media.AudioBuffer;
import io.kinora.api.timeline.WordTiming;

import java.util.List;

/** Synthesized speech: mono audio and each word's timing in seconds from the start of that audio. */
public record Speech(String voice, AudioBuffer audio, List<WordTiming> words) {
    public Speech {
        words = List.copyOf(words);
    }
}
