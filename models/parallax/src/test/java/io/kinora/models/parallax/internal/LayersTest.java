package io.kinora.models.parallax.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import io.kinora.api.media.RgbImage;
import io.kinora.api.scene.CameraMove;

/**
 * Foreground/background layers: the matte finds the subject, the plate has no subject in it, and a strong parallax
 * move shows background (not a stretched copy of the subject) beside the moved subject.
 */
class LayersTest {

    private static final int SW = 480;
    private static final int SH = 360;
    private static final double R = 70;

    /** A bright yellow disk (a colour the textured background never has) left of centre on the textured picture. */
    static RgbImage subjectPicture() {
        RgbImage img = TestScenes.textured(SW, SH);
        TestScenes.disk(img, SW * 0.45, SH * 0.5, R, 250, 245, 30);
        return img;
    }

    static boolean yellow(byte[] rgb, int p) {
        return (rgb[p * 3] & 0xff) > 215 && (rgb[p * 3 + 1] & 0xff) > 205 && (rgb[p * 3 + 2] & 0xff) < 90;
    }

    /** Loosely yellow: what a smeared (stretched or blended) copy of the subject looks like. */
    static boolean yellowish(byte[] rgb, int p) {
        int r = rgb[p * 3] & 0xff;
        int g = rgb[p * 3 + 1] & 0xff;
        int b = rgb[p * 3 + 2] & 0xff;
        return r > 170 && g > 160 && b < 130;
    }

    @Test
    void matteFindsTheSubjectAndThePlateRemovesIt() {
        RgbImage img = subjectPicture();
        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
            ParallaxRenderer.Working working = ParallaxRenderer.workingPicture(m, img, 1);
            DepthEstimator.Depth depth = DepthEstimator.estimate(working.picture(), m);
            Layers.Result r = Layers.separate(m, working.picture(), depth.map(), List.of(),
                    new double[] {depth.subjectX(), depth.subjectY()});
            assertTrue(r.layered(), r.summary());
            double truth = Math.PI * R * R / (SW * SH);
            assertTrue(Math.abs(r.area() - truth) < 0.15 * truth, "matte area " + r.area() + " vs disk " + truth);
            // the foreground patch is opaque at the disk's centre and transparent on its outer ring
            float[] fg = r.fg().toFloatArray();
            int ph = (int) r.fg().getShape().get(2);
            int pw = (int) r.fg().getShape().get(3);
            int cx = (int) Math.round(SW * 0.45) - r.x0();
            int cy = (int) Math.round(SH * 0.5) - r.y0();
            assertEquals(1f, fg[3 * ph * pw + cy * pw + cx], 1e-3f);
            for (int x = 0; x < pw; x++) {
                assertEquals(0f, fg[3 * ph * pw + x], 1e-6f, "top row alpha");
                assertEquals(0f, fg[3 * ph * pw + (ph - 1) * pw + x], 1e-6f, "bottom row alpha");
            }
            // the plate: no subject colour left anywhere, the picture unchanged far from the subject
            // (the textured background itself has a few yellowish grains: count those of the picture without the disk)
            byte[] plate = toRgb(r.plate().toFloatArray(), SW, SH);
            byte[] bare = TestScenes.textured(SW, SH).rgb();
            int left = 0;
            int natural = 0;
            for (int p = 0; p < SW * SH; p++) {
                if (yellowish(plate, p)) left++;
                if (yellowish(bare, p)) natural++;
            }
            assertTrue(left <= natural * 1.05 + 20, left + " subject-coloured pixels in the plate, " + natural
                    + " in the background alone");
            float[] pic = working.picture().toFloatArray();
            float[] pl = r.plate().toFloatArray();
            for (int c = 0; c < 3; c++) {
                int p = c * SW * SH + 20 * SW + 20;
                assertEquals(pic[p], pl[p], 1e-3f, "plate away from the subject");
            }
        }
    }

    /**
     * Two figures with given positions (upper body, as in the samples) and, 14 px above one head (like the sun
     * behind a head in the harbour sample), a patch of the head's colour: the matte holds both figures, heads
     * included, and leaves the look-alike in the background.
     */
    @Test
    void characterPositionsBoundTheMatte() {
        RgbImage img = TestScenes.textured(SW, SH);
        paint(img, 110, 170, 60, 130, 200, 40, 40);   // red body
        paint(img, 122, 140, 36, 30, 225, 185, 150);  // skin-coloured head
        paint(img, 310, 170, 60, 130, 40, 90, 200);   // blue body
        paint(img, 322, 140, 36, 30, 225, 185, 150);  // head
        paint(img, 326, 100, 28, 26, 225, 185, 150);  // a look-alike patch 14 px above the second head
        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
            ParallaxRenderer.Working working = ParallaxRenderer.workingPicture(m, img, 1);
            DepthEstimator.Depth depth = DepthEstimator.estimate(working.picture(), m);
            Layers.Result r = Layers.separate(m, working.picture(), depth.map(),
                    List.of(new double[] {140 / (double) SW, 185 / (double) SH}, new double[] {340 / (double) SW,
                            185 / (double) SH}), new double[] {depth.subjectX(), depth.subjectY()});
            assertTrue(r.layered(), r.summary());
            assertEquals(1f, alphaAt(r, 140, 230), 1e-3f, "first figure");
            assertEquals(1f, alphaAt(r, 340, 230), 1e-3f, "second figure");
            assertEquals(1f, alphaAt(r, 140, 155), 1e-3f, "first head");
            assertEquals(1f, alphaAt(r, 340, 155), 1e-3f, "second head");
            assertEquals(0f, alphaAt(r, 340, 110), 1e-3f, "the look-alike above the second head");
        }
    }

    private static void paint(RgbImage img, int x0, int y0, int w, int h, int r, int g, int b) {
        for (int y = y0; y < y0 + h; y++) for (int x = x0; x < x0 + w; x++) TestScenes.put(img.rgb(), SW, x, y, r, g, b);
    }

    private static float alphaAt(Layers.Result r, int x, int y) {
        int ph = (int) r.fg().getShape().get(2);
        int pw = (int) r.fg().getShape().get(3);
        int px = x - r.x0();
        int py = y - r.y0();
        if (px < 0 || py < 0 || px >= pw || py >= ph) return 0;
        return r.fg().toFloatArray()[3 * ph * pw + py * pw + px];
    }

    @Test
    void aPictureWithoutASubjectStaysOneLayer() {
        RgbImage img = TestScenes.smooth(SW, SH);
        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
            ParallaxRenderer.Working working = ParallaxRenderer.workingPicture(m, img, 1);
            DepthEstimator.Depth depth = DepthEstimator.estimate(working.picture(), m);
            Layers.Result r = Layers.separate(m, working.picture(), depth.map(), List.of(),
                    new double[] {depth.subjectX(), depth.subjectY()});
            assertFalse(r.layered(), r.summary());
            assertTrue(r.summary().startsWith("single layer: "), r.summary());
        }
    }

    /**
     * A pan at full intensity and twice the default parallax, on a tall upright subject: with one smooth depth map
     * the subject's bottom (near, by the position prior) slid further than its top, so it leaned and bent, and its
     * edges dragged the background along. As a layer it moves as one piece: every row of it shifts alike, the
     * band beside it is background (no subject colour), and the unmoved first frame is the picture.
     */
    @Test
    void strongParallaxMovesTheSubjectRigidlyWithBackgroundBesideIt() {
        ParallaxVideoModel strong = Models.create(new ParallaxRenderer.Settings(2.0, 1.0, 1.0));
        try {
            RgbImage img = TestScenes.textured(SW, SH);
            int bx0 = 200;
            int by0 = 60;
            int bw = 56;
            int bh = 230;
            for (int y = by0; y < by0 + bh; y++) {
                for (int x = bx0; x < bx0 + bw; x++) TestScenes.put(img.rgb(), SW, x, y, 250, 245, 30);
            }
            int w = 480;
            int h = 270;
            var scene = TestScenes.scene("a product shot", CameraMove.PAN_RIGHT, 1.0, true, null);
            TestScenes.Frames out = TestScenes.render(strong, scene, TestScenes.timeline(24, 24, null), img, w, h);
            assertTrue(out.report.choices().get("layers").startsWith("two layers"), out.report.choices().get("layers"));
            byte[] last = out.frames.get(23).rgb();
            boolean[] subject = new boolean[w * h];
            for (int p = 0; p < w * h; p++) subject[p] = yellow(last, p);
            int[] box = Layers.bbox(subject, w, h);
            assertTrue(box != null, "the subject left the frame");
            // rows in the upper and the lower quarter of the subject: same left edge, same width (no lean, no bend)
            int span = box[3] - box[1];
            double[] top = rows(subject, w, box[1] + span / 8, box[1] + span / 4);
            double[] bottom = rows(subject, w, box[3] - span / 4, box[3] - span / 8);
            assertEquals(top[0], bottom[0], 1.5, "left edge: top rows " + top[0] + ", bottom rows " + bottom[0]);
            assertEquals(top[1], bottom[1], 1.5, "width: top rows " + top[1] + ", bottom rows " + bottom[1]);
            // the band 4..12 px around it: background, as often subject-coloured as the background is by itself
            boolean[] inner = Layers.dilate(subject, w, h, 4);
            boolean[] outer = Layers.dilate(subject, w, h, 12);
            int ring = 0;
            int smear = 0;
            for (int p = 0; p < w * h; p++) {
                if (outer[p] && !inner[p]) {
                    ring++;
                    if (yellowish(last, p)) smear++;
                }
            }
            int natural = 0;
            byte[] bare = TestScenes.textured(SW, SH).rgb();
            for (int p = 0; p < SW * SH; p++) if (yellowish(bare, p)) natural++;
            double rate = natural / (double) (SW * SH);
            assertTrue(ring > 1000, "ring of " + ring + " px");
            assertTrue(smear <= ring * (rate + 0.01), smear + " of " + ring + " px beside the subject are"
                    + " subject-coloured (smear); the background alone has " + rate * 100 + " %");
            // same seed, same frames (layers included)
            TestScenes.Frames again = TestScenes.render(strong, scene, TestScenes.timeline(24, 24, null), img, w, h);
            for (int i = 0; i < 24; i++) assertArrayEquals(out.frames.get(i).rgb(), again.frames.get(i).rgb(), "frame " + i);
            // frame 0 is still the picture: the unmoved layers composite back to it
            double psnr = Measure.psnr(out.frames.get(0), Measure.fitted(img, w, h, CameraPlan.OVERSCAN));
            assertTrue(psnr >= 35, "frame 0 PSNR " + psnr + " dB");
        } finally {
            strong.deactivate();
        }
    }

    /** Mean first column and mean width of the marked pixels in rows [y0, y1). */
    private static double[] rows(boolean[] m, int w, int y0, int y1) {
        double left = 0;
        double width = 0;
        int n = 0;
        for (int y = y0; y < y1; y++) {
            int first = -1;
            int count = 0;
            for (int x = 0; x < w; x++) {
                if (m[y * w + x]) {
                    if (first < 0) first = x;
                    count++;
                }
            }
            if (first >= 0) {
                left += first;
                width += count;
                n++;
            }
        }
        return new double[] {left / Math.max(1, n), width / Math.max(1, n)};
    }

    private static double[] centroid(boolean[] m, int w, int h) {
        double sx = 0;
        double sy = 0;
        int n = 0;
        for (int p = 0; p < m.length; p++) {
            if (m[p]) {
                sx += p % w;
                sy += p / w;
                n++;
            }
        }
        return new double[] {sx / Math.max(1, n), sy / Math.max(1, n)};
    }

    private static byte[] toRgb(float[] planes, int w, int h) {
        byte[] out = new byte[w * h * 3];
        for (int p = 0; p < w * h; p++) {
            for (int c = 0; c < 3; c++) out[p * 3 + c] = (byte) Math.max(0, Math.min(255, (int) planes[c * w * h + p]));
        }
        return out;
    }
}
