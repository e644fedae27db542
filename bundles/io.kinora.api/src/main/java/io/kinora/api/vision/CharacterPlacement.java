package io.kinora.api.vision;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

import io.kinora.api.media.RgbImage;
import io.kinora.api.scene.CharacterSpec;
import io.kinora.api.scene.Position;
import io.kinora.api.scene.SceneSpec;

/**
 * Places characters the scene gives no position for on faces found in the picture, so that speaker focus, the
 * crop of portrait and square renditions and the subject matte can favour them.
 *
 * <p>The rule, deterministic for a picture: faces that already hold a character with a given position (the position
 * lies in the face's box grown by half its size) are that character's and are skipped. Of the remaining faces, the
 * {@code k} most confident (larger first on a tie) are taken, {@code k} being the number of characters without a
 * position, and are handed out <b>left to right in the order the characters are listed</b>: the first unplaced
 * character gets the leftmost of those faces. With more such characters than faces the last ones stay unplaced
 * (kept wide, as before). A detected position is the centre of the face's box (fractions of the picture).
 *
 * <p>One rule for every stage: the generation service places the cast once, before the mix (so each voice is panned
 * where its face is) and hands the placed scene to the model (whose own call then finds everyone placed); a model
 * run on its own places the cast the same way.
 *
 * @since 1.1
 */
public final class CharacterPlacement {

    /**
     * The scene to render (positions filled in where faces were assigned) and what was done, for the report.
     *
     * @param faceHeights each placed character's face height as a fraction of the picture's height
     */
    public record Result(SceneSpec scene, String summary, java.util.Map<String, Double> faceHeights) {
        public Result(SceneSpec scene, String summary) {
            this(scene, summary, java.util.Map.of());
        }
    }

    private CharacterPlacement() {
    }

    /**
     * @param detector the face detector, or {@code null} when none is installed
     * @return the scene unchanged with a {@code null} summary when every character has a position (or there is none)
     */
    public static Result place(SceneSpec scene, RgbImage picture, FaceDetector detector) {
        List<CharacterSpec> cast = scene.characters();
        List<Integer> unplaced = new ArrayList<>();
        for (int i = 0; i < cast.size(); i++) if (cast.get(i).position() == null) unplaced.add(i);
        if (unplaced.isEmpty()) return new Result(scene, null);
        String who = names(cast, unplaced);
        if (detector == null) {
            return new Result(scene, who + " ha" + (unplaced.size() == 1 ? "s" : "ve") + " no position in the scene and no"
                    + " face detector is installed (bundle io.kinora.vision): kept wide");
        }
        List<Face> faces = detector.detect(picture);
        int w = picture.width();
        int h = picture.height();
        List<Face> free = new ArrayList<>();
        for (Face f : faces) {
            boolean taken = false;
            for (CharacterSpec c : cast) {
                Position p = c.position();
                if (p != null && holds(f, p, w, h)) taken = true;
            }
            if (!taken) free.add(f);
        }
        if (free.isEmpty()) {
            return new Result(scene, String.format(Locale.ROOT, "%s: no position in the scene and %s (%s): kept wide", who,
                    faces.isEmpty() ? "no face found in the picture" : faces.size() + " face(s) found, all at characters"
                            + " placed by the scene", detector.method()));
        }
        List<Face> chosen = new ArrayList<>(free);
        chosen.sort(Comparator.comparingDouble(Face::confidence).reversed()
                .thenComparing(Comparator.comparingLong((Face f) -> (long) f.width() * f.height()).reversed())
                .thenComparingInt(Face::x).thenComparingInt(Face::y));
        chosen = new ArrayList<>(chosen.subList(0, Math.min(unplaced.size(), chosen.size())));
        chosen.sort(Comparator.comparingInt(Face::x).thenComparingInt(Face::y));
        List<CharacterSpec> out = new ArrayList<>(cast);
        java.util.Map<String, Double> heights = new java.util.LinkedHashMap<>();
        StringBuilder s = new StringBuilder("positions from face detection (").append(detector.method()).append("): ");
        for (int k = 0; k < chosen.size(); k++) {
            int i = unplaced.get(k);
            CharacterSpec c = cast.get(i);
            Face f = chosen.get(k);
            Position p = new Position(clamp(f.centerX(w)), clamp(f.centerY(h)));
            out.set(i, new CharacterSpec(c.id(), c.name(), c.voice(), p));
            heights.put(c.id(), f.height() / (double) h);
            if (k > 0) s.append("; ");
            s.append(String.format(Locale.ROOT, "%s at (%.3f, %.3f), face %dx%d px, confidence %.2f", c.id(), p.x(), p.y(),
                    f.width(), f.height(), f.confidence()));
        }
        if (unplaced.size() > chosen.size()) {
            s.append("; ").append(names(cast, unplaced.subList(chosen.size(), unplaced.size())))
                    .append(": no face left, kept wide");
        }
        if (free.size() > chosen.size()) {
            s.append("; ").append(free.size() - chosen.size()).append(" more face(s) not assigned");
        }
        SceneSpec placed = new SceneSpec(scene.image(), scene.prompt(), scene.duration(), scene.fps(), scene.resolution(),
                scene.aspects(), scene.camera(), out, scene.lines(), scene.ambience(), scene.labels(), scene.language(),
                scene.tenant(), scene.seed());
        return new Result(placed, s.toString(), java.util.Map.copyOf(heights));
    }

    /** The position lies within the face's box grown by half its size on every side. */
    public static boolean holds(Face f, Position p, int w, int h) {
        double px = p.x() * w;
        double py = p.y() * h;
        return px >= f.x() - f.width() / 2.0 && px <= f.x() + 1.5 * f.width()
                && py >= f.y() - f.height() / 2.0 && py <= f.y() + 1.5 * f.height();
    }

    private static String names(List<CharacterSpec> cast, List<Integer> idx) {
        List<String> n = new ArrayList<>();
        for (int i : idx) n.add(cast.get(i).id());
        return String.join(", ", n);
    }

    private static double clamp(double v) {
        return Math.max(0, Math.min(1, v));
    }
}
