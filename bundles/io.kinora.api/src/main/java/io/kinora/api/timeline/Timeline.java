package io.kinora.api.timeline;

import java.util.List;

/**
 * What the planner derived from a SceneSpec once every line was synthesized: the clip length, who speaks
 * when (with word timings) and the shot plan. Every later stage renders along it.
 *
 * @param duration   clip length in seconds (a whole number of frames)
 * @param fps        frames per second
 * @param frameCount number of video frames
 * @param lines      spoken lines in clip time, in order
 * @param shots      consecutive shots covering [0, duration]
 */
public record Timeline(double duration, int fps, int frameCount, List<SpokenLine> lines, List<Shot> shots) {
    public Timeline {
        lines = List.copyOf(lines);
        shots = List.copyOf(shots);
    }

    /** Time in seconds of a frame's presentation. */
    public double timeOf(int frame) { return frame / (double) fps; }

    /** The line being spoken at time t, or {@code null}. */
    public SpokenLine speakingAt(double t) {
        for (SpokenLine l : lines) if (t >= l.start() && t < l.end()) return l;
        return null;
    }

    /** The shot covering time t (the last shot for t at or beyond the end). */
    public Shot shotAt(double t) {
        for (Shot s : shots) if (t >= s.start() && t < s.end()) return s;
        return shots.isEmpty() ? null : shots.get(shots.size() - 1);
    }
}
