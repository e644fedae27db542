package io.kinora.models.parallax.internal;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import io.kinora.api.scene.Aspect;
import io.kinora.api.scene.CharacterSpec;
import io.kinora.api.scene.SceneSpec;
import io.kinora.api.timeline.Shot;
import io.kinora.api.timeline.Timeline;

/**
 * Places the crop window of a 9:16 or 1:1 rendition on the subject instead of the picture's centre.
 *
 * <p>Target: when characters have positions, their centroid weighted by how long shots favour each of them (the
 * active speaker counts most; a character who never speaks still counts a little), then moved so that every
 * positioned character stays inside the crop with a margin when the crop is wide enough for all of them. Without
 * positions: the saliency centroid of the picture ({@link DepthEstimator}), pulled a quarter of the way back to
 * the centre (saliency is a guess). The 16:9 rendition stays centred, so the primary output keeps the photo's
 * composition and frame 0 matches the centred cover fit.
 */
final class SubjectFrame {

    /** Margin kept between a character's position and the crop's edge, fraction of the crop width. */
    static final double MARGIN = 0.12;
    /** Weight of a character who is placed but never favoured by a shot, relative to one second of speech. */
    private static final double SILENT_WEIGHT = 0.25;

    /** @param followSpeaker the crop cannot hold every placed character: the framing follows the speaker */
    record Choice(Framing framing, String reason, boolean followSpeaker) {
    }

    private SubjectFrame() {
    }

    static Choice choose(Aspect aspect, Framing centred, SceneSpec scene, Timeline timeline, double salX, double salY) {
        if (aspect == null || aspect == Aspect.LANDSCAPE) {
            return new Choice(centred, "centred cover crop (the 16:9 rendition keeps the photo's composition)", false);
        }
        Map<String, Double> weight = new LinkedHashMap<>();
        for (CharacterSpec c : scene.characters()) {
            if (c.position() != null) weight.put(c.id(), SILENT_WEIGHT);
        }
        String how;
        boolean follow = false;
        double fx;
        double fy;
        if (!weight.isEmpty()) {
            for (Shot s : timeline.shots()) {
                if (s.focus() != null && weight.containsKey(s.focus())) {
                    weight.merge(s.focus(), Math.max(0, s.end() - s.start()), Double::sum);
                }
            }
            double total = 0;
            double sx = 0;
            double sy = 0;
            double minX = 1;
            double maxX = 0;
            double minY = 1;
            double maxY = 0;
            for (Map.Entry<String, Double> e : weight.entrySet()) {
                CharacterSpec c = scene.character(e.getKey());
                total += e.getValue();
                sx += e.getValue() * c.position().x();
                sy += e.getValue() * c.position().y();
                minX = Math.min(minX, c.position().x());
                maxX = Math.max(maxX, c.position().x());
                minY = Math.min(minY, c.position().y());
                maxY = Math.max(maxY, c.position().y());
            }
            double widthFraction = centred.cropW() / centred.picW();
            follow = maxX - minX > widthFraction * (1 - 2 * MARGIN);
            fx = keepInside(sx / total, minX, maxX, widthFraction);
            String first = follow ? firstSpeaker(timeline, weight) : null;
            if (first != null) {
                // the framing follows the speaker: start on the first one, so the clip begins at rest on them
                fx = scene.character(first).position().x();
            }
            fy = keepInside(sy / total, minY, maxY, centred.cropH() / centred.picH());
            how = "on the characters (" + String.join(", ", weight.keySet()) + "), weighted by speaking time";
        } else {
            fx = 0.5 + 0.75 * (salX - 0.5);
            fy = 0.5 + 0.75 * (salY - 0.5);
            how = String.format(Locale.ROOT, "on the picture's saliency centroid (%.2f, %.2f)", salX, salY);
        }
        Framing f = centred.centredOn(fx, fy);
        return new Choice(f, String.format(Locale.ROOT, "%s crop placed %s: centre at (%.2f, %.2f) of the picture%s",
                aspect.id(), how, f.centreFractionX(), f.centreFractionY(),
                follow ? "; too narrow for everyone, so it follows the active speaker during their lines" : ""), follow);
    }

    private static String firstSpeaker(Timeline timeline, Map<String, Double> placed) {
        for (Shot s : timeline.shots()) {
            if (s.focus() != null && placed.containsKey(s.focus())) return s.focus();
        }
        return null;
    }

    /** Moves {@code c} so that [lo, hi] fits inside a window of size {@code size} around it, when it can. */
    private static double keepInside(double c, double lo, double hi, double size) {
        double half = size / 2 * (1 - 2 * MARGIN);
        if (hi - lo > 2 * half) return (lo + hi) / 2; // cannot hold all: centre on their span
        if (c - half > lo) c = lo + half;
        if (c + half < hi) c = hi - half;
        return c;
    }
}
