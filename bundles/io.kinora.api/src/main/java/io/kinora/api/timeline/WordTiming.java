package io.kinora.api.timeline;

/** A word and when it is spoken, in seconds (relative to the start of its line or of the clip, as documented where used). */
public record WordTiming(String word, double start, double end) {
    public WordTiming shift(double seconds) { return new WordTiming(word, start + seconds, end + seconds); }
}
