package io.kinora.jobs.internal;

import io.kinora.api.media.AudioBuffer;
import io.kinora.api.media.StageException;
import io.kinora.api.scene.CharacterSpec;
import io.kinora.api.scene.LineSpec;
import io.kinora.api.scene.SceneSpec;
import io.kinora.api.timeline.Shot;
import io.kinora.api.timeline.Timeline;
import io.kinora.api.timeline.WordTiming;
import io.kinora.api.voice.Speech;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TimelinePlannerTest {
    private static Speech speech(double seconds) {
        return new Speech("v", AudioBuffer.silence(16000, 1, seconds),
                List.of(new WordTiming("one", 0.05, seconds / 2), new WordTiming("two", seconds / 2, seconds - 0.05)));
    }

    private static SceneSpec scene(Double duration, List<LineSpec> lines) {
        return new SceneSpec(null, "p", duration, 24, null, null, null,
                List.of(new CharacterSpec("a", null, null, null), new CharacterSpec("b", null, null, null)),
                lines, null, null, null, null, 1);
    }

    @Test
    void clipLengthFollowsTheDialogue() {
        SceneSpec s = scene(null, List.of(new LineSpec("a", "x", null), new LineSpec("b", "y", null), new LineSpec("b", "z", null)));
        Timeline t = TimelinePlanner.plan(s, List.of(speech(1.0), speech(2.0), speech(0.5)));
        assertEquals(3, t.lines().size());
        assertEquals(TimelinePlanner.LEAD_IN, t.lines().get(0).start(), 1e-9);
        assertEquals(t.lines().get(0).end() + TimelinePlanner.TURN_GAP, t.lines().get(1).start(), 1e-9);
        assertEquals(t.lines().get(1).end() + TimelinePlanner.SAME_SPEAKER_GAP, t.lines().get(2).start(), 1e-9);
        double end = t.lines().get(2).end() + TimelinePlanner.TAIL;
        assertEquals(Math.ceil(end * 24 - 1e-9), t.frameCount());
        assertEquals(t.frameCount() / 24.0, t.duration(), 1e-12);
        // words shifted into clip time
        assertEquals(t.lines().get(1).start() + 0.05, t.lines().get(1).words().get(0).start(), 1e-9);
    }

    @Test
    void shotsFocusTheSpeakerAndGoWideBetweenLines() {
        SceneSpec s = scene(null, List.of(new LineSpec("a", "x", null), new LineSpec("b", "y", 1.0)));
        Timeline t = TimelinePlanner.plan(s, List.of(speech(1.0), speech(1.0)));
        List<Shot> shots = t.shots();
        assertNull(shots.get(0).focus());
        assertEquals("a", shots.get(1).focus());
        assertNull(shots.get(2).focus());
        assertEquals("b", shots.get(3).focus());
        assertEquals(0.0, shots.get(0).start());
        assertEquals(t.duration(), shots.get(shots.size() - 1).end(), 1e-9);
        for (int i = 1; i < shots.size(); i++) assertEquals(shots.get(i - 1).end(), shots.get(i).start(), 1e-9);
        assertTrue(shots.get(1).start() < t.lines().get(0).start(), "focus is anticipated before the line");
        assertEquals("a", t.shotAt(t.lines().get(0).start() + 0.1).focus());
        assertEquals("b", t.speakingAt(t.lines().get(1).start() + 0.1).character());
    }

    @Test
    void theFirstLineWaitsForTheAudioLabel() {
        SceneSpec s = scene(null, List.of(new LineSpec("a", "x", null), new LineSpec("b", "y", null)));
        Timeline plain = TimelinePlanner.plan(s, List.of(speech(1.0), speech(1.0)), 0);
        assertEquals(TimelinePlanner.LEAD_IN, plain.lines().get(0).start(), 1e-9);
        Timeline cued = TimelinePlanner.plan(s, List.of(speech(1.0), speech(1.0)), 1.32);
        assertEquals(1.32 + TimelinePlanner.AFTER_AUDIO_LABEL, cued.lines().get(0).start(), 1e-9);
        assertEquals(cued.lines().get(0).end() + TimelinePlanner.TURN_GAP, cued.lines().get(1).start(), 1e-9);
        assertEquals(cued.lines().get(0).start() + 0.05, cued.lines().get(0).words().get(0).start(), 1e-9);
        // an earlier pauseBefore for the first line cannot put words under the cue; a later one is kept
        Timeline early = TimelinePlanner.plan(scene(null, List.of(new LineSpec("a", "x", 0.2))), List.of(speech(1.0)), 1.32);
        assertEquals(1.62, early.lines().get(0).start(), 1e-9);
        Timeline late = TimelinePlanner.plan(scene(null, List.of(new LineSpec("a", "x", 2.5))), List.of(speech(1.0)), 1.32);
        assertEquals(2.5, late.lines().get(0).start(), 1e-9);
    }

    @Test
    void requestedDurationMustHoldTheDialogue() {
        SceneSpec s = scene(2.0, List.of(new LineSpec("a", "x", null)));
        StageException e = assertThrows(StageException.class, () -> TimelinePlanner.plan(s, List.of(speech(3.0))));
        assertTrue(e.getMessage().startsWith("duration: 2.00 s is shorter than the dialogue"), e.getMessage());
        Timeline ok = TimelinePlanner.plan(scene(8.0, List.of(new LineSpec("a", "x", null))), List.of(speech(3.0)));
        assertEquals(8.0, ok.duration(), 1e-9);
        assertEquals(192, ok.frameCount());
    }

    @Test
    void silentSceneGetsDefaultLength() {
        Timeline t = TimelinePlanner.plan(scene(null, List.of()), List.of());
        assertEquals(120, t.frameCount());
        assertEquals(1, t.shots().size());
        assertNull(t.shots().get(0).focus());
    }
}
