package io.kinora.voice.internal.marytts;

import io.kinora.voice.internal.WordGains;
import io.kinora.voice.internal.markup.SpeechMarkup;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

import javax.xml.parsers.DocumentBuilderFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A line as MaryTTS gets it: an SSML document (the profile's prosody around the markup's own prosody, emphasis
 * and breaks), the audio effects, and the tokens {@link KinoraTokeniser} will make of it, in order, each with its
 * offset in the line's plain text (used to map MaryTTS's timed tokens back to the line's words).
 *
 * <p>Voice quality: a line spoken entirely in {@code kinora:style="whisper"} gets MaryTTS's Whisper effect; a
 * whispered stretch inside a line is spoken soft (-10 dB) and slower (MaryTTS applies effects per request only).
 * Shout is higher (+15 %), faster (110 %), louder (+6 dB) and strongly emphasised.
 *
 * <p>Volume: MaryTTS's HSMM path (text to acoustic parameters to audio) ignores SSML's prosody volume, so the SSML
 * carries none; {@link #wordGainsDb()} gives each word its stretch's gain (markup volume, shout +6 dB, an in-line
 * whisper -10 dB), which the engine applies to the word's audio from its real timings.
 */
final class MaryScript {
    static final String SSML_NS = "http://www.w3.org/2001/10/synthesis";

    /** A token MaryTTS will see, with its start offset in the plain text. */
    record Expected(String text, int offset) {
    }

    private final Document ssml;
    private final String effects;
    private final List<Expected> tokens;
    private final SpeechMarkup markup;

    private MaryScript(Document ssml, String effects, List<Expected> tokens, SpeechMarkup markup) {
        this.ssml = ssml;
        this.effects = effects;
        this.tokens = tokens;
        this.markup = markup;
    }

    Document ssml() {
        return ssml;
    }

    String effects() {
        return effects;
    }

    List<Expected> tokens() {
        return tokens;
    }

    SpeechMarkup markup() {
        return markup;
    }

    static MaryScript of(SpeechMarkup markup, MaryProfile profile) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            Document doc = f.newDocumentBuilder().newDocument();
            Element speak = doc.createElementNS(SSML_NS, "speak");
            speak.setAttribute("version", "1.0");
            speak.setAttributeNS("http://www.w3.org/XML/1998/namespace", "xml:lang", "en-US");
            doc.appendChild(speak);
            Node root = speak;
            if (profile.ratePercent != 100 || profile.pitchPercent != 0) {
                Element p = doc.createElementNS(SSML_NS, "prosody");
                if (profile.ratePercent != 100) p.setAttribute("rate", relative(profile.ratePercent / 100.0));
                if (profile.pitchPercent != 0) p.setAttribute("pitch", relative(1 + profile.pitchPercent / 100.0));
                speak.appendChild(p);
                root = p;
            }
            List<Expected> tokens = new ArrayList<>();
            boolean allWhisper = true;
            boolean anyText = false;
            for (SpeechMarkup.Item item : markup.items()) {
                if (item instanceof SpeechMarkup.Pause pause) {
                    Element b = doc.createElementNS(SSML_NS, "break");
                    b.setAttribute("time", Math.round(pause.seconds() * 1000) + "ms");
                    root.appendChild(b);
                    continue;
                }
                SpeechMarkup.Text text = (SpeechMarkup.Text) item;
                if (text.text().isBlank()) {
                    root.appendChild(doc.createTextNode(text.text()));
                    continue;
                }
                anyText = true;
                allWhisper &= text.style().quality() == SpeechMarkup.Quality.WHISPER;
                for (TextTokens.Token t : TextTokens.tokenize(text.text())) {
                    tokens.add(new Expected(t.text(), text.offset() + t.start()));
                }
                root.appendChild(styled(doc, text, markup));
            }
            String effects = profile.effects;
            if (anyText && allWhisper) {
                effects = effects.isEmpty() ? "Whisper(amount:100.0)" : effects + "+Whisper(amount:100.0)";
            }
            return new MaryScript(doc, effects, tokens, markup);
        } catch (javax.xml.parsers.ParserConfigurationException e) {
            throw new IllegalStateException("no DOM implementation", e);
        }
    }

    /** The gain of each whitespace-separated word of the plain text, in order: its stretch's volume in dB. */
    double[] wordGainsDb() {
        return WordGains.of(markup, WordGains.plainWords(markup));
    }

    private static Node styled(Document doc, SpeechMarkup.Text text, SpeechMarkup markup) {
        SpeechMarkup.Style s = text.style();
        Node content = doc.createTextNode(text.text());
        double rate = s.rate();
        double pitch = s.pitch();
        int emphasis = s.emphasis();
        boolean lineWhisper = WordGains.lineWhisper(markup);
        if (s.quality() == SpeechMarkup.Quality.SHOUT) {
            rate *= 1.1;
            pitch *= 1.15;
            emphasis = 2;
        } else if (s.quality() == SpeechMarkup.Quality.WHISPER && !lineWhisper) {
            rate *= 0.9;
        }
        if (emphasis != 0) {
            Element e = doc.createElementNS(SSML_NS, "emphasis");
            e.setAttribute("level", emphasis >= 2 ? "strong" : emphasis == 1 ? "moderate" : "reduced");
            e.appendChild(content);
            content = e;
        }
        if (rate != 1 || pitch != 1) {
            Element p = doc.createElementNS(SSML_NS, "prosody");
            if (rate != 1) p.setAttribute("rate", relative(rate));
            if (pitch != 1) p.setAttribute("pitch", relative(pitch));
            p.appendChild(content);
            content = p;
        }
        return content;
    }

    /** A factor as an SSML relative change, e.g. 1.25 as "+25%". */
    static String relative(double factor) {
        long pct = Math.round((factor - 1) * 100);
        return (pct >= 0 ? "+" : "") + pct + "%";
    }
}
