package io.kinora.jobs.internal;

import io.kinora.api.media.StageException;
import io.kinora.api.scene.LineSpec;
import io.kinora.api.scene.SceneSpec;
import io.kinora.api.timeline.Shot;
import io.kinora.api.timeline.SpokenLine;
import io.kinora.api.timeline.Timeline;
import io.kinora.api.timeline.WordTiming;
import io.kinora.api.voice.Speech;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Places synthesized lines on the clip and derives its length and shot plan.
 * <ul>
 * <li>The first line starts after a short lead-in so the picture establishes before anyone speaks, and after the
 * audio label (the GB 45438 rhythm cue) when the label policy mixes one in, so the cue is never heard over words.</li>
 * <li>Lines follow each other with a natural gap: shorter when the same character continues, longer at a
 * change of speaker (a turn), or the line's own {@code pauseBefore}.</li>
 * <li>The clip ends a tail after the last word; a requested duration must hold the whole dialogue.</li>
 * <li>Each line is a shot focused on its speaker; gaps between lines are wide shots. Focus changes are
 * anticipated slightly so the camera has settled when the speaker starts.</li>
 * </ul>
 */
public final class TimelinePlanner {
    static final double LEAD_IN = 0.6;
    static final double TAIL = 0.8;
    static final double SAME_SPEAKER_GAP = 0.25;
    static final double TURN_GAP = 0.45;
    static final double SILENT_CLIP = 5.0;
    static final double ANTICIPATE = 0.2;
    /** Silence between the end of an audio label and the first word. */
    static final double AFTER_AUDIO_LABEL = 0.3;

    private TimelinePlanner() {
    }

    /**
     * @param speech one synthesized Speech per scene line, same order
     * @param voices voice id used for each line, same order
     */
    public static Timeline plan(SceneSpec scene, List<Speech> speech) {
        return plan(scene, speech, 0);
    }

    /**
     * @param audioLabelSeconds length of the audio label at the start of the clip (0 for none): the first line starts
     *                          {@value #AFTER_AUDIO_LABEL} s after it at the earliest, even when it asks for an earlier
     *                          {@code pauseBefore}
     */
    public static Timeline plan(SceneSpec scene, List<Speech> speech, double audioLabelSeconds) {
        if (speech.size() != scene.lines().size()) {
            throw new IllegalArgumentException("expected " + scene.lines().size() + " speeches, got " + speech.size());
        }
        List<SpokenLine> placed = new ArrayList<>();
        double t = LEAD_IN;
        String previous = null;
        for (int i = 0; i < scene.lines().size(); i++) {
            LineSpec line = scene.lines().get(i);
            Speech s = speech.get(i);
            if (i > 0) {
                t += line.pauseBefore() != null ? line.pauseBefore()
                        : line.character().equals(previous) ? SAME_SPEAKER_GAP : TURN_GAP;
            } else {
                if (line.pauseBefore() != null) t = line.pauseBefore();
                if (audioLabelSeconds > 0) t = Math.max(t, audioLabelSeconds + AFTER_AUDIO_LABEL);
            }
            double start = t;
            double end = start + s.audio().durationSeconds();
            List<WordTiming> words = new ArrayList<>(s.words().size());
            for (WordTiming w : s.words()) words.add(w.shift(start));
            placed.add(new SpokenLine(i, line.character(), line.text(), s.voice(), start, end, words));
            t = end;
            previous = line.character();
        }
        double dialogueEnd = placed.isEmpty() ? 0 : t + TAIL;
        double duration;
        if (scene.duration() != null) {
            if (scene.duration() + 1e-9 < t) {
                throw new StageException(String.format(Locale.ROOT,
                        "duration: %.2f s is shorter than the dialogue, which needs %.2f s; raise duration or leave it out to follow the dialogue",
                        scene.duration(), t));
            }
            duration = scene.duration();
        } else {
            duration = placed.isEmpty() ? SILENT_CLIP : dialogueEnd;
        }
        int fps = scene.fps();
        int frames = (int) Math.ceil(duration * fps - 1e-9);
        double exact = frames / (double) fps;
        return new Timeline(exact, fps, frames, placed, shots(placed, exact));
    }

    static List<Shot> shots(List<SpokenLine> lines, double duration) {
        List<Shot> shots = new ArrayList<>();
        double t = 0;
        for (SpokenLine l : lines) {
            double start = Math.max(t, l.start() - ANTICIPATE);
            if (start > t + 1e-9) shots.add(new Shot(t, start, null));
            double end = Math.min(duration, l.end());
            if (!shots.isEmpty() && shots.get(shots.size() - 1).focus() != null
                    && shots.get(shots.size() - 1).focus().equals(l.character())
                    && Math.abs(shots.get(shots.size() - 1).end() - start) < 1e-9) {
                Shot prev = shots.remove(shots.size() - 1);
                shots.add(new Shot(prev.start(), end, l.character()));
            } else {
                shots.add(new Shot(start, end, l.character()));
            }
            t = end;
        }
        if (t < duration - 1e-9 || shots.isEmpty()) shots.add(new Shot(t, duration, null));
        return shots;
    }
}
