package io.kinora.voice.internal;

import io.kinora.api.timeline.WordTiming;
import io.kinora.voice.internal.markup.SpeechMarkup;

import java.util.List;

/**
 * Markup volume applied by Kinora to the audio an engine returns, word by word from the word timings. MaryTTS's
 * HSMM path ignores SSML's prosody volume and espeak-ng applies it only weakly (+4/-6 dB came out 1 dB apart), so
 * neither gets volume in its SSML; each word gets its stretch's gain here instead: the markup volume, shout +6 dB,
 * a whispered stretch inside a line -10 dB (a wholly whispered line is a voice quality, not a level).
 */
public final class WordGains {
    /** Ramp of a gain change between two words, seconds (no click where the level changes). */
    static final double RAMP = 0.01;

    private WordGains() {
    }

    /** Whether every spoken stretch of the line is whispered. */
    public static boolean lineWhisper(SpeechMarkup markup) {
        return markup.items().stream().allMatch(i -> !(i instanceof SpeechMarkup.Text t)
                || t.text().isBlank() || t.style().quality() == SpeechMarkup.Quality.WHISPER);
    }

    /** A stretch's gain in dB. */
    public static double volumeDb(SpeechMarkup.Style s, boolean lineWhisper) {
        double volume = s.volumeDb();
        if (s.quality() == SpeechMarkup.Quality.SHOUT) volume += 6;
        else if (s.quality() == SpeechMarkup.Quality.WHISPER && !lineWhisper) volume -= 10;
        return volume;
    }

    /** The gain in dB of each word, given by its start offset in the markup's plain text. */
    public static double[] of(SpeechMarkup markup, List<LineWords.Span> words) {
        boolean whisper = lineWhisper(markup);
        double[] gains = new double[words.size()];
        for (int k = 0; k < words.size(); k++) {
            int at = words.get(k).start();
            for (SpeechMarkup.Item i : markup.items()) {
                if (i instanceof SpeechMarkup.Text t && at >= t.offset() && at < t.offset() + t.text().length()) {
                    gains[k] = volumeDb(t.style(), whisper);
                    break;
                }
            }
        }
        return gains;
    }

    /** The whitespace-separated words of the plain text with their offsets (the English engines' words). */
    public static List<LineWords.Span> plainWords(SpeechMarkup markup) {
        String text = markup.plainText();
        List<LineWords.Span> out = new java.util.ArrayList<>();
        int pos = 0;
        for (String w : LineWords.split(text)) {
            int at = text.indexOf(w, pos);
            out.add(new LineWords.Span(w, at, at + w.length()));
            pos = at + w.length();
        }
        return out;
    }

    /**
     * Applies each word's gain from the word's start to the next word's start (the first word's from the start of
     * the audio, the last one's to its end), changing linearly over {@link #RAMP} at each boundary. Clips at +-1.
     */
    public static void apply(float[] x, int rate, List<WordTiming> words, double[] gainsDb) {
        int n = Math.min(words.size(), gainsDb.length);
        boolean any = false;
        for (int k = 0; k < n; k++) any |= gainsDb[k] != 0;
        if (!any) return;
        double[] g = new double[x.length];
        for (int k = 0; k < n; k++) {
            int from = k == 0 ? 0 : (int) Math.round(words.get(k).start() * rate);
            int to = k + 1 < n ? (int) Math.round(words.get(k + 1).start() * rate) : x.length;
            double linear = Math.pow(10, gainsDb[k] / 20);
            for (int i = Math.max(0, from); i < Math.min(x.length, to); i++) g[i] = linear;
        }
        int ramp = Math.max(1, (int) Math.round(RAMP * rate));
        double sum = 0; // a moving average over the ramp turns each step into a linear ramp
        double[] smooth = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            sum += g[i];
            if (i >= ramp) sum -= g[i - ramp];
            smooth[i] = sum / Math.min(i + 1, ramp);
        }
        for (int i = 0; i < x.length; i++) x[i] = (float) Math.max(-1, Math.min(1, x[i] * smooth[i]));
    }
}
