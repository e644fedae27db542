package io.kinora.api.timeline;

import java.util.List;

/**
 * One dialogue line placed on the clip: index into the scene's lines, speaker, text, voice used, start and
 * end in clip seconds, and each word's timing in clip seconds.
 */
public record SpokenLine(int index, String character, String text, String voice, double start, double end,
                         List<WordTiming> words) {
    public SpokenLine {
        words = List.copyOf(words);
    }

    public double duration() { return end - start; }
}
