package io.kinora.voice.internal.marytts;

import io.kinora.api.timeline.WordTiming;
import io.kinora.voice.internal.LineWords;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

import java.util.ArrayList;
import java.util.List;

/**
 * Word timings from a MaryTTS ACOUSTPARAMS document: each token ({@code <t>}, or a whole {@code <mtu>} where
 * MaryTTS expanded one token into several, e.g. "3:30") spans from the start of its first phone to the end of its
 * last ({@code <ph d="ms" end="s">}). Tokens are matched in order with the tokens {@link KinoraTokeniser} made
 * of the line ({@link MaryScript#tokens()}), and each token's time goes to the line word that contains it.
 */
final class MaryTimings {
    private static final Logger LOG = LoggerFactory.getLogger(MaryTimings.class);

    private MaryTimings() {
    }

    /** A timed unit of the document: its text and span (NaN when it has no phones, e.g. punctuation). */
    record Unit(String text, double start, double end) {
        boolean timed() {
            return !Double.isNaN(start);
        }
    }

    /**
     * Pauses: MaryTTS's {@code <boundary duration="ms">} pauses are in the audio, but the phones' {@code end} times
     * sometimes include them (a gap between one phone's end and the next phone's start) and sometimes do not
     * (the next phone starts where the last ended). So each pending boundary delays the following phones by the
     * part of its duration that the phone times do not already show.
     */
    static List<Unit> units(Document doc) {
        List<Unit> out = new ArrayList<>();
        collect(doc.getDocumentElement(), out, new Clock());
        return out;
    }

    /** Running state over the document: offset added to phone times, pause not yet placed, last raw phone end. */
    private static final class Clock {
        double offset;
        double pending;
        double lastRawEnd;
    }

    private static void collect(Element e, List<Unit> out, Clock clock) {
        String name = e.getLocalName() != null ? e.getLocalName() : e.getTagName();
        if (name.equals("mtu") || name.equals("t")) {
            double[] span = {Double.NaN, Double.NaN};
            phones(e, span, clock);
            String text = name.equals("mtu") ? e.getAttribute("orig") : e.getTextContent().trim();
            out.add(new Unit(text, span[0], span[1]));
            return;
        }
        if (name.equals("boundary")) {
            boundary(e, clock);
            return;
        }
        for (Node c = e.getFirstChild(); c != null; c = c.getNextSibling()) {
            if (c instanceof Element child) collect(child, out, clock);
        }
    }

    private static void boundary(Element e, Clock clock) {
        if (!e.getAttribute("duration").isEmpty()) {
            clock.pending += Double.parseDouble(e.getAttribute("duration")) / 1000;
        }
    }

    private static void phones(Element e, double[] span, Clock clock) {
        String name = e.getLocalName() != null ? e.getLocalName() : e.getTagName();
        if (name.equals("boundary")) {
            boundary(e, clock);
        }
        if (name.equals("ph") && !e.getAttribute("end").isEmpty()) {
            double rawEnd = Double.parseDouble(e.getAttribute("end"));
            double d = e.getAttribute("d").isEmpty() ? 0 : Double.parseDouble(e.getAttribute("d")) / 1000;
            double rawStart = rawEnd - d;
            if (clock.pending > 0) {
                double shown = Math.max(0, rawStart - clock.lastRawEnd);
                clock.offset += Math.max(0, clock.pending - shown);
                clock.pending = 0;
            }
            clock.lastRawEnd = rawEnd;
            double start = rawStart + clock.offset;
            double end = rawEnd + clock.offset;
            if (Double.isNaN(span[0]) || start < span[0]) span[0] = start;
            if (Double.isNaN(span[1]) || end > span[1]) span[1] = end;
        }
        for (Node c = e.getFirstChild(); c != null; c = c.getNextSibling()) {
            if (c instanceof Element child) phones(child, span, clock);
        }
    }

    static List<WordTiming> words(Document acoustic, MaryScript script) {
        List<Unit> units = units(acoustic);
        String plain = script.markup().plainText();
        List<int[]> wordSpans = wordSpans(plain);
        List<MaryScript.Expected> expected = script.tokens();
        List<WordTiming> out = new ArrayList<>(wordSpans.size());
        if (units.size() != expected.size()) {
            LOG.debug("MaryTTS made {} tokens of {} expected; reporting its own tokens", units.size(), expected.size());
            double cursor = 0;
            for (Unit u : units) {
                if (!u.timed()) continue;
                double start = Math.max(cursor, u.start());
                out.add(new WordTiming(u.text(), start, Math.max(start, u.end())));
                cursor = Math.max(start, u.end());
            }
            return out;
        }
        double[] starts = new double[wordSpans.size()];
        double[] ends = new double[wordSpans.size()];
        java.util.Arrays.fill(starts, Double.NaN);
        java.util.Arrays.fill(ends, Double.NaN);
        for (int k = 0; k < units.size(); k++) {
            Unit u = units.get(k);
            if (!u.timed()) continue;
            int w = wordAt(wordSpans, expected.get(k).offset());
            if (w < 0) continue;
            starts[w] = Double.isNaN(starts[w]) ? u.start() : Math.min(starts[w], u.start());
            ends[w] = Double.isNaN(ends[w]) ? u.end() : Math.max(ends[w], u.end());
        }
        double cursor = 0;
        for (int w = 0; w < wordSpans.size(); w++) {
            String word = plain.substring(wordSpans.get(w)[0], wordSpans.get(w)[1]);
            if (Double.isNaN(starts[w])) {
                out.add(new WordTiming(word, cursor, cursor));
                continue;
            }
            double start = Math.max(cursor, starts[w]);
            double end = Math.max(start, ends[w]);
            out.add(new WordTiming(word, start, end));
            cursor = end;
        }
        return out;
    }

    /** [start, end) of each whitespace-separated word, as {@link LineWords} splits them. */
    static List<int[]> wordSpans(String text) {
        List<int[]> spans = new ArrayList<>();
        int i = 0;
        int n = text.length();
        while (i < n) {
            while (i < n && (Character.isWhitespace(text.charAt(i)) || Character.isSpaceChar(text.charAt(i)))) i++;
            int start = i;
            while (i < n && !(Character.isWhitespace(text.charAt(i)) || Character.isSpaceChar(text.charAt(i)))) i++;
            if (i > start) spans.add(new int[]{start, i});
        }
        assert spans.size() == LineWords.split(text).size();
        return spans;
    }

    private static int wordAt(List<int[]> spans, int offset) {
        for (int w = 0; w < spans.size(); w++) {
            if (offset >= spans.get(w)[0] && offset < spans.get(w)[1]) return w;
        }
        return -1;
    }
}
