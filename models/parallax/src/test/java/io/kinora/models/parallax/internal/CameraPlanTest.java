package io.kinora.models.parallax.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.kinora.api.scene.CameraMove;
import io.kinora.api.scene.CharacterSpec;
import io.kinora.api.scene.Position;
import io.kinora.api.timeline.Shot;
import io.kinora.api.timeline.Timeline;

class CameraPlanTest {

    private static final FocusTrack NO_FOCUS = FocusTrack.none(60, "none");

    @ParameterizedTest
    @EnumSource(value = CameraMove.class, names = "AUTO", mode = EnumSource.Mode.EXCLUDE)
    void everyFrameStaysInsideThePictureWithParallax(CameraMove move) {
        for (int[] pic : new int[][] {{1600, 1200}, {1920, 1080}, {1080, 1920}, {3000, 1000}}) {
            for (int[] out : new int[][] {{1280, 720}, {720, 1280}, {1080, 1080}}) {
                Framing f = Framing.cover(pic[0], pic[1], out[0], out[1]);
                for (double spread : new double[] {0, 0.5, 1}) {
                    CameraPlan plan = CameraPlan.plan(move, 1, false, 60, f, NO_FOCUS, spread, 2);
                    for (int i = 0; i < 60; i++) {
                        CameraPlan.Pose p = plan.pose(i);
                        double par = spread * (Math.abs(p.tx()) + Math.abs(p.dolly()));
                        double parY = spread * (Math.abs(p.ty()) + Math.abs(p.dolly()));
                        assertTrue(p.cx() - 1 / p.zoom() - par >= f.minViewX(), move + " left edge, frame " + i);
                        assertTrue(p.cx() + 1 / p.zoom() + par <= f.maxViewX(), move + " right edge, frame " + i);
                        assertTrue(p.cy() - 1 / p.zoom() - parY >= f.minViewY(), move + " top edge, frame " + i);
                        assertTrue(p.cy() + 1 / p.zoom() + parY <= f.maxViewY(), move + " bottom edge, frame " + i);
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = CameraMove.class, names = {"AUTO", "PULL_OUT"}, mode = EnumSource.Mode.EXCLUDE)
    void movesStartAtRestOnTheBaseFraming(CameraMove move) {
        CameraPlan plan = CameraPlan.plan(move, 1, true, 60, Framing.cover(1600, 1200, 1280, 720), NO_FOCUS, 0.5, 1);
        CameraPlan.Pose p = plan.pose(0);
        assertEquals(1 + CameraPlan.OVERSCAN, p.zoom(), 1e-12);
        assertEquals(0, p.cx(), 1e-12);
        assertEquals(0, p.cy(), 1e-12);
        assertEquals(0, p.tx(), 1e-12);
        assertEquals(0, p.dolly(), 1e-12);
        assertTrue(plan.restAtStart());
    }

    @Test
    void pullOutEndsOnTheBaseFraming() {
        CameraPlan plan = CameraPlan.plan(CameraMove.PULL_OUT, 1, true, 60, Framing.cover(1600, 1200, 1280, 720),
                NO_FOCUS, 0.5, 1);
        assertEquals(1.03 * 1.3, plan.pose(0).zoom(), 1e-9);
        assertEquals(1.03, plan.pose(59).zoom(), 1e-12);
        assertEquals(0, plan.pose(59).dolly(), 1e-12);
        assertTrue(plan.pose(0).dolly() < 0, "near things magnified while the camera is close");
    }

    @Test
    void intensityScalesTheMoveAndEasingStartsSlowly() {
        Framing f = Framing.cover(1600, 1200, 1280, 720);
        FocusTrack none = FocusTrack.none(61, "none");
        CameraPlan half = CameraPlan.plan(CameraMove.PUSH_IN, 0.5, true, 61, f, none, 0, 1);
        CameraPlan full = CameraPlan.plan(CameraMove.PUSH_IN, 1, true, 61, f, none, 0, 1);
        CameraPlan linear = CameraPlan.plan(CameraMove.PUSH_IN, 1, false, 61, f, none, 0, 1);
        assertEquals(1.03 * 1.15, half.pose(60).zoom(), 1e-9);
        assertEquals(1.03 * 1.3, full.pose(60).zoom(), 1e-9);
        assertEquals(1.03 * 1.15, full.pose(30).zoom(), 1e-9, "half way at the middle");
        double easedStep = full.pose(1).zoom() - full.pose(0).zoom();
        double linearStep = linear.pose(1).zoom() - linear.pose(0).zoom();
        assertTrue(easedStep < linearStep / 10, "eased start " + easedStep + " vs linear " + linearStep);
    }

    @Test
    void focusEasesTowardTheSpeakerAndBack() {
        Framing f = Framing.cover(1600, 1200, 1280, 720);
        Timeline tl = new Timeline(4, 24, 96, List.of(), List.of(new Shot(0, 1, null), new Shot(1, 3, "ann"),
                new Shot(3, 4, null)));
        var scene = TestScenes.scene("x", CameraMove.STATIC, 0.5, true,
                List.of(new CharacterSpec("ann", null, null, new Position(0.1, 0.5))));
        FocusTrack focus = FocusTrack.of(tl, scene, f, 1);
        assertEquals(0, focus.offsetX(0));
        assertEquals(0, focus.offsetX(24), 1e-12, "nothing moves before the shot");
        assertEquals(-FocusTrack.MAX_X, focus.offsetX(71), 0.003, "nearly all the way by the end of the shot");
        assertTrue(Math.abs(focus.offsetX(95)) < 0.02, "back toward wide: " + focus.offsetX(95));
        for (int i = 1; i < 96; i++) {
            assertTrue(Math.abs(focus.offsetX(i) - focus.offsetX(i - 1)) < 0.006, "smooth at frame " + i);
        }
        assertTrue(focus.used());
    }

    @Test
    void arcSlidesNearAndFarOppositeWaysAroundAStillSubject() {
        Framing f = Framing.cover(1600, 1200, 1280, 720);
        CameraPlan left = CameraPlan.plan(CameraMove.ARC_LEFT, 1, true, 60, f, NO_FOCUS, 0.5, 1);
        CameraPlan right = CameraPlan.plan(CameraMove.ARC_RIGHT, 1, true, 60, f, NO_FOCUS, 0.5, 1);
        assertEquals(0, left.pose(0).tx(), 1e-12);
        assertTrue(left.pose(59).tx() < -0.2 && right.pose(59).tx() > 0.2, "arc parallax " + left.pose(59).tx());
        assertEquals(0, left.pose(59).cx(), 1e-12, "an orbit keeps the subject in place");
    }

    @Test
    void dollyZoomHoldsTheFramingAndGrowsTheAxialParallax() {
        Framing f = Framing.cover(1600, 1200, 1280, 720);
        CameraPlan p = CameraPlan.plan(CameraMove.DOLLY_ZOOM, 1, true, 60, f, NO_FOCUS, 0.3, 1);
        assertEquals(0, p.pose(0).dolly(), 1e-12);
        assertEquals(CameraPlan.DOLLY_ZOOM, p.pose(59).dolly(), 1e-9);
        assertTrue(p.pose(59).zoom() < 1.15, "a dolly zoom does not push in: " + p.pose(59).zoom());
    }

    @Test
    void handheldDriftIsSeededGentleAndStartsAtRest() {
        Framing f = Framing.cover(1600, 1200, 1280, 720);
        CameraPlan a = CameraPlan.plan(CameraMove.HANDHELD, 1, true, 240, 24, 5, f, FocusTrack.none(240, "none"), 0.5, 1, 0, 0);
        CameraPlan b = CameraPlan.plan(CameraMove.HANDHELD, 1, true, 240, 24, 5, f, FocusTrack.none(240, "none"), 0.5, 1, 0, 0);
        CameraPlan c = CameraPlan.plan(CameraMove.HANDHELD, 1, true, 240, 24, 6, f, FocusTrack.none(240, "none"), 0.5, 1, 0, 0);
        assertEquals(0, a.pose(0).cx(), 1e-12);
        assertEquals(1 + CameraPlan.OVERSCAN, a.pose(0).zoom(), 1e-9);
        double moved = 0;
        boolean differs = false;
        for (int i = 1; i < 240; i++) {
            assertEquals(a.pose(i), b.pose(i));
            differs |= a.pose(i).cx() != c.pose(i).cx();
            moved = Math.max(moved, Math.abs(a.pose(i).cx()));
            // never a jerk: under 0.1 % of the frame width per frame
            assertTrue(Math.abs(a.pose(i).cx() - a.pose(i - 1).cx()) < 0.002, "frame " + i);
        }
        assertTrue(differs, "the seed does not change the drift");
        assertTrue(moved > 0.004 && moved <= CameraPlan.HANDHELD, "drift " + moved);
    }
}
