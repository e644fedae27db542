package io.kinora.vision.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.kinora.api.media.RgbImage;
import io.kinora.api.media.StageException;
import io.kinora.api.vision.Face;

/**
 * Face detection on a real photograph (astronaut Eileen Collins, NASA, public domain; see scripts/extract-data.sh)
 * and inpainting measured against known pictures.
 */
class VisionTest {

    private static FaceDetectorImpl faces;
    private static InpainterImpl inpainter;
    private static RgbImage astronaut;

    @BeforeAll
    static void load() throws IOException {
        String work = System.getProperty("java.io.tmpdir") + "/kinora-vision-test";
        faces = new FaceDetectorImpl(work, 4, 0.06, 800);
        inpainter = new InpainterImpl(work, "telea");
        astronaut = read("/astronaut.jpg");
    }

    static RgbImage read(String resource) throws IOException {
        try (InputStream in = VisionTest.class.getResourceAsStream(resource)) {
            BufferedImage img = ImageIO.read(in);
            int w = img.getWidth();
            int h = img.getHeight();
            byte[] rgb = new byte[w * h * 3];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int p = img.getRGB(x, y);
                    int o = (y * w + x) * 3;
                    rgb[o] = (byte) (p >> 16);
                    rgb[o + 1] = (byte) (p >> 8);
                    rgb[o + 2] = (byte) p;
                }
            }
            return new RgbImage(w, h, rgb);
        }
    }

    /** Two copies of the photo side by side on a wider canvas, the right one mirrored: two people. */
    static RgbImage pair(RgbImage a) {
        int w = a.width() * 2;
        int h = a.height();
        byte[] out = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < a.width(); x++) {
                int s = (y * a.width() + x) * 3;
                System.arraycopy(a.rgb(), s, out, (y * w + x) * 3, 3);
                System.arraycopy(a.rgb(), s, out, (y * w + (w - 1 - x)) * 3, 3);
            }
        }
        return new RgbImage(w, h, out);
    }

    @Test
    void findsTheAstronautsFace() {
        List<Face> found = faces.detect(astronaut);
        assertEquals(1, found.size(), "one face: " + found);
        Face f = found.get(0);
        // her face (measured by eye on the 512x512 photo): centre near (0.46, 0.21), about 80-130 px wide
        assertEquals(0.46, f.centerX(512), 0.05, f.toString());
        assertEquals(0.21, f.centerY(512), 0.06, f.toString());
        assertTrue(f.width() >= 60 && f.width() <= 160, f.toString());
        assertTrue(f.confidence() > 1 / 3.0 && f.confidence() < 1, f.toString());
        assertEquals(found, faces.detect(astronaut), "same picture, same faces");
    }

    @Test
    void twoPeopleLeftToRight() {
        RgbImage two = pair(astronaut);
        List<Face> found = faces.detect(two);
        assertEquals(2, found.size(), found.toString());
        assertTrue(found.get(0).centerX(two.width()) < 0.5 && found.get(1).centerX(two.width()) > 0.5, found.toString());
        // mirror images: the same face at mirrored places
        assertEquals(found.get(0).centerX(two.width()), 1 - found.get(1).centerX(two.width()), 0.02);
        assertEquals(found.get(0).centerY(two.height()), found.get(1).centerY(two.height()), 0.02);
    }

    @Test
    void noFaceInAPlainPicture() {
        byte[] rgb = new byte[640 * 360 * 3];
        for (int y = 0; y < 360; y++) {
            for (int x = 0; x < 640; x++) {
                int o = (y * 640 + x) * 3;
                rgb[o] = (byte) (60 + y / 3);
                rgb[o + 1] = (byte) (120 + x / 8);
                rgb[o + 2] = (byte) 200;
            }
        }
        assertEquals(List.of(), faces.detect(new RgbImage(640, 360, rgb)));
        assertEquals(List.of(), faces.detect(new RgbImage(16, 16, new byte[16 * 16 * 3])), "too small to hold a face");
    }

    @Test
    void inpaintingFillsTheHoleFromItsSurroundings() {
        // a smooth gradient with a black square "subject" cut out: the fill must continue the gradient
        int w = 320;
        int h = 200;
        byte[] rgb = new byte[w * h * 3];
        byte[] truth = new byte[w * h * 3];
        byte[] mask = new byte[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int o = (y * w + x) * 3;
                truth[o] = (byte) (40 + x / 2);
                truth[o + 1] = (byte) (30 + y);
                truth[o + 2] = (byte) 150;
                boolean hole = x >= 120 && x < 200 && y >= 60 && y < 140;
                mask[y * w + x] = (byte) (hole ? 255 : 0);
                System.arraycopy(truth, o, rgb, o, 3);
                if (hole) rgb[o] = rgb[o + 1] = rgb[o + 2] = 0;
            }
        }
        RgbImage out = inpainter.inpaint(new RgbImage(w, h, rgb), mask, 5);
        double err = 0;
        int dark = 0;
        int n = 0;
        for (int p = 0; p < w * h; p++) {
            for (int c = 0; c < 3; c++) {
                int o = p * 3 + c;
                if (mask[p] == 0) {
                    assertEquals(rgb[o], out.rgb()[o], "outside the hole the picture is unchanged");
                } else {
                    err += Math.abs((out.rgb()[o] & 0xff) - (truth[o] & 0xff));
                    n++;
                }
            }
            if (mask[p] != 0 && (out.rgb()[p * 3] & 0xff) + (out.rgb()[p * 3 + 1] & 0xff) + (out.rgb()[p * 3 + 2] & 0xff) < 90) {
                dark++;
            }
        }
        assertEquals(0, dark, "no black left in the hole");
        assertTrue(err / n < 12, "mean error in the hole " + err / n);
        assertArrayEquals(out.rgb(), inpainter.inpaint(new RgbImage(w, h, rgb), mask, 5).rgb(), "deterministic");
    }

    @Test
    void badInputIsRefusedClearly() {
        RgbImage img = RgbImage.blank(10, 10);
        StageException e = assertThrows(StageException.class, () -> inpainter.inpaint(img, new byte[5], 3));
        assertTrue(e.getMessage().contains("needs 100"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new InpainterImpl(null, "magic"));
        assertThrows(IllegalArgumentException.class, () -> new FaceDetectorImpl(null, 0, 0.06, 800));
    }
}
