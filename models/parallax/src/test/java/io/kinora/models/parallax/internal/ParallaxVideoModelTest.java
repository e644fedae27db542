package io.kinora.models.parallax.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import ai.djl.engine.Engine;
import io.kinora.api.media.Cancellation;
import io.kinora.api.media.RgbImage;
import io.kinora.api.media.StageException;
import io.kinora.api.scene.Aspect;
import io.kinora.api.scene.CameraMove;
import io.kinora.api.scene.CharacterSpec;
import io.kinora.api.scene.Position;
import io.kinora.api.scene.SceneSpec;
import io.kinora.api.timeline.Shot;
import io.kinora.api.timeline.Timeline;
import io.kinora.api.video.RenderRequest;

/** Renders real frames through DJL + the TorchScript helper and measures them. */
class ParallaxVideoModelTest {

    private static final int W = 640;
    private static final int H = 360;

    private final ParallaxVideoModel model = Models.shared();

    @Test
    void sameSceneAndSeedGiveIdenticalFrames() {
        RgbImage img = TestScenes.textured(800, 600);
        SceneSpec scene = TestScenes.scene("push in slowly", CameraMove.AUTO, 0.7, true, twoSpeakers());
        Timeline tl = TestScenes.timeline(30, 24, dialogueShots(30 / 24.0));
        TestScenes.Frames a = TestScenes.render(model, scene, tl, img, W, H);
        TestScenes.Frames b = TestScenes.render(model, scene, tl, img, W, H);
        assertEquals(30, a.frames.size());
        for (int i = 0; i < 30; i++) {
            assertArrayEquals(a.frames.get(i).rgb(), b.frames.get(i).rgb(), "frame " + i);
        }
        assertEquals(a.report.choices(), b.report.choices());
    }

    @Test
    void concurrentRendersMatchSequentialOnes() throws Exception {
        RgbImage img = TestScenes.textured(700, 500);
        SceneSpec push = TestScenes.scene("zoom in", CameraMove.AUTO, 1, true, null);
        SceneSpec pan = TestScenes.scene("pan left", CameraMove.AUTO, 1, true, null);
        Timeline tl = TestScenes.timeline(16, 24, null);
        TestScenes.Frames seqPush = TestScenes.render(model, push, tl, img, 320, 180);
        TestScenes.Frames seqPan = TestScenes.render(model, pan, tl, img, 480, 270);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<TestScenes.Frames> p = pool.submit(() -> TestScenes.render(model, push, tl, img, 320, 180));
            Future<TestScenes.Frames> q = pool.submit(() -> TestScenes.render(model, pan, tl, img, 480, 270));
            TestScenes.Frames cp = p.get();
            TestScenes.Frames cq = q.get();
            for (int i = 0; i < 16; i++) {
                assertArrayEquals(seqPush.frames.get(i).rgb(), cp.frames.get(i).rgb(), "push frame " + i);
                assertArrayEquals(seqPan.frames.get(i).rgb(), cq.frames.get(i).rgb(), "pan frame " + i);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Every move that starts at rest starts on the fitted input; pull-out ends on it. */
    @ParameterizedTest
    @EnumSource(value = CameraMove.class, names = {"STATIC", "PUSH_IN", "PULL_OUT", "PAN_LEFT", "PAN_RIGHT", "TILT_UP", "TILT_DOWN",
            "ARC_LEFT", "ARC_RIGHT", "DOLLY_ZOOM", "CRANE_UP", "CRANE_DOWN", "HANDHELD"})
    void restFrameMatchesTheFittedInput(CameraMove move) {
        for (int[] size : new int[][] {{900, 700}, {600, 900}, {1280, 540}}) {
            RgbImage img = TestScenes.smooth(size[0], size[1]);
            TestScenes.disk(img, size[0] * 0.5, size[1] * 0.45, size[1] * 0.1, 250, 250, 240);
            TestScenes.Frames f = TestScenes.render(model, TestScenes.scene("a harbour", move, 1.0, true, null),
                    TestScenes.timeline(12, 24, null), img, W, H);
            RgbImage rest = move == CameraMove.PULL_OUT ? f.frames.get(11) : f.frames.get(0);
            double psnr = Measure.psnr(rest, Measure.fitted(img, W, H, CameraPlan.OVERSCAN));
            assertTrue(psnr >= 35, move + " " + size[0] + "x" + size[1] + ": PSNR " + psnr + " dB");
        }
    }

    @ParameterizedTest
    @EnumSource(value = CameraMove.class, names = {"PUSH_IN", "PULL_OUT", "PAN_LEFT", "PAN_RIGHT", "TILT_UP", "TILT_DOWN",
            "ARC_LEFT", "ARC_RIGHT", "DOLLY_ZOOM", "CRANE_UP", "CRANE_DOWN", "HANDHELD"})
    void noFrameHasAConstantColourBandAtItsEdges(CameraMove move) {
        // Strongest settings: intensity 1, double parallax and double focus, speakers in opposite corners.
        ParallaxVideoModel strong = Models.create(new ParallaxRenderer.Settings(2, 2, 2));
        try {
            for (int[] size : new int[][] {{800, 600}, {1400, 600}}) {
                RgbImage img = TestScenes.textured(size[0], size[1]);
                List<CharacterSpec> corners = List.of(new CharacterSpec("ann", null, null, new Position(0, 0)),
                        new CharacterSpec("bob", null, null, new Position(1, 1)));
                TestScenes.Frames f = TestScenes.render(strong, TestScenes.scene("x", move, 1.0, false, corners),
                        TestScenes.timeline(48, 12, dialogueShots(4.0)), img, 320, 180);
                for (int i = 0; i < f.frames.size(); i++) {
                    for (int edge = 0; edge < 4; edge++) {
                        double[] s = Measure.edgeStats(f.frames.get(i), edge, 2);
                        // the texture varies by +-30 around the gradients: a band made by sampling outside the
                        // picture (border padding) is flat along the edge, or repeats the edge pixels inward, so
                        // the outermost line equals the line 2 px inside wherever the band reaches
                        assertTrue(s[0] > 8 && s[1] < 0.1, move + " " + size[0] + "x" + size[1] + " frame " + i
                                + " edge " + edge + ": stdev " + s[0] + ", share of pixels equal to 2 px inside " + s[1]);
                    }
                }
            }
        } finally {
            strong.deactivate();
        }
    }

    /**
     * Consecutive frames differ only as much as the motion allows. Bound: a push-in at intensity 1 zooms from 1.03
     * to 1.03 * 1.3 over the clip; with cosine easing the peak zoom rate is 1.03 * 0.3 * (pi / 2) / (frames - 1)
     * per frame, i.e. 1.0 % of the zoom per frame for 48 frames. A pixel at the frame corner (367 px from the centre
     * of a 640x360 frame) then moves at most 3.7 px per frame; the axial parallax adds at most
     * 0.5 * |nearness - focal| * 1.0 % of the same distance (<= 1.9 px). So no pixel moves more than 5.6 px between
     * frames, and to first order |I(x + d) - I(x)| <= (|dI/dx| + |dI/dy|) * |d|: the mean absolute difference is
     * at most the picture's mean gradient times 5.6 px (+ 0.5 for rounding). A jump or flicker breaks it.
     */
    @Test
    void frameToFrameDifferenceStaysWithinTheMotionBound() {
        RgbImage img = TestScenes.smooth(960, 720);
        TestScenes.disk(img, 480, 330, 60, 30, 30, 30);
        TestScenes.Frames f = TestScenes.render(model, TestScenes.scene("zoom in", CameraMove.AUTO, 1.0, true, null),
                TestScenes.timeline(48, 24, null), img, W, H);
        double bound = Measure.meanGradient(f.frames.get(0)) * 5.6 + 0.5;
        double worst = 0;
        for (int i = 1; i < f.frames.size(); i++) {
            worst = Math.max(worst, Measure.mad(f.frames.get(i - 1), f.frames.get(i)));
        }
        assertTrue(worst <= bound, "largest frame-to-frame MAD " + worst + " exceeds the motion bound " + bound);
        assertTrue(worst > 0.05, "the camera did not move: MAD " + worst);
    }

    @Test
    void pushInMagnifiesTheCentreOverTime() {
        RgbImage img = TestScenes.smooth(960, 720);
        TestScenes.disk(img, 480, 360, 40, 255, 0, 255);
        TestScenes.Frames f = TestScenes.render(model, TestScenes.scene("slowly zoom in on the boat", CameraMove.AUTO,
                1.0, true, null), TestScenes.timeline(24, 24, null), img, W, H);
        assertTrue(f.report.choices().get("camera").startsWith("push-in: prompt says 'zoom in'"),
                f.report.choices().get("camera"));
        double previous = 0;
        for (int i = 0; i < f.frames.size(); i++) {
            double[] c = Measure.centroid(f.frames.get(i), 255, 0, 255, 40);
            assertTrue(c[2] >= previous * 0.995, "disk area shrank at frame " + i + ": " + c[2] + " < " + previous);
            assertEquals(W / 2.0, c[0], 3, "disk stays centred horizontally at frame " + i);
            previous = Math.max(previous, c[2]);
        }
        double first = Measure.centroid(f.frames.get(0), 255, 0, 255, 40)[2];
        double last = Measure.centroid(f.frames.get(23), 255, 0, 255, 40)[2];
        double linear = Math.sqrt(last / first);
        // zoom 1.3 at intensity 1, plus a little axial parallax for the centre
        assertTrue(linear > 1.22 && linear < 1.45, "linear magnification " + linear);
    }

    /** The camera turns left: the picture slides right on screen (and the other way round). */
    @ParameterizedTest
    @EnumSource(value = CameraMove.class, names = {"PAN_LEFT", "PAN_RIGHT", "TILT_UP", "TILT_DOWN"})
    void panAndTiltMoveContentTheRightWay(CameraMove move) {
        RgbImage img = TestScenes.smooth(960, 720);
        TestScenes.disk(img, 480, 360, 30, 255, 0, 0);
        TestScenes.Frames f = TestScenes.render(model, TestScenes.scene("x", move, 0.5, true, null),
                TestScenes.timeline(24, 24, null), img, W, H);
        double[] a = Measure.centroid(f.frames.get(0), 255, 0, 0, 50);
        double[] b = Measure.centroid(f.frames.get(23), 255, 0, 0, 50);
        double dx = b[0] - a[0];
        double dy = b[1] - a[1];
        switch (move) {
            case PAN_LEFT -> assertTrue(dx > 20 && Math.abs(dy) < 3, "pan-left: dx " + dx + ", dy " + dy);
            case PAN_RIGHT -> assertTrue(dx < -20 && Math.abs(dy) < 3, "pan-right: dx " + dx + ", dy " + dy);
            case TILT_UP -> assertTrue(dy > 10 && Math.abs(dx) < 3, "tilt-up: dx " + dx + ", dy " + dy);
            default -> assertTrue(dy < -10 && Math.abs(dx) < 3, "tilt-down: dx " + dx + ", dy " + dy);
        }
        assertTrue(f.report.choices().get("camera").startsWith(move.id()), f.report.choices().get("camera"));
    }

    @Test
    void theSpeakersSideIsFavouredDuringTheirShotAndFramingNeverJumps() {
        RgbImage img = TestScenes.smooth(960, 720);
        TestScenes.disk(img, 480, 360, 20, 255, 0, 0);     // centre marker
        TestScenes.disk(img, 192, 360, 20, 0, 255, 0);     // ann at x = 0.2
        TestScenes.disk(img, 768, 360, 20, 0, 0, 255);     // bob at x = 0.8
        List<CharacterSpec> cast = List.of(new CharacterSpec("ann", null, null, new Position(0.2, 0.5)),
                new CharacterSpec("bob", null, null, new Position(0.8, 0.5)),
                new CharacterSpec("cy", null, null, null));
        List<Shot> shots = List.of(new Shot(0, 0.5, null), new Shot(0.5, 2.25, "ann"), new Shot(2.25, 2.5, null),
                new Shot(2.5, 4.5, "bob"), new Shot(4.5, 5.0, "cy"));
        TestScenes.Frames f = TestScenes.render(model, TestScenes.scene("x", CameraMove.STATIC, 0.5, true, cast),
                TestScenes.timeline(120, 24, shots), img, W, H);

        double[] start = Measure.centroid(f.frames.get(0), 255, 0, 0, 50);
        double[] annStart = Measure.centroid(f.frames.get(0), 0, 255, 0, 50);
        double[] bobStart = Measure.centroid(f.frames.get(0), 0, 0, 255, 50);
        double[] duringAnn = Measure.centroid(f.frames.get(52), 255, 0, 0, 50);    // t = 2.17 s
        double[] annDuring = Measure.centroid(f.frames.get(52), 0, 255, 0, 50);
        double[] duringBob = Measure.centroid(f.frames.get(106), 255, 0, 0, 50);   // t = 4.42 s
        double[] bobDuring = Measure.centroid(f.frames.get(106), 0, 0, 255, 50);
        assertTrue(duringAnn[0] - start[0] > 12, "framing moved toward ann (left): centre marker dx " + (duringAnn[0] - start[0]));
        assertTrue(Math.abs(annDuring[0] - W / 2.0) < Math.abs(annStart[0] - W / 2.0) * 0.95,
                "ann comes toward the centre: " + annStart[0] + " -> " + annDuring[0]);
        assertTrue(annDuring[2] > annStart[2] * 1.03, "ann is framed tighter: " + annStart[2] + " -> " + annDuring[2]);
        assertTrue(duringBob[0] - start[0] < -12, "framing moved toward bob (right): centre marker dx " + (duringBob[0] - start[0]));
        assertTrue(Math.abs(bobDuring[0] - W / 2.0) < Math.abs(bobStart[0] - W / 2.0) * 0.95,
                "bob comes toward the centre: " + bobStart[0] + " -> " + bobDuring[0]);
        assertTrue(bobDuring[2] > bobStart[2] * 1.03, "bob is framed tighter: " + bobStart[2] + " -> " + bobDuring[2]);
        // cy has no position: the framing returns toward wide in the last half second
        double[] end = Measure.centroid(f.frames.get(119), 255, 0, 0, 50);
        assertTrue(Math.abs(end[0] - start[0]) < Math.abs(duringBob[0] - start[0]) * 0.5, "back toward wide: " + end[0]);

        // never a jump: the spring's top speed is 0.08 view units * 4/s / e = 0.118 view units/s, i.e. 0.0049 per
        // frame at 24 fps, 1.7 px at this size (0.16 view units when the speaker switches sides: 3.4 px)
        for (int i = 1; i < f.frames.size(); i++) {
            double step = Math.abs(Measure.centroid(f.frames.get(i), 255, 0, 0, 50)[0]
                    - Measure.centroid(f.frames.get(i - 1), 255, 0, 0, 50)[0]);
            assertTrue(step < 3.6, "framing jumped by " + step + " px at frame " + i);
        }
        String focus = f.report.choices().get("focus");
        assertTrue(focus.contains("ann, bob") && focus.contains("cy has no position"), focus);
    }

    @Test
    void rendersUnusualSizesAndShapes() {
        int[][] cases = {{2, 2, 17, 31}, {3000, 200, 90, 160}, {200, 3000, 160, 90}, {33, 19, 1920, 1080}};
        for (int[] c : cases) {
            TestScenes.Frames f = TestScenes.render(model, TestScenes.scene("pan right", CameraMove.AUTO, 1, true,
                    twoSpeakers()), TestScenes.timeline(6, 24, dialogueShots(0.25)), TestScenes.textured(c[0], c[1]), c[2], c[3]);
            assertEquals(6, f.frames.size());
            for (RgbImage frame : f.frames) {
                assertEquals(c[2], frame.width());
                assertEquals(c[3], frame.height());
            }
        }
    }

    @Test
    void deactivationWaitsForRunningRendersAndRefusesNewOnes() throws Exception {
        ParallaxVideoModel own = Models.create(ParallaxRenderer.Settings.DEFAULT);
        java.util.concurrent.CountDownLatch firstFrame = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch deactivated = new java.util.concurrent.CountDownLatch(1);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<TestScenes.Frames> running = pool.submit(() -> {
                TestScenes.Frames out = new TestScenes.Frames();
                own.render(new RenderRequest(TestScenes.scene("x", CameraMove.AUTO, 0.5, true, null),
                        TestScenes.timeline(8, 24, null), TestScenes.smooth(200, 150), Aspect.LANDSCAPE, 160, 90,
                        null, null), (i, frame) -> {
                            out.frames.add(frame);
                            if (i == 0) {
                                firstFrame.countDown();
                                try {
                                    deactivated.await();
                                } catch (InterruptedException e) {
                                    Thread.currentThread().interrupt();
                                }
                            }
                        });
                return out;
            });
            firstFrame.await();
            own.deactivate();
            deactivated.countDown();
            assertEquals(8, running.get().frames.size(), "the running render finished on the still-open model");
            StageException e = assertThrows(StageException.class, () -> TestScenes.render(own,
                    TestScenes.scene("x", CameraMove.AUTO, 0.5, true, null), TestScenes.timeline(2, 24, null),
                    TestScenes.smooth(100, 80), 64, 36));
            assertTrue(e.getMessage().contains("shutting down"), e.getMessage());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void cancellationStopsBetweenFrames() {
        AtomicInteger delivered = new AtomicInteger();
        RgbImage img = TestScenes.smooth(400, 300);
        assertThrows(Cancellation.CancelledException.class, () -> model.render(
                new RenderRequest(TestScenes.scene("x", CameraMove.AUTO, 0.5, true, null),
                        TestScenes.timeline(50, 24, null), img, Aspect.LANDSCAPE, 160, 90, null,
                        () -> delivered.get() >= 3),
                (i, frame) -> delivered.incrementAndGet()));
        assertEquals(3, delivered.get());
    }

    @Test
    void progressRisesToOne() {
        List<Double> seen = new ArrayList<>();
        TestScenes.render(model, TestScenes.scene("x", CameraMove.AUTO, 0.5, true, null),
                TestScenes.timeline(240, 24, null), TestScenes.smooth(200, 150), 64, 36,
                (fraction, message) -> seen.add(fraction), Cancellation.NEVER);
        assertTrue(seen.size() >= 50 && seen.size() <= 101, "reported " + seen.size() + " times");
        for (int i = 1; i < seen.size(); i++) assertTrue(seen.get(i) >= seen.get(i - 1));
        assertEquals(1.0, seen.get(seen.size() - 1));
    }

    @Test
    void badRequestsGiveClearMessages() {
        SceneSpec scene = TestScenes.scene("x", CameraMove.AUTO, 0.5, true, null);
        Timeline tl = TestScenes.timeline(5, 24, null);
        RgbImage img = TestScenes.smooth(100, 80);
        StageException small = assertThrows(StageException.class, () -> model.render(
                new RenderRequest(scene, tl, img, Aspect.LANDSCAPE, 8, 360, null, null), (i, f) -> { }));
        assertTrue(small.getMessage().contains("output size 8x360"), small.getMessage());
        StageException noImage = assertThrows(StageException.class, () -> model.render(
                new RenderRequest(scene, tl, null, Aspect.LANDSCAPE, 64, 36, null, null), (i, f) -> { }));
        assertEquals("the render request has no source image", noImage.getMessage());
        StageException noFrames = assertThrows(StageException.class, () -> model.render(
                new RenderRequest(scene, TestScenes.timeline(0, 24, null), img, Aspect.LANDSCAPE, 64, 36, null, null),
                (i, f) -> { }));
        assertEquals("the timeline has no frames", noFrames.getMessage());
    }

    @Test
    void refusesATamperedTorchScriptFile() {
        ClassLoader parent = getClass().getClassLoader();
        ClassLoader tampering = new ClassLoader(parent) {
            @Override
            public InputStream getResourceAsStream(String name) {
                InputStream in = parent.getResourceAsStream(name);
                if (!name.endsWith("warp.pt") || in == null) return in;
                try (in) {
                    byte[] b = in.readAllBytes();
                    b[b.length / 2] ^= 1;
                    return new ByteArrayInputStream(b);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }
        };
        IOException e = assertThrows(IOException.class, () -> new ParallaxVideoModel(Engine.getEngine("PyTorch"),
                ParallaxRenderer.Settings.DEFAULT, null, tampering));
        assertTrue(e.getMessage().startsWith("refusing to load warp.pt: its SHA-256 is "), e.getMessage());
    }

    @Test
    void infoAndReport() {
        assertEquals("parallax", model.info().id());
        assertEquals("image-to-video", model.info().family());
        assertTrue(model.info().description().contains("Not a neural generator"));
        TestScenes.Frames f = TestScenes.render(model, TestScenes.scene("The camera pulls back to reveal the bay",
                CameraMove.AUTO, 0.5, true, null), TestScenes.timeline(4, 24, null), TestScenes.smooth(300, 200), 160, 90);
        assertEquals(4, f.report.frames());
        assertEquals("pull-out: prompt says 'pulls back'", f.report.choices().get("camera"));
        assertTrue(f.report.choices().get("depth").startsWith("heuristic"), f.report.choices().get("depth"));
    }

    private static List<CharacterSpec> twoSpeakers() {
        return List.of(new CharacterSpec("ann", null, null, new Position(0.25, 0.55)),
                new CharacterSpec("bob", null, null, new Position(0.75, 0.5)));
    }

    /** Wide, ann, bob, wide over {@code duration} seconds. */
    private static List<Shot> dialogueShots(double duration) {
        double q = duration / 4;
        return List.of(new Shot(0, q, null), new Shot(q, 2 * q, "ann"), new Shot(2 * q, 3 * q, "bob"),
                new Shot(3 * q, duration, null));
    }
}
