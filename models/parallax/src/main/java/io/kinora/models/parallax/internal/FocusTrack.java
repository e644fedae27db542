package io.kinora.models.parallax.internal;

import java.util.LinkedHashSet;
import java.util.Set;

import io.kinora.api.scene.CharacterSpec;
import io.kinora.api.scene.Position;
import io.kinora.api.scene.SceneSpec;
import io.kinora.api.timeline.Shot;
import io.kinora.api.timeline.Timeline;

/**
 * Speaker focus: while a shot favours a character whose position in the picture is known, the framing drifts a few
 * percent toward that position and tightens slightly; between lines it returns to the wide frame.
 *
 * <p>The per-frame target (offset toward the speaker, or zero) is followed by a critically damped spring, so the
 * framing never jumps: position and velocity are continuous, the clip starts wide at rest, and a change of speaker
 * becomes a smooth re-framing (about 90 % of the way after {@code 4 * TIME_CONSTANT} seconds).
 */
final class FocusTrack {

    /** Fraction of the speaker's distance from the centre (in view units) that the framing moves. */
    static final double GAIN = 0.2;
    /** Largest horizontal offset, view units (0.08 = 4 % of the frame width). */
    static final double MAX_X = 0.08;
    /** Largest vertical offset, view units. */
    static final double MAX_Y = 0.05;
    /** Extra zoom at full focus (1.04 = 4 % tighter). */
    static final double ZOOM = 0.04;
    /** Spring time constant, seconds. */
    static final double TIME_CONSTANT = 0.25;
    /**
     * Follow mode (a 9:16 or 1:1 crop too narrow for every placed character): the framing travels all the way to
     * the speaker (horizontally) with this slower time constant, a gentle re-framing pan rather than a nudge.
     */
    static final double FOLLOW_TIME_CONSTANT = 0.6;

    private static final int SUBSTEPS = 8;

    private final double[] dx;
    private final double[] dy;
    private final double[] weight;
    private final String summary;
    private final boolean used;

    private FocusTrack(double[] dx, double[] dy, double[] weight, String summary, boolean used) {
        this.dx = dx;
        this.dy = dy;
        this.weight = weight;
        this.summary = summary;
        this.used = used;
    }

    static FocusTrack none(int frames, String why) {
        return new FocusTrack(new double[frames], new double[frames], new double[frames], why, false);
    }

    /**
     * @param strength 0 disables speaker focus, 1 is the default amount
     */
    static FocusTrack of(Timeline timeline, SceneSpec scene, Framing framing, double strength) {
        return of(timeline, scene, framing, strength, false);
    }

    /**
     * @param followSpeaker true in a crop that cannot hold every placed character: centre the speaker during their
     *                      lines (horizontally, within the picture); between lines the framing stays on the last
     *                      speaker (before the first line: on the first one), so it never rests on a frame that
     *                      cuts both speakers in half
     */
    static FocusTrack of(Timeline timeline, SceneSpec scene, Framing framing, double strength, boolean followSpeaker) {
        int n = timeline.frameCount();
        if (strength <= 0) return none(n, "off (focus strength 0)");
        if (timeline.shots().stream().allMatch(s -> s.focus() == null)) {
            return none(n, "none (no shot favours a speaker)");
        }
        double[] tx = new double[n];
        double[] ty = new double[n];
        double[] tw = new double[n];
        Set<String> focused = new LinkedHashSet<>();
        Set<String> unplaced = new LinkedHashSet<>();
        for (int i = 0; i < n; i++) {
            Shot shot = timeline.shotAt(timeline.timeOf(i));
            if (shot == null || shot.focus() == null) continue;
            CharacterSpec c = scene.character(shot.focus());
            Position p = c == null ? null : c.position();
            if (p == null) {
                unplaced.add(shot.focus());
                continue;
            }
            focused.add(shot.focus());
            if (followSpeaker) {
                // all the way to the speaker, but the window (half-width < 1 view unit) stays inside the picture
                double lo = framing.minViewX() + 1;
                double hi = framing.maxViewX() - 1;
                double target = framing.viewXOfFraction(p.x()) * Math.min(1, strength);
                tx[i] = lo > hi ? 0 : Math.max(lo, Math.min(hi, target));
            } else {
                tx[i] = clamp(GAIN * strength * framing.viewXOfFraction(p.x()), MAX_X * strength);
            }
            ty[i] = clamp(GAIN * strength * framing.viewYOfFraction(p.y()), MAX_Y * strength);
            tw[i] = Math.min(1, strength);
        }
        double dt = 1.0 / timeline.fps();
        if (followSpeaker) holdBetweenLines(tx, tw);
        double tc = followSpeaker ? FOLLOW_TIME_CONSTANT : TIME_CONSTANT;
        double[] x = follow(tx, dt, tc);
        double[] y = follow(ty, dt, tc);
        double[] w = follow(tw, dt, tc);
        StringBuilder s = new StringBuilder();
        if (!focused.isEmpty()) {
            s.append(followSpeaker ? "re-frames onto " : "eases toward ").append(String.join(", ", focused))
                    .append(" while they speak, ").append(followSpeaker
                            ? "holding on the last speaker between lines (the crop is too narrow to hold everyone)"
                            : "wide between lines");
        } else {
            s.append("none");
        }
        if (!unplaced.isEmpty()) {
            s.append(focused.isEmpty() ? " (" : "; ").append(String.join(", ", unplaced))
                    .append(" ha").append(unplaced.size() == 1 ? "s" : "ve").append(" no position: kept wide")
                    .append(focused.isEmpty() ? ")" : "");
        }
        return new FocusTrack(x, y, w, s.toString(), !focused.isEmpty());
    }

    /**
     * Frames without a line (weight 0) take the previous speaker's target, or the first speaker's before any line.
     * The weight (the slight tightening) still returns to 0 between lines.
     */
    private static void holdBetweenLines(double[] tx, double[] tw) {
        int first = -1;
        for (int i = 0; i < tx.length && first < 0; i++) if (tw[i] > 0) first = i;
        if (first < 0) return;
        for (int i = 0; i < first; i++) tx[i] = tx[first];
        for (int i = first + 1; i < tx.length; i++) if (tw[i] == 0) tx[i] = tx[i - 1];
    }

    /** Critically damped spring following {@code target}, starting at rest at 0. */
    private static double[] follow(double[] target, double dt, double timeConstant) {
        double omega = 1 / timeConstant;
        double h = dt / SUBSTEPS;
        double pos = 0;
        double vel = 0;
        double[] out = new double[target.length];
        for (int i = 0; i < target.length; i++) {
            out[i] = pos;
            for (int k = 0; k < SUBSTEPS; k++) {
                double acc = omega * omega * (target[i] - pos) - 2 * omega * vel;
                vel += acc * h;
                pos += vel * h;
            }
        }
        return out;
    }

    private static double clamp(double v, double limit) {
        return Math.max(-limit, Math.min(limit, v));
    }

    double offsetX(int frame) { return dx[frame]; }

    double offsetY(int frame) { return dy[frame]; }

    /** 0 = wide, 1 = fully on the speaker. */
    double weight(int frame) { return weight[frame]; }

    boolean used() { return used; }

    String summary() { return summary; }
}
