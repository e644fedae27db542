package io.kinora.compositor.internal;

import io.kinora.api.timeline.SpokenLine;
import io.kinora.api.timeline.Timeline;
import io.kinora.api.timeline.WordTiming;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Caption cues from the timeline's word timings.
 *
 * <p>Each spoken line is cut into cues at pauses (a gap of more than {@value #PAUSE_S} s between words), after
 * sentence punctuation, after clause punctuation once a cue holds a full line, and whenever the next word would
 * not fit in {@value #MAX_LINES} lines of {@value #MAX_COLUMNS} columns (CJK characters count two columns) or the
 * cue would last longer than {@value #MAX_CUE_S} s. A cue runs from its first word's start to its last word's end,
 * held up to {@value #HOLD_S} s longer (never into the speaker's next cue) and at least {@value #MIN_CUE_S} s when
 * there is room. Two lines are balanced, preferring a break after punctuation. Display words come from the line's
 * text (with its punctuation, markup removed) when they can be matched to the timed words, else the timed words.
 */
final class Captions {
    static final int MAX_COLUMNS = 42;
    static final int MAX_LINES = 2;
    static final double PAUSE_S = 0.5;
    static final double MAX_CUE_S = 7.0;
    static final double HOLD_S = 0.4;
    static final double MIN_CUE_S = 1.0;

    /** One caption: time span, speaker id and display name, one or two lines. */
    record Cue(double start, double end, String speaker, String name, List<String> lines) {
        String text() { return String.join("\n", lines); }
    }

    /** Expressive markup (the SSML subset of the voice stage) is not shown. */
    private static final java.util.regex.Pattern MARKUP = java.util.regex.Pattern.compile(
            "</?(speak|break|emphasis|prosody|say-as|sub|phoneme|voice|lang|mark|audio|whisper|shout|p|s)(\\s[^>]*)?/?>",
            java.util.regex.Pattern.CASE_INSENSITIVE);

    private record Token(String text, double start, double end) {
    }

    private Captions() {
    }

    static List<Cue> cues(Timeline timeline, Map<String, String> names) {
        List<Cue> all = new ArrayList<>();
        for (SpokenLine line : timeline.lines()) {
            String id = line.character() == null ? "" : line.character();
            String name = names == null ? null : names.get(id);
            if (name == null || name.isBlank()) name = id;
            List<Cue> own = lineCues(line, id, name);
            all.addAll(own);
        }
        all.sort(Comparator.comparingDouble(Cue::start));
        // hold each cue a little after its last word, never into the next cue of the same speaker or the clip end
        List<Cue> held = new ArrayList<>(all.size());
        for (int i = 0; i < all.size(); i++) {
            Cue c = all.get(i);
            double limit = timeline.duration();
            for (int j = i + 1; j < all.size(); j++) {
                Cue next = all.get(j);
                if (next.speaker().equals(c.speaker()) || next.start() >= c.end()) {
                    limit = Math.min(limit, next.start());
                    break;
                }
            }
            double end = Math.max(c.end(), Math.min(limit, Math.max(c.end() + HOLD_S, c.start() + MIN_CUE_S)));
            held.add(new Cue(c.start(), end, c.speaker(), c.name(), c.lines()));
        }
        return held;
    }

    private static List<Cue> lineCues(SpokenLine line, String id, String name) {
        List<Token> tokens = tokens(line);
        List<Cue> cues = new ArrayList<>();
        List<Token> current = new ArrayList<>();
        for (Token t : tokens) {
            if (!current.isEmpty()) {
                Token prev = current.get(current.size() - 1);
                List<Token> with = new ArrayList<>(current);
                with.add(t);
                int cols = columns(join(current));
                boolean split = t.start() - prev.end() > PAUSE_S
                        || endsSentence(prev.text())
                        || (endsClause(prev.text()) && cols >= MAX_COLUMNS * 0.6)
                        || layout(with) == null
                        || t.end() - current.get(0).start() > MAX_CUE_S;
                if (split) {
                    cues.add(cue(current, id, name));
                    current = new ArrayList<>();
                }
            }
            current.add(t);
        }
        if (!current.isEmpty()) cues.add(cue(current, id, name));
        return cues;
    }

    private static Cue cue(List<Token> tokens, String id, String name) {
        List<String> lines = layout(tokens);
        if (lines == null) lines = List.of(join(tokens)); // a single over-long token is split before; defensive
        return new Cue(tokens.get(0).start(), tokens.get(tokens.size() - 1).end(), id, name, lines);
    }

    /** The tokens on one or two balanced lines of at most MAX_COLUMNS, or null when they do not fit. */
    static List<String> layoutWords(List<String> words) {
        List<Token> t = new ArrayList<>();
        for (String w : words) t.add(new Token(w, 0, 0));
        return layout(t);
    }

    private static List<String> layout(List<Token> tokens) {
        String one = join(tokens);
        if (columns(one) <= MAX_COLUMNS) return List.of(one);
        List<String> best = null;
        double bestScore = Double.MAX_VALUE;
        for (int k = 1; k < tokens.size(); k++) {
            String a = join(tokens.subList(0, k));
            String b = join(tokens.subList(k, tokens.size()));
            int ca = columns(a), cb = columns(b);
            if (ca > MAX_COLUMNS || cb > MAX_COLUMNS) continue;
            String last = tokens.get(k - 1).text();
            double score = Math.abs(ca - cb) - (endsSentence(last) || endsClause(last) ? 12 : 0) + (ca > cb ? 2 : 0);
            if (score < bestScore) {
                bestScore = score;
                best = List.of(a, b);
            }
        }
        return best;
    }

    /** Display tokens with clip times; over-long tokens are cut into pieces sharing the word's time. */
    private static List<Token> tokens(SpokenLine line) {
        List<WordTiming> words = line.words();
        String text = line.text() == null ? "" : MARKUP.matcher(line.text()).replaceAll(" ")
                .replaceAll("\\s+([,.!?;:…])", "$1").trim();
        String[] parts = text.isEmpty() ? new String[0] : text.split("\\s+");
        List<Token> raw = new ArrayList<>();
        if (words.isEmpty()) {
            // no word timings: spread the text's tokens over the line by length
            int total = 0;
            for (String p : parts) total += Math.max(1, p.length());
            double t = line.start(), span = Math.max(0, line.end() - line.start());
            for (String p : parts) {
                double d = total == 0 ? 0 : span * Math.max(1, p.length()) / total;
                raw.add(new Token(p, t, t + d));
                t += d;
            }
        } else if (parts.length == words.size()) {
            for (int i = 0; i < parts.length; i++) raw.add(new Token(parts[i], words.get(i).start(), words.get(i).end()));
        } else {
            // align greedily: a text token whose letters equal (or start with) the timed word's letters replaces it
            int j = 0;
            for (WordTiming w : words) {
                String nw = norm(w.word());
                String shown = w.word();
                for (int k = j; k < Math.min(parts.length, j + 3); k++) {
                    String np = norm(parts[k]);
                    if (!nw.isEmpty() && np.equals(nw)) {
                        shown = parts[k];
                        j = k + 1;
                        break;
                    }
                }
                if (shown != null && !shown.isBlank()) raw.add(new Token(shown.trim(), w.start(), w.end()));
            }
        }
        List<Token> out = new ArrayList<>();
        double last = line.start();
        for (Token t : raw) {
            if (t.text().isEmpty()) continue;
            if (!Double.isFinite(t.start()) || !Double.isFinite(t.end())) {
                // a word without a usable time is shown with its neighbour (never dropped, never NaN in the file)
                t = new Token(t.text(), last, last);
            } else if (t.end() < t.start()) {
                t = new Token(t.text(), t.start(), t.start());
            }
            last = Math.max(last, t.end());
            if (columns(t.text()) <= MAX_COLUMNS) {
                out.add(t);
                continue;
            }
            // hard wrap a token wider than a line (long CJK runs without spaces, URLs)
            int[] cps = t.text().codePoints().toArray();
            List<String> pieces = new ArrayList<>();
            StringBuilder sb = new StringBuilder();
            int cols = 0;
            for (int cp : cps) {
                int w = width(cp);
                if (cols + w > MAX_COLUMNS) {
                    pieces.add(sb.toString());
                    sb.setLength(0);
                    cols = 0;
                }
                sb.appendCodePoint(cp);
                cols += w;
            }
            if (sb.length() > 0) pieces.add(sb.toString());
            double d = (t.end() - t.start()) / pieces.size();
            for (int i = 0; i < pieces.size(); i++) out.add(new Token(pieces.get(i), t.start() + i * d, t.start() + (i + 1) * d));
        }
        return out;
    }

    private static String norm(String s) {
        StringBuilder b = new StringBuilder();
        s.toLowerCase(Locale.ROOT).codePoints().filter(Character::isLetterOrDigit).forEach(b::appendCodePoint);
        return b.toString();
    }

    private static String join(List<Token> tokens) {
        StringBuilder b = new StringBuilder();
        for (Token t : tokens) {
            if (b.length() > 0 && needsSpace(b.codePointBefore(b.length()), t.text().codePointAt(0))) b.append(' ');
            b.append(t.text());
        }
        return b.toString();
    }

    private static boolean needsSpace(int before, int after) {
        return !(wide(before) || wide(after));
    }

    static int columns(String s) {
        return s.codePoints().map(Captions::width).sum();
    }

    private static int width(int cp) {
        return wide(cp) ? 2 : 1;
    }

    private static boolean wide(int cp) {
        Character.UnicodeScript sc = Character.UnicodeScript.of(cp);
        return sc == Character.UnicodeScript.HAN || sc == Character.UnicodeScript.HIRAGANA
                || sc == Character.UnicodeScript.KATAKANA || sc == Character.UnicodeScript.HANGUL
                || (cp >= 0x3000 && cp <= 0x303F) || (cp >= 0xFF00 && cp <= 0xFFEF);
    }

    private static boolean endsSentence(String w) {
        return w.matches(".*[.!?…。！？]['\"’”)»]*$");
    }

    private static boolean endsClause(String w) {
        return w.matches(".*[,;:—–，；：、]['\"’”)»]*$");
    }

    /** The cues as a WebVTT file: voice spans name the speaker; text is escaped. */
    static String webVtt(List<Cue> cues) {
        StringBuilder b = new StringBuilder("WEBVTT\n\n");
        int n = 1;
        for (Cue c : cues) {
            b.append(n++).append('\n').append(time(c.start())).append(" --> ").append(time(c.end())).append('\n');
            b.append("<v ").append(escape(c.name()).replace("\n", " ")).append('>');
            b.append(escape(String.join("\n", c.lines()))).append("</v>\n\n");
        }
        return b.toString();
    }

    static String time(double seconds) {
        long ms = Math.max(0, Math.round(seconds * 1000));
        return String.format(Locale.ROOT, "%02d:%02d:%02d.%03d", ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("-->", "--&gt;");
    }

    /** A stretch of time with the captions to show then (several when speakers overlap), or none. */
    record Segment(double start, double end, List<Cue> active) {
    }

    /** Splits [0, duration] at every cue boundary: what to display when (for the MP4 track and burn-in). */
    static List<Segment> segments(List<Cue> cues, double duration) {
        java.util.TreeSet<Double> cuts = new java.util.TreeSet<>();
        cuts.add(0.0);
        cuts.add(duration);
        for (Cue c : cues) {
            if (c.start() < duration) cuts.add(Math.max(0, c.start()));
            if (c.end() < duration) cuts.add(Math.max(0, c.end()));
        }
        List<Segment> out = new ArrayList<>();
        Double prev = null;
        for (double t : cuts) {
            if (prev != null && t > prev) {
                double mid = (prev + t) / 2;
                List<Cue> active = new ArrayList<>();
                for (Cue c : cues) if (c.start() <= mid && c.end() > mid) active.add(c);
                out.add(new Segment(prev, t, active));
            }
            prev = t;
        }
        return out;
    }

    /** The text of a segment as shown in the track and burned in: speaker names prefixed when several people speak. */
    static String display(Segment s, boolean names) {
        StringBuilder b = new StringBuilder();
        for (Cue c : s.active()) {
            for (int i = 0; i < c.lines().size(); i++) {
                if (b.length() > 0) b.append('\n');
                if (i == 0 && names) b.append(c.name()).append(": ");
                b.append(c.lines().get(i));
            }
        }
        return b.toString();
    }
}
