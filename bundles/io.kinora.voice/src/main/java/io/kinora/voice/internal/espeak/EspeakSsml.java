package io.kinora.voice.internal.espeak;

import io.kinora.voice.internal.Emoji;
import io.kinora.voice.internal.LineWords;
import io.kinora.voice.internal.markup.SpeechMarkup;

import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;

/**
 * The SSML espeak-ng reads (library: {@code espeakSSML}; command line: {@code -m}), written from the parsed markup
 * so a user's text never reaches espeak-ng as markup: every text is escaped. Shout: louder (+6 dB), higher, faster,
 * strong emphasis. A whispered stretch inside a line is soft and slower (the whisper variant applies to whole lines
 * only).
 *
 * <p>Also: a {@code <mark name="wN"/>} before each word of the line (N: its index in {@link LineWords#spans}), which
 * espeak-ng reports with the audio position where that word starts (the marks do not change the audio); runs of
 * another script that the line's voice cannot read (Han in an English line) inside
 * {@code <voice name="...">} of a voice that can (Mandarin); emoji left out.
 */
final class EspeakSsml {
    /** The SSML, and where each word's text is in it: code point indexes, -1 for a word with nothing to say. */
    record Ssml(String text, int[] wordFrom, int[] wordTo) {
    }

    private EspeakSsml() {
    }

    static String of(SpeechMarkup markup, boolean lineWhisper) {
        return of(markup, lineWhisper, LineWords.spans(markup.plainText()), c -> null).text();
    }

    /**
     * @param words         the words of {@code markup.plainText()}, as {@link LineWords#spans} cuts them
     * @param voiceForRun   for a code point, the espeak voice (with variant) that must read it, or null when the
     *                      line's own voice reads it
     */
    static Ssml of(SpeechMarkup markup, boolean lineWhisper, List<LineWords.Span> words, IntFunction<String> voiceForRun) {
        Writer w = new Writer(words, voiceForRun);
        w.raw("<speak>");
        for (SpeechMarkup.Item item : markup.items()) {
            if (item instanceof SpeechMarkup.Pause p) {
                w.raw("<break time=\"" + Math.round(p.seconds() * 1000) + "ms\"/>");
                continue;
            }
            SpeechMarkup.Text t = (SpeechMarkup.Text) item;
            SpeechMarkup.Style s = t.style();
            double rate = s.rate();
            double pitch = s.pitch();
            int emphasis = s.emphasis(); // volume: applied to the audio by WordGains (espeak-ng applies it weakly)
            if (s.quality() == SpeechMarkup.Quality.SHOUT) {
                rate *= 1.1;
                pitch *= 1.15;
                emphasis = 2;
            } else if (s.quality() == SpeechMarkup.Quality.WHISPER && !lineWhisper) {
                rate *= 0.9;
            }
            boolean prosody = rate != 1 || pitch != 1;
            if (prosody) {
                StringBuilder b = new StringBuilder("<prosody");
                if (rate != 1) b.append(" rate=\"").append(Math.round(rate * 100)).append("%\"");
                if (pitch != 1) b.append(" pitch=\"").append(Math.round(pitch * 100)).append("%\"");
                w.raw(b.append('>').toString());
            }
            if (emphasis > 0) w.raw("<emphasis level=\"" + (emphasis >= 2 ? "strong" : "moderate") + "\">");
            w.text(t.text(), t.offset());
            if (emphasis > 0) w.raw("</emphasis>");
            if (prosody) w.raw("</prosody>");
        }
        w.raw("</speak>");
        return new Ssml(w.b.toString(), w.from, w.to);
    }

    private static final class Writer {
        final StringBuilder b = new StringBuilder();
        final List<LineWords.Span> words;
        final IntFunction<String> voiceForRun;
        final int[] from;
        final int[] to;
        int codePoints;
        int next; // the next word whose mark is still to be written

        Writer(List<LineWords.Span> words, IntFunction<String> voiceForRun) {
            this.words = words;
            this.voiceForRun = voiceForRun;
            from = new int[words.size()];
            to = new int[words.size()];
            Arrays.fill(from, -1);
            Arrays.fill(to, -1);
        }

        void raw(String s) {
            b.append(s);
            codePoints += s.codePointCount(0, s.length());
        }

        /** Text of one stretch, starting at {@code offset} of the plain text. */
        void text(String text, int offset) {
            String run = null; // the voice of the run of another script being written
            boolean afterEmoji = false;
            for (int i = 0; i < text.length(); ) {
                int c = text.codePointAt(i);
                int plain = offset + i;
                i += Character.charCount(c);
                boolean emoji = Emoji.picture(c) || (afterEmoji && Emoji.continuation(c));
                afterEmoji = emoji;
                String v = emoji ? run : voiceForRun.apply(c);
                if (v == null && run != null && continuesRun(c)) v = run;
                if (!java.util.Objects.equals(v, run)) {
                    if (run != null) raw("</voice>");
                    if (v != null) raw("<voice name=\"" + v + "\">");
                    run = v;
                }
                while (next < words.size() && words.get(next).start() <= plain) {
                    raw("<mark name=\"w" + next + "\"/>");
                    next++;
                }
                if (emoji) continue;
                int word = next - 1;
                if (word >= 0 && plain < words.get(word).end()) {
                    if (from[word] < 0) from[word] = codePoints;
                    switch (c) {
                        case '<' -> raw("&lt;");
                        case '>' -> raw("&gt;");
                        case '&' -> raw("&amp;");
                        case '"' -> raw("&quot;");
                        default -> raw(new String(Character.toChars(c)));
                    }
                    to[word] = codePoints;
                } else {
                    raw(Character.isWhitespace(c) ? " " : escape(new String(Character.toChars(c))));
                }
            }
            if (run != null) raw("</voice>");
        }
    }

    /** CJK punctuation and full-width forms stay in the run of the characters around them. */
    private static boolean continuesRun(int c) {
        return (c >= 0x3000 && c <= 0x303F) || (c >= 0xFF00 && c <= 0xFFEF) || c == 0x30FB || c == 0x30FC;
    }

    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
