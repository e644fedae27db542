package io.kinora.voice.internal.espeak;

import io.kinora.api.timeline.WordTiming;
import io.kinora.voice.internal.LineWords;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Word timings from espeak-ng's own events (library path). A word starts at the sample espeak-ng reports for the
 * {@code <mark name="wN"/>} written before it ({@link EspeakSsml}); where espeak-ng drops a mark (it does inside
 * some abbreviations it rewrites, e.g. after "Dr."), at its first WORD event whose text position lies in the
 * word; a word with neither shares the time up to the next known start with the word before it, by letters. A
 * word ends where the next one starts, pulled back over the silence before that (pauses at commas and sentence
 * ends, breaks), and its start moves forward over silence at its beginning: frames of 5 ms more than 40 dB below
 * the loudest frame of the line are silence. Sound that begins up to 15 ms before a word's mark right after a
 * silence is that word's onset: the word starts there. A word with nothing to say (emoji only) gets an empty interval where
 * the word before it ends.
 */
final class EspeakTimings {
    static final double FRAME_SECONDS = 0.005;
    static final double GATE_DB = -40;
    /** How much of a word's sound may come before espeak-ng's mark for it. */
    static final double ONSET_SECONDS = 0.015;

    private EspeakTimings() {
    }

    static List<WordTiming> of(List<LineWords.Span> words, EspeakSsml.Ssml ssml, List<EspeakLibrary.Event> events,
            float[] x, int rate) {
        int n = words.size();
        long[] start = new long[n];
        Arrays.fill(start, -1);
        boolean[] spoken = new boolean[n];
        for (int k = 0; k < n; k++) spoken[k] = ssml.wordFrom()[k] >= 0;
        for (EspeakLibrary.Event e : events) {
            if (e.type() != EspeakLibrary.EVENT_MARK || e.name() == null || !e.name().startsWith("w")) continue;
            try {
                int k = Integer.parseInt(e.name().substring(1));
                if (k >= 0 && k < n && spoken[k] && start[k] < 0) start[k] = clamp(e.sample(), x.length);
            } catch (NumberFormatException ignored) {
                // not one of ours
            }
        }
        for (EspeakLibrary.Event e : events) {
            if (e.type() != EspeakLibrary.EVENT_WORD) continue;
            int pos = e.textPosition() - 1;
            for (int k = 0; k < n; k++) {
                if (spoken[k] && pos >= ssml.wordFrom()[k] && pos < ssml.wordTo()[k]) {
                    boolean marked = markOf(events, k);
                    if (!marked && (start[k] < 0 || e.sample() < start[k])) start[k] = clamp(e.sample(), x.length);
                    break;
                }
            }
        }
        // in order: a start never goes back; unknown starts share the time to the next known one
        long last = 0;
        for (int k = 0; k < n; k++) {
            if (!spoken[k]) continue;
            if (start[k] >= 0) {
                start[k] = Math.max(start[k], last);
                last = start[k];
            }
        }
        fillUnknown(words, spoken, start, x.length);
        // ends: the next spoken word's start, or the end of the audio
        long[] end = new long[n];
        long next = x.length;
        for (int k = n - 1; k >= 0; k--) {
            if (!spoken[k]) continue;
            end[k] = Math.max(start[k], next);
            next = start[k];
        }
        tighten(spoken, start, end, x, rate);
        List<WordTiming> out = new ArrayList<>(n);
        double previousEnd = -1;
        for (int k = 0; k < n; k++) {
            if (spoken[k]) {
                out.add(new WordTiming(words.get(k).word(), start[k] / (double) rate, end[k] / (double) rate));
                previousEnd = end[k] / (double) rate;
            } else {
                double at = previousEnd >= 0 ? previousEnd : firstSpokenStart(spoken, start, rate);
                out.add(new WordTiming(words.get(k).word(), at, at));
            }
        }
        return out;
    }

    private static boolean markOf(List<EspeakLibrary.Event> events, int k) {
        String name = "w" + k;
        for (EspeakLibrary.Event e : events) {
            if (e.type() == EspeakLibrary.EVENT_MARK && name.equals(e.name())) return true;
        }
        return false;
    }

    private static double firstSpokenStart(boolean[] spoken, long[] start, int rate) {
        for (int k = 0; k < spoken.length; k++) if (spoken[k]) return start[k] / (double) rate;
        return 0;
    }

    private static long clamp(long sample, int length) {
        return Math.max(0, Math.min(length, sample));
    }

    /** Words without a reported start share the span from the last known start to the next by weight. */
    private static void fillUnknown(List<LineWords.Span> words, boolean[] spoken, long[] start, int length) {
        int k = 0;
        int n = words.size();
        while (k < n) {
            if (!spoken[k] || start[k] >= 0) {
                k++;
                continue;
            }
            int a = k - 1;
            while (a >= 0 && (!spoken[a] || start[a] < 0)) a--;
            int b = k;
            while (b < n && (!spoken[b] || start[b] < 0)) b++;
            long from = a >= 0 ? start[a] : 0;
            long to = b < n ? start[b] : length;
            List<Integer> share = new ArrayList<>();
            if (a >= 0) share.add(a);
            for (int i = k; i < b; i++) if (spoken[i]) share.add(i);
            double total = 0;
            for (int i : share) total += WordAligner.weight(words.get(i).word());
            double acc = 0;
            for (int i : share) {
                if (i != a) start[i] = from + Math.round((to - from) * acc / total);
                acc += WordAligner.weight(words.get(i).word());
            }
            k = b;
        }
    }

    /** Moves each word's end back over trailing silence and its start forward over leading silence. */
    private static void tighten(boolean[] spoken, long[] start, long[] end, float[] x, int rate) {
        int frame = Math.max(1, (int) Math.round(FRAME_SECONDS * rate));
        int frames = (x.length + frame - 1) / frame;
        double[] rms = new double[frames];
        double loudest = 0;
        for (int f = 0; f < frames; f++) {
            int a = f * frame;
            int b = Math.min(x.length, a + frame);
            double s = 0;
            for (int i = a; i < b; i++) s += (double) x[i] * x[i];
            rms[f] = Math.sqrt(s / Math.max(1, b - a));
            loudest = Math.max(loudest, rms[f]);
        }
        double gate = Math.max(1e-4, loudest * Math.pow(10, GATE_DB / 20));
        int onset = (int) Math.ceil(ONSET_SECONDS / FRAME_SECONDS);
        int next = -1;
        for (int k = spoken.length - 1; k >= 0; k--) {
            if (!spoken[k]) continue;
            // the end: back over the silence before the next word; the next word's sound may begin a few ms
            // before espeak-ng's mark for it (that onset goes to the next word)
            long e = end[k];
            int f = (int) ((e - 1) / frame);
            int lowest = (int) (start[k] / frame);
            int skipped = 0;
            while (skipped < onset && f > lowest && rms[f] >= gate) {
                f--;
                skipped++;
            }
            if (f > lowest && rms[f] < gate) {
                if (skipped > 0 && next >= 0) start[next] = Math.min(start[next], (long) (f + 1) * frame);
                while (f > lowest && rms[f] < gate) f--;
                e = Math.min(e, (long) (f + 1) * frame);
            }
            // the start: forward over silence at the word's beginning
            long st = start[k];
            while (st + frame < e - frame && rms[(int) (st / frame)] < gate) st = (st / frame + 1) * frame;
            start[k] = st;
            end[k] = Math.max(e, st + 1);
            next = k;
        }
    }
}
