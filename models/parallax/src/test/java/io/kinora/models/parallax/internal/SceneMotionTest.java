package io.kinora.models.parallax.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.kinora.api.media.Cancellation;
import io.kinora.api.media.ProgressListener;
import io.kinora.api.media.RgbImage;
import io.kinora.api.scene.Aspect;
import io.kinora.api.scene.CameraMove;
import io.kinora.api.scene.CharacterSpec;
import io.kinora.api.scene.Position;
import io.kinora.api.timeline.Shot;

/** Scene motion (chosen from the prompt, placed by the image, seeded) and subject-aware renditions. */
class SceneMotionTest {

    private static final int W = 320;
    private static final int H = 180;
    private final ParallaxVideoModel model = Models.shared();

    private TestScenes.Frames still(String prompt, RgbImage img, int frames, long seed) {
        return TestScenes.render(model, TestScenes.scene(prompt, CameraMove.STATIC, 0.5, true, null, seed),
                TestScenes.timeline(frames, 24, null), img, W, H);
    }

    /** Mean absolute difference of two frames over rows [y0, y1). */
    private static double madRows(RgbImage a, RgbImage b, int y0, int y1) {
        long s = 0;
        for (int y = y0; y < y1; y++) {
            for (int x = 0; x < a.width(); x++) {
                for (int c = 0; c < 3; c++) s += Math.abs(a.sample(x, y, c) - b.sample(x, y, c));
            }
        }
        return s / (double) ((y1 - y0) * a.width() * 3);
    }

    @Test
    void promptsChooseWhatMovesAndNegationsDoNot() {
        SceneMotion.Wish w = SceneMotion.wish("Sunset over the lake, clouds drifting, snow falling, a campfire");
        assertEquals("lake", w.water());
        assertEquals("clouds", w.sky());
        assertEquals("campfire", w.light());
        assertEquals(SceneMotion.Particles.SNOW, w.particles());
        SceneMotion.Wish none = SceneMotion.wish("A perfume bottle on marble, no rain, slowly zoom in");
        assertFalse(none.any(), "nothing moves in a product shot: " + none);
        assertEquals(SceneMotion.Particles.RAIN, SceneMotion.wish("雨中的街道").particles());
        assertNull(SceneMotion.wish("without clouds").sky());
    }

    @Test
    void waterShimmersWhereTheWaterIsAndNothingElseMoves() {
        RgbImage img = TestScenes.lake(640, 360);
        TestScenes.Frames calm = still("static shot of a calm lake", img, 48, 42);
        TestScenes.Frames plain = still("static shot", img, 48, 42);
        // frame 0 is the still picture: scene motion starts at zero amplitude
        assertArrayEquals(plain.frames.get(0).rgb(), calm.frames.get(0).rgb());
        double water = madRows(calm.frames.get(0), calm.frames.get(40), (int) (H * 0.62), H);
        double sky = madRows(calm.frames.get(0), calm.frames.get(40), 0, (int) (H * 0.35));
        assertTrue(water > 1.0, "the water does not move: MAD " + water);
        assertTrue(sky < 0.02, "the sky moves although only the lake was asked for: MAD " + sky);
        assertTrue(calm.report.choices().get("motion").startsWith("water shimmer on"), calm.report.choices().get("motion"));
        // absent otherwise: a static camera and no moving things give the same frame 48 times
        for (RgbImage f : plain.frames) assertArrayEquals(plain.frames.get(0).rgb(), f.rgb());
        assertTrue(plain.report.choices().get("motion").startsWith("none"), plain.report.choices().get("motion"));
    }

    @Test
    void cloudsDriftInTheSky() {
        RgbImage img = TestScenes.lake(640, 360);
        TestScenes.Frames f = still("static, clouds drifting", img, 48, 42);
        double sky = madRows(f.frames.get(0), f.frames.get(47), 0, (int) (H * 0.35));
        double water = madRows(f.frames.get(0), f.frames.get(47), (int) (H * 0.7), H);
        assertTrue(sky > 0.1, "the clouds do not drift: MAD " + sky);
        assertTrue(water < sky / 4, "the water moves with the clouds: " + water + " vs " + sky);
    }

    @Test
    void aPromptWithoutAMatchingRegionMovesNothing() {
        RgbImage img = TestScenes.smooth(640, 360);
        // a warm picture with vertical stripes: no water-like region
        for (int y = 0; y < 360; y++) {
            for (int x = 0; x < 640; x++) TestScenes.put(img.rgb(), 640, x, y, 150 + 40 * Math.sin(x * 0.5), 110, 70);
        }
        TestScenes.Frames f = still("static shot of a lake", img, 24, 42);
        for (RgbImage frame : f.frames) assertArrayEquals(f.frames.get(0).rgb(), frame.rgb());
        assertTrue(f.report.choices().get("motion").contains("no water shimmer"), f.report.choices().get("motion"));
    }

    @Test
    void snowIsSeededFadesInAndCoversLittle() {
        RgbImage img = TestScenes.lake(640, 360);
        TestScenes.Frames a = still("static, snow falling", img, 36, 7);
        TestScenes.Frames again = still("static, snow falling", img, 36, 7);
        TestScenes.Frames other = still("static, snow falling", img, 36, 8);
        TestScenes.Frames plain = still("static", img, 1, 7);
        for (int i = 0; i < 36; i++) assertArrayEquals(a.frames.get(i).rgb(), again.frames.get(i).rgb(), "frame " + i);
        assertArrayEquals(plain.frames.get(0).rgb(), a.frames.get(0).rgb(), "frame 0 must be the still picture");
        assertFalse(java.util.Arrays.equals(a.frames.get(30).rgb(), other.frames.get(30).rgb()),
                "another seed gives the same snow");
        // white flakes: pixels much brighter than the still picture, on a small share of the frame
        RgbImage s = plain.frames.get(0);
        RgbImage f = a.frames.get(30);
        int brighter = 0;
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                if (f.sample(x, y, 2) + f.sample(x, y, 0) > s.sample(x, y, 2) + s.sample(x, y, 0) + 30) brighter++;
            }
        }
        double share = brighter / (double) (W * H);
        assertTrue(share > 0.0015 && share < 0.08, "snow covers " + share + " of the frame");
        assertTrue(a.report.choices().get("seed").contains("particle layout"), a.report.choices().get("seed"));
    }

    @Test
    void fireFlickersInsideTheLightOnly() {
        RgbImage img = TestScenes.smooth(640, 360);
        for (int i = 0; i < img.rgb().length; i++) img.rgb()[i] = (byte) ((img.rgb()[i] & 0xff) / 4);
        TestScenes.disk(img, 320, 200, 40, 250, 150, 40);
        TestScenes.Frames f = still("static shot, a candle flame in the dark", img, 48, 42);
        int lo = 255;
        int hi = 0;
        for (RgbImage frame : f.frames.subList(24, 48)) {
            lo = Math.min(lo, frame.sample(W / 2, 100, 1));
            hi = Math.max(hi, frame.sample(W / 2, 100, 1));
            assertEquals(f.frames.get(0).sample(10, 10, 0), frame.sample(10, 10, 0), "the dark corner flickers");
        }
        assertTrue(hi - lo >= 4, "the flame does not flicker: green " + lo + ".." + hi);
        assertTrue(f.report.choices().get("motion").contains("flickers"), f.report.choices().get("motion"));
    }

    /**
     * Scene motion keeps consecutive frames close. Bound, for a static camera: the shimmer displaces a sample by at
     * most 1.5 x SHIMMER view units (1.7 px across a 320 px frame at strength 1) and changes by less than that per
     * frame, so the picture part moves < 1.7 px per frame: MAD <= mean gradient x 1.7. The rain layers replace at
     * most their covered pixels each frame: MAD <= 255 x 2 x coverage. Plus 0.5 for rounding.
     */
    @Test
    void sceneMotionNeverJumps() {
        RgbImage img = TestScenes.lake(640, 360);
        TestScenes.Frames f = still("static shot of a lake in the rain", img, 48, 42);
        ParticleLayers layers = ParticleLayers.draw(SceneMotion.Particles.RAIN, W, H, 42);
        double bound = Measure.meanGradient(f.frames.get(0)) * 1.7 + 255 * 2 * layers.coverage() + 0.5;
        double worst = 0;
        for (int i = 1; i < f.frames.size(); i++) worst = Math.max(worst, Measure.mad(f.frames.get(i - 1), f.frames.get(i)));
        assertTrue(worst <= bound, "largest frame-to-frame MAD " + worst + " exceeds " + bound);
        assertTrue(worst > 0.1, "nothing moved: " + worst);
    }

    @Test
    void portraitRenditionFramesTheActiveSpeakerNotTheCentre() {
        RgbImage img = TestScenes.smooth(1600, 900);
        TestScenes.disk(img, 1360, 450, 60, 250, 20, 20);
        List<CharacterSpec> ann = List.of(new CharacterSpec("ann", null, null, new Position(0.85, 0.5)));
        TestScenes.Frames f = TestScenes.render(model, TestScenes.scene("static", CameraMove.STATIC, 0.5, true, ann),
                TestScenes.timeline(4, 24, List.of(new Shot(0, 4 / 24.0, "ann"))), img, Aspect.PORTRAIT, 180, 320,
                ProgressListener.NONE, Cancellation.NEVER);
        double[] c = Measure.centroid(f.frames.get(0), 250, 20, 20, 30);
        // a centred 9:16 crop of this picture spans x 547..1053: the speaker at 1360 would be outside it
        assertTrue(c[2] > 500, "the speaker is not in the 9:16 frame: " + c[2] + " pixels");
        assertTrue(c[0] > 180 * 0.3 && c[0] < 180 * 0.9, "the speaker is at x " + c[0]);
        assertTrue(f.report.choices().get("framing").contains("on the characters (ann)"), f.report.choices().get("framing"));
    }

    @Test
    void aNarrowCropFollowsWhoeverSpeaks() {
        RgbImage img = TestScenes.smooth(1600, 900);
        TestScenes.disk(img, 0.2 * 1600, 450, 50, 250, 20, 20);
        TestScenes.disk(img, 0.8 * 1600, 450, 50, 20, 20, 250);
        List<CharacterSpec> two = List.of(new CharacterSpec("ann", null, null, new Position(0.2, 0.5)),
                new CharacterSpec("bob", null, null, new Position(0.8, 0.5)));
        TestScenes.Frames f = TestScenes.render(model, TestScenes.scene("static", CameraMove.STATIC, 0.5, true, two),
                TestScenes.timeline(144, 24, List.of(new Shot(0, 3, "ann"), new Shot(3, 6, "bob"))), img,
                Aspect.PORTRAIT, 180, 320, ProgressListener.NONE, Cancellation.NEVER);
        double[] start = Measure.centroid(f.frames.get(0), 250, 20, 20, 30);
        assertTrue(start[2] > 300 && Math.abs(start[0] - 90) < 40, "the clip starts on the first speaker: "
                + java.util.Arrays.toString(start));
        double[] ann = Measure.centroid(f.frames.get(70), 250, 20, 20, 30);
        double[] bob = Measure.centroid(f.frames.get(143), 20, 20, 250, 30);
        assertTrue(ann[2] > 300 && Math.abs(ann[0] - 90) < 40, "ann during her line: " + java.util.Arrays.toString(ann));
        assertTrue(bob[2] > 300 && Math.abs(bob[0] - 90) < 40, "bob during his line: " + java.util.Arrays.toString(bob));
        // a re-framing pan, never a cut. Bound: the critically damped spring's peak speed for a step A is
        // A / (time constant x e); A <= the speakers' distance, 0.6 x 1600 px of the picture = 341 output px, so
        // <= 341 / (0.6 x 2.718) / 24 = 8.7 px per frame
        double bound = Measure.meanGradient(f.frames.get(0)) * 8.7 + 0.5;
        for (int i = 1; i < f.frames.size(); i++) {
            assertTrue(Measure.mad(f.frames.get(i - 1), f.frames.get(i)) <= bound, "jump at frame " + i);
        }
        assertTrue(f.report.choices().get("focus").startsWith("re-frames onto ann, bob"), f.report.choices().get("focus"));
    }

    @Test
    void squareRenditionFollowsTheSalientSubjectWithoutPositions() {
        RgbImage img = TestScenes.smooth(1600, 600);
        for (int i = 0; i < img.rgb().length; i++) img.rgb()[i] = (byte) 128;
        // a colourful, textured subject at the far left
        for (int y = 200; y < 400; y++) {
            for (int x = 40; x < 240; x++) {
                boolean on = ((x / 8) + (y / 8)) % 2 == 0;
                TestScenes.put(img.rgb(), 1600, x, y, on ? 240 : 40, on ? 40 : 200, 40);
            }
        }
        TestScenes.Frames f = TestScenes.render(model, TestScenes.scene("static", CameraMove.STATIC, 0.5, true, null),
                TestScenes.timeline(2, 24, null), img, Aspect.SQUARE, 240, 240, ProgressListener.NONE, Cancellation.NEVER);
        double[] red = Measure.centroid(f.frames.get(0), 240, 40, 40, 40);
        assertTrue(red[2] > 200, "the subject is not in the 1:1 frame: " + red[2] + " pixels");
        assertTrue(f.report.choices().get("framing").contains("saliency centroid"), f.report.choices().get("framing"));
        // the 16:9 rendition stays centred (frame 0 = the fitted input; its crop starts at x 267, right of the subject)
        TestScenes.Frames wide = TestScenes.render(model, TestScenes.scene("static", CameraMove.STATIC, 0.5, true, null),
                TestScenes.timeline(1, 24, null), img, W, H);
        assertTrue(Measure.psnr(wide.frames.get(0), Measure.fitted(img, W, H, CameraPlan.OVERSCAN)) >= 35);
    }

    /** Scene motion displaces samples too: the camera plan's border guard keeps room for it (strongest settings). */
    @Test
    void sceneMotionNeverShowsAnEdgeBand() {
        ParallaxVideoModel strong = Models.create(new ParallaxRenderer.Settings(2, 2, 2));
        try {
            RgbImage img = TestScenes.textured(800, 600);
            for (CameraMove move : new CameraMove[] {CameraMove.PAN_LEFT, CameraMove.STATIC, CameraMove.ARC_RIGHT}) {
                TestScenes.Frames f = TestScenes.render(strong, TestScenes.scene("the lake under drifting clouds", move,
                        1.0, true, null), TestScenes.timeline(48, 12, null), img, W, H);
                assertTrue(f.report.choices().get("motion").contains("water shimmer on")
                        && f.report.choices().get("motion").contains("clouds drift"), f.report.choices().get("motion"));
                for (int i = 0; i < f.frames.size(); i++) {
                    for (int edge = 0; edge < 4; edge++) {
                        double[] st = Measure.edgeStats(f.frames.get(i), edge, 2);
                        assertTrue(st[0] > 8 && st[1] < 0.1, move + " frame " + i + " edge " + edge + ": " + st[0] + ", " + st[1]);
                    }
                }
            }
        } finally {
            strong.deactivate();
        }
    }
}
