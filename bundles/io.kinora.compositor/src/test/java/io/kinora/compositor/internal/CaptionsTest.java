package io.kinora.compositor.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kinora.api.timeline.Shot;
import io.kinora.api.timeline.SpokenLine;
import io.kinora.api.timeline.Timeline;
import io.kinora.api.timeline.WordTiming;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

class CaptionsTest {
    /** A line whose words follow one another at 0.3 s each, with a pause after words listed in pauses. */
    static SpokenLine line(int index, String who, String text, double start, int... pausesAfter) {
        List<WordTiming> words = new ArrayList<>();
        double t = start;
        String[] parts = text.split("\\s+");
        for (int i = 0; i < parts.length; i++) {
            String w = parts[i].replaceAll("[^\\p{L}\\p{N}']", "");
            words.add(new WordTiming(w, t, t + 0.25));
            t += 0.3;
            for (int p : pausesAfter) if (p == i) t += 0.8;
        }
        return new SpokenLine(index, who, text, "v", start, t, words);
    }

    static Timeline timeline(double duration, SpokenLine... lines) {
        return new Timeline(duration, 24, (int) Math.round(duration * 24), List.of(lines), List.of(new Shot(0, duration, null)));
    }

    @Test
    void cuesRespectLineLengthLineCountAndCoverTheirWords() {
        SpokenLine a = line(0, "ann", "Well, I never thought the harbour would look this calm in the middle of a storm warning. "
                + "Did you bring the charts we talked about yesterday afternoon?", 0.5);
        SpokenLine b = line(1, "bob", "Of course I did; they are in the blue bag, next to the thermos and the spare batteries for the lamp.",
                a.end() + 0.6, 4);
        Timeline t = timeline(b.end() + 1, a, b);
        List<Captions.Cue> cues = Captions.cues(t, Map.of("ann", "Ann", "bob", "Bob"));
        assertTrue(cues.size() >= 5, "long lines are split into several cues: " + cues);
        for (Captions.Cue c : cues) {
            assertTrue(c.lines().size() <= 2, "at most two lines: " + c);
            for (String l : c.lines()) assertTrue(l.length() <= 42, "at most 42 characters: '" + l + "'");
            assertTrue(c.end() > c.start());
        }
        for (SpokenLine l : t.lines()) {
            for (WordTiming w : l.words()) {
                boolean covered = cues.stream().anyMatch(c -> c.speaker().equals(l.character())
                        && c.start() <= w.start() && c.end() >= w.end() && c.text().contains(w.word()));
                assertTrue(covered, "word '" + w.word() + "' at " + w.start() + " of " + l.character() + " is covered");
            }
        }
        // a sentence ends a cue: "warning." is the last word of its cue, "Did" starts the next one
        assertTrue(cues.stream().anyMatch(c -> c.text().endsWith("warning.")), cues.toString());
        assertTrue(cues.stream().anyMatch(c -> c.text().startsWith("Did")), cues.toString());
        // the pause after Bob's 5th word splits there
        assertTrue(cues.stream().anyMatch(c -> c.text().startsWith("Of course I did; they")
                && c.text().replace('\n', ' ').equals("Of course I did; they")), cues.toString());
        // cues of one speaker never overlap
        for (int i = 1; i < cues.size(); i++) {
            if (cues.get(i).speaker().equals(cues.get(i - 1).speaker())) {
                assertTrue(cues.get(i).start() >= cues.get(i - 1).end() - 1e-9, "no overlap " + cues.get(i - 1) + " / " + cues.get(i));
            }
        }
    }

    @Test
    void webVttHasVoiceSpansEscapesAndValidTimestamps() {
        SpokenLine a = line(0, "ann", "Fish & chips <tonight>?", 1.0);
        SpokenLine b = line(1, "bob", "Yes.", 3.0);
        String vtt = Captions.webVtt(Captions.cues(timeline(5, a, b), Map.of("ann", "Ann Lee")));
        assertTrue(vtt.startsWith("WEBVTT\n\n"), vtt);
        assertTrue(vtt.contains("<v Ann Lee>Fish &amp; chips &lt;tonight&gt;?</v>"), vtt);
        assertTrue(vtt.contains("<v bob>Yes.</v>"), "no display name: the id " + vtt);
        Matcher m = Pattern.compile("(\\d\\d):(\\d\\d):(\\d\\d)\\.(\\d{3}) --> (\\d\\d):(\\d\\d):(\\d\\d)\\.(\\d{3})").matcher(vtt);
        int n = 0;
        while (m.find()) n++;
        assertEquals(2, n, vtt);
        assertTrue(vtt.contains("00:00:01.000 --> "), vtt);
    }

    @Test
    void chineseWithoutSpacesIsWrappedByWidth() {
        String text = "今天的天气非常好我们一起去海边散步吧然后在码头上看日落再回家吃晚饭好不好我觉得这是一个很好的主意";
        SpokenLine l = new SpokenLine(0, "mei", text, "v", 0, 6, List.of(new WordTiming(text, 0.2, 5.8)));
        List<Captions.Cue> cues = Captions.cues(timeline(7, l), Map.of());
        for (Captions.Cue c : cues) {
            for (String s : c.lines()) assertTrue(Captions.columns(s) <= 42, s);
            assertFalse(c.text().contains(" "), "no spaces inserted between Han characters: " + c.text());
        }
        assertEquals(text, String.join("", cues.stream().map(c -> c.text().replace("\n", "")).toList()));
        assertEquals(0.2, cues.get(0).start(), 1e-9);
        assertTrue(cues.get(cues.size() - 1).end() >= 5.8);
    }

    @Test
    void markupIsNotShownAndLinesWithoutWordsStillGetCues() {
        SpokenLine l = new SpokenLine(0, "ann", "Wait <break time=\"500ms\"/> <emphasis>now</emphasis>!", "v", 1, 3, List.of());
        List<Captions.Cue> cues = Captions.cues(timeline(4, l), Map.of());
        assertEquals(1, cues.size());
        assertEquals("Wait now!", cues.get(0).text());
        assertEquals(1.0, cues.get(0).start(), 1e-9);
        assertTrue(cues.get(0).end() >= 3.0);
    }

    @Test
    void overlappingSpeakersShareASegment() {
        SpokenLine a = line(0, "ann", "I am talking now.", 1.0);
        SpokenLine b = line(1, "bob", "So am I.", 1.3);
        List<Captions.Segment> segs = Captions.segments(Captions.cues(timeline(4, a, b), Map.of()), 4);
        assertEquals(0, segs.get(0).start());
        assertEquals(4, segs.get(segs.size() - 1).end());
        assertTrue(segs.stream().anyMatch(s -> s.active().size() == 2));
        Captions.Segment both = segs.stream().filter(s -> s.active().size() == 2).findFirst().orElseThrow();
        assertEquals("ann: I am talking now.\nbob: So am I.", Captions.display(both, true));
    }

    @Test
    void badTimingsAndOddTextNeverBreakTheFile() {
        SpokenLine l = new SpokenLine(0, "ann", "مرحبا بالعالم 👋 hello", "v", 1, 3, List.of(
                new WordTiming("مرحبا", 1.0, 1.4), new WordTiming("بالعالم", Double.NaN, Double.NaN),
                new WordTiming("👋", 2.0, 1.9), new WordTiming("hello", 2.1, 2.6)));
        String vtt = Captions.webVtt(Captions.cues(timeline(4, l), Map.of("ann", "A<n>n")));
        assertFalse(vtt.contains("NaN"), vtt);
        assertTrue(vtt.contains("<v A&lt;n&gt;n>مرحبا بالعالم</v>"), "the untimed word stays with its neighbour: " + vtt);
        assertTrue(vtt.contains("<v A&lt;n&gt;n>👋 hello</v>"), "split at the 0.6 s pause: " + vtt);
        assertEquals("WEBVTT\n\n", Captions.webVtt(Captions.cues(timeline(4), Map.of())));
    }
}
