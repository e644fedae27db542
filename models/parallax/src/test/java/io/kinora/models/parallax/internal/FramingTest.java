package io.kinora.models.parallax.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class FramingTest {

    @Test
    void coverCropKeepsTheOutputAspectCentred() {
        Framing wide = Framing.cover(1600, 1200, 1280, 720);
        assertEquals(1600, wide.cropW(), 1e-9);
        assertEquals(900, wide.cropH(), 1e-9);
        assertEquals(150, wide.cropY(), 1e-9);
        Framing tall = Framing.cover(1920, 1080, 720, 1280);
        assertEquals(1080, tall.cropH(), 1e-9);
        assertEquals(607.5, tall.cropW(), 1e-9);
        assertEquals((1920 - 607.5) / 2, tall.cropX(), 1e-9);
    }

    @Test
    void gridAffineMapsViewUnitsToPixelCentres() {
        Framing f = Framing.cover(1600, 1200, 1280, 720);
        for (int[] map : new int[][] {{1600, 1200}, {171, 128}}) {
            double[] a = f.gridAffine(map[0], map[1]);
            for (double v : new double[] {-1, -0.3, 0, 0.7, 1}) {
                // grid = -1 + 2 * pixel / (P - 1), pixel (centre coordinates) scaled from the picture to the map
                double px = (f.pictureX(v) + 0.5) * map[0] / 1600.0 - 0.5;
                double py = (f.pictureY(v) + 0.5) * map[1] / 1200.0 - 0.5;
                assertEquals(-1 + 2 * px / (map[0] - 1), v * a[0] + a[2], 1e-9);
                assertEquals(-1 + 2 * py / (map[1] - 1), v * a[1] + a[3], 1e-9);
            }
        }
    }

    @Test
    void fractionsOfThePictureBecomeViewUnits() {
        Framing f = Framing.cover(1600, 1200, 1280, 720);
        assertEquals(0, f.viewXOfFraction(0.5), 1e-12);
        assertEquals(-1, f.viewXOfFraction(0), 1e-12);
        assertEquals(-1, f.viewYOfFraction(150 / 1200.0), 1e-12);
        assertEquals(1 + 2 * 150 / 900.0, f.viewYOfFraction(1), 1e-12);
        assertEquals(f.minViewX(), 2 * 0.5 / 1600 - 1, 1e-12);
    }

    @Test
    void resampledKeepsTheSamePictureRegion() {
        Framing f = Framing.cover(2400, 1800, 1280, 720).resampled(1200, 900);
        assertEquals(1200, f.cropW(), 1e-9);
        assertEquals(112.5, f.cropY(), 1e-9);
    }
}
