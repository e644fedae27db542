package io.kinora.voice.internal.espeak;

import io.kinora.voice.internal.markup.SpeechMarkup;

import java.util.Locale;

/**
 * The SSML espeak-ng reads with {@code -m}, written from the parsed markup (so a user's text never reaches
 * espeak-ng as markup: every text is escaped). Shout: louder (+6 dB), higher, faster, strong emphasis. A
 * whispered stretch inside a line is soft and slower (the whisper variant applies to whole lines only).
 */
final class EspeakSsml {
    private EspeakSsml() {
    }

    static String of(SpeechMarkup markup, boolean lineWhisper) {
        StringBuilder b = new StringBuilder("<speak>");
        for (SpeechMarkup.Item item : markup.items()) {
            if (item instanceof SpeechMarkup.Pause p) {
                b.append("<break time=\"").append(Math.round(p.seconds() * 1000)).append("ms\"/>");
                continue;
            }
            SpeechMarkup.Text t = (SpeechMarkup.Text) item;
            SpeechMarkup.Style s = t.style();
            double rate = s.rate();
            double pitch = s.pitch();
            double volume = s.volumeDb();
            int emphasis = s.emphasis();
            if (s.quality() == SpeechMarkup.Quality.SHOUT) {
                rate *= 1.1;
                pitch *= 1.15;
                volume += 6;
                emphasis = 2;
            } else if (s.quality() == SpeechMarkup.Quality.WHISPER && !lineWhisper) {
                rate *= 0.9;
                volume -= 10;
            }
            boolean prosody = rate != 1 || pitch != 1 || volume != 0;
            if (prosody) {
                b.append("<prosody");
                if (rate != 1) b.append(" rate=\"").append(Math.round(rate * 100)).append("%\"");
                if (pitch != 1) b.append(" pitch=\"").append(Math.round(pitch * 100)).append("%\"");
                if (volume != 0) b.append(String.format(Locale.ROOT, " volume=\"%+.1fdB\"", volume));
                b.append('>');
            }
            if (emphasis > 0) b.append("<emphasis level=\"").append(emphasis >= 2 ? "strong" : "moderate").append("\">");
            b.append(escape(t.text()));
            if (emphasis > 0) b.append("</emphasis>");
            if (prosody) b.append("</prosody>");
        }
        return b.append("</speak>").toString();
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
