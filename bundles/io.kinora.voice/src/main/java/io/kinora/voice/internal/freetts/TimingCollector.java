package io.kinora.voice.internal.freetts;

import com.sun.speech.freetts.FeatureSet;
import com.sun.speech.freetts.Item;
import com.sun.speech.freetts.ProcessException;
import com.sun.speech.freetts.Relation;
import com.sun.speech.freetts.Utterance;
import com.sun.speech.freetts.UtteranceProcessor;

import java.util.ArrayList;
import java.util.List;

/**
 * The last processor in a FreeTTS voice's pipeline: reads, for every token of the utterance, when its words'
 * segments start and end. FreeTTS's durator writes each segment's end time (seconds from the start of the
 * utterance) into the Segment relation; the diphone concatenator lays the audio out on exactly that time
 * axis, and the utterance's audio follows the audio of the previous utterances. A token's span runs from
 * the end of the segment before its first segment to the end of its last segment.
 *
 * <p>FreeTTS renders an utterance right after its processors run, in the calling thread (the voice has no
 * output queue), so the audio captured so far is where this utterance's audio begins.
 */
final class TimingCollector implements UtteranceProcessor {
    /** A token as FreeTTS read it, with its time span in seconds from the start of all audio; NaN when silent. */
    static final class TokenSpan {
        final String text;
        final double start;
        final double end;

        TokenSpan(String text, double start, double end) {
            this.text = text;
            this.start = start;
            this.end = end;
        }

        boolean timed() {
            return !Double.isNaN(start);
        }
    }

    private final CapturingAudioPlayer player;
    private final List<TokenSpan> tokens = new ArrayList<>();
    private final int sampleRate;

    TimingCollector(CapturingAudioPlayer player, int sampleRate) {
        this.player = player;
        this.sampleRate = sampleRate;
    }

    void clear() {
        tokens.clear();
    }

    List<TokenSpan> tokens() {
        return List.copyOf(tokens);
    }

    @Override
    public void processUtterance(Utterance utterance) throws ProcessException {
        double offset = player.samplesCaptured() / (double) sampleRate;
        Relation tokenRelation = utterance.getRelation(Relation.TOKEN);
        if (tokenRelation == null) {
            return;
        }
        for (Item token = tokenRelation.getHead(); token != null; token = token.getNext()) {
            double start = Double.NaN;
            double end = Double.NaN;
            for (Item word = token.getDaughter(); word != null; word = word.getNext()) {
                Item structure = word.getItemAs(Relation.SYLLABLE_STRUCTURE);
                if (structure == null) {
                    continue; // a word FreeTTS could not pronounce: no syllables, no segments
                }
                Item firstSegment = firstSegment(structure);
                Item lastSegment = lastSegment(structure);
                if (firstSegment == null || lastSegment == null) {
                    continue;
                }
                Item previous = firstSegment.getItemAs(Relation.SEGMENT).getPrevious();
                double wordStart = previous == null ? 0.0 : previous.getFeatures().getFloat("end");
                double wordEnd = lastSegment.getFeatures().getFloat("end");
                if (Double.isNaN(start)) {
                    start = wordStart;
                }
                end = wordEnd;
            }
            tokens.add(new TokenSpan(text(token.getFeatures()),
                    Double.isNaN(start) ? Double.NaN : offset + start,
                    Double.isNaN(end) ? Double.NaN : offset + end));
        }
    }

    private static Item firstSegment(Item wordStructure) {
        for (Item syllable = wordStructure.getDaughter(); syllable != null; syllable = syllable.getNext()) {
            if (syllable.getDaughter() != null) {
                return syllable.getDaughter();
            }
        }
        return null;
    }

    private static Item lastSegment(Item wordStructure) {
        Item found = null;
        for (Item syllable = wordStructure.getDaughter(); syllable != null; syllable = syllable.getNext()) {
            if (syllable.getLastDaughter() != null) {
                found = syllable.getLastDaughter();
            }
        }
        return found;
    }

    private static String text(FeatureSet f) {
        return feature(f, "prepunctuation") + feature(f, "name") + feature(f, "punc");
    }

    private static String feature(FeatureSet f, String name) {
        return f.isPresent(name) ? f.getString(name) : "";
    }

    @Override
    public String toString() {
        return "KinoraTimingCollector";
    }
}
