package io.kinora.voice.internal.espeak;

import io.kinora.api.timeline.WordTiming;

import java.util.ArrayList;
import java.util.List;

/**
 * Word timings for an engine that reports none (espeak-ng's command line gives audio, not word events):
 * derived from the audio and the text, and documented as an estimate.
 *
 * <ol>
 * <li>The audio is cut into speech stretches at pauses (10 ms frames under -35 dB of the loudest frame for at
 * least 120 ms).</li>
 * <li>The words are cut into phrases after words ending in clause punctuation (, . ; : ! ? … and the CJK
 * forms).</li>
 * <li>If there are as many stretches as phrases, each phrase takes its stretch; otherwise all words share the
 * speech time of all stretches (pauses skipped).</li>
 * <li>Within a span, words take time in proportion to their weight: letters and digits count 1, each Han,
 * kana or Hangul character 3 (one syllable), at least 1 per word.</li>
 * </ol>
 */
public final class WordAligner {
    static final double FRAME = 0.010;
    static final double GATE_DB = -35;
    static final double MIN_PAUSE = 0.120;

    private WordAligner() {
    }

    public static List<WordTiming> align(List<String> words, float[] mono, int rate) {
        List<double[]> stretches = stretches(mono, rate);
        List<WordTiming> out = new ArrayList<>(words.size());
        if (words.isEmpty() || stretches.isEmpty()) {
            for (String w : words) out.add(new WordTiming(w, 0, 0));
            return out;
        }
        List<List<Integer>> phrases = new ArrayList<>();
        List<Integer> current = new ArrayList<>();
        for (int i = 0; i < words.size(); i++) {
            current.add(i);
            if (endsClause(words.get(i)) && i < words.size() - 1) {
                phrases.add(current);
                current = new ArrayList<>();
            }
        }
        phrases.add(current);
        double[] starts = new double[words.size()];
        double[] ends = new double[words.size()];
        if (phrases.size() == stretches.size()) {
            for (int p = 0; p < phrases.size(); p++) {
                spread(words, phrases.get(p), List.of(stretches.get(p)), starts, ends);
            }
        } else {
            List<Integer> all = new ArrayList<>();
            for (int i = 0; i < words.size(); i++) all.add(i);
            spread(words, all, stretches, starts, ends);
        }
        for (int i = 0; i < words.size(); i++) out.add(new WordTiming(words.get(i), starts[i], ends[i]));
        return out;
    }

    /** Distributes the words over the spans (concatenated, gaps skipped) by weight. */
    private static void spread(List<String> words, List<Integer> idx, List<double[]> spans, double[] starts, double[] ends) {
        double total = 0;
        for (double[] s : spans) total += s[1] - s[0];
        double weightSum = 0;
        for (int i : idx) weightSum += weight(words.get(i));
        double acc = 0;
        for (int i : idx) {
            double a = acc / weightSum * total;
            acc += weight(words.get(i));
            double b = acc / weightSum * total;
            starts[i] = toTime(spans, a, false);
            ends[i] = toTime(spans, b, true);
        }
    }

    private static double toTime(List<double[]> spans, double speech, boolean end) {
        double left = speech;
        for (int k = 0; k < spans.size(); k++) {
            double len = spans.get(k)[1] - spans.get(k)[0];
            if (left < len || (end && left <= len + 1e-9) || k == spans.size() - 1) {
                return spans.get(k)[0] + Math.min(left, len);
            }
            left -= len;
        }
        return spans.get(spans.size() - 1)[1];
    }

    static double weight(String word) {
        double w = 0;
        for (int i = 0; i < word.length(); ) {
            int c = word.codePointAt(i);
            i += Character.charCount(c);
            Character.UnicodeScript script = Character.UnicodeScript.of(c);
            if (script == Character.UnicodeScript.HAN || script == Character.UnicodeScript.HIRAGANA
                    || script == Character.UnicodeScript.KATAKANA || script == Character.UnicodeScript.HANGUL) {
                w += 3;
            } else if (Character.isLetterOrDigit(c)) {
                w += 1;
            }
        }
        return Math.max(1, w);
    }

    static boolean endsClause(String word) {
        String marks = ",.;:!?\u2026\uff0c\u3002\uff1b\uff1a\uff01\uff1f\u3001\u060c\u061f";
        for (int i = word.length() - 1; i >= 0; i--) {
            char c = word.charAt(i);
            if ("\"')]\u201d\u2019\u300d\u300f".indexOf(c) >= 0) continue;
            return marks.indexOf(c) >= 0;
        }
        return false;
    }

    /** Speech stretches [start, end) in seconds. */
    static List<double[]> stretches(float[] x, int rate) {
        int frame = Math.max(1, (int) Math.round(FRAME * rate));
        int frames = x.length / frame;
        double[] rms = new double[frames];
        double loudest = 0;
        for (int f = 0; f < frames; f++) {
            double s = 0;
            for (int i = f * frame; i < (f + 1) * frame; i++) s += (double) x[i] * x[i];
            rms[f] = Math.sqrt(s / frame);
            loudest = Math.max(loudest, rms[f]);
        }
        List<double[]> out = new ArrayList<>();
        if (loudest <= 0) return out;
        double gate = Math.max(1e-4, loudest * Math.pow(10, GATE_DB / 20));
        double fs = frame / (double) rate;
        int minGap = (int) Math.round(MIN_PAUSE / fs);
        int start = -1;
        int lastLoud = -1;
        for (int f = 0; f < frames; f++) {
            if (rms[f] >= gate) {
                if (start < 0) start = f;
                else if (f - lastLoud > minGap) {
                    out.add(new double[]{start * fs, (lastLoud + 1) * fs});
                    start = f;
                }
                lastLoud = f;
            }
        }
        if (start >= 0) out.add(new double[]{start * fs, (lastLoud + 1) * fs});
        return out;
    }
}
