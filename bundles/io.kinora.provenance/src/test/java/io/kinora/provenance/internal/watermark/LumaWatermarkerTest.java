package io.kinora.provenance.internal.watermark;

import io.kinora.api.media.RgbImage;
import io.kinora.api.provenance.FrameLabeler;
import io.kinora.api.provenance.LayerStatus;
import io.kinora.api.provenance.ProvenanceRequest;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class LumaWatermarkerTest {
    /** A textured picture that pans with {@code seed} (content moves between frames, as in every Kinora clip). */
    static RgbImage textured(int w, int h, long seed) {
        Random r = new Random(seed);
        int pan = (int) seed * 5;
        byte[] rgb = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int v = 60 + (x * 120 / w) + (int) (25 * Math.sin((x + pan) / 7.0 + y / 11.0) * Math.cos((y - pan) / 23.0)) + r.nextInt(6);
                int i = (y * w + x) * 3;
                rgb[i] = (byte) v;
                rgb[i + 1] = (byte) (v * 0.9);
                rgb[i + 2] = (byte) (v * 0.7);
            }
        }
        return new RgbImage(w, h, rgb);
    }

    @Test
    void marksFramesWithTheContentPayloadAndReportsIt() {
        LumaWatermarker wm = new LumaWatermarker("k");
        ProvenanceRequest req = new ProvenanceRequest("content-42", "job", null, null, null);
        FrameLabeler m = wm.frameMarker(req, 640, 360);
        LumaDetector d = new LumaDetector(new LumaMark("k"));
        LumaDetector unmarked = new LumaDetector(new LumaMark("k"));
        for (int i = 0; i < 36; i++) {
            RgbImage f = textured(640, 360, i);
            unmarked.add(WatermarkRobustnessTest.luma(f), 640, 360);
            d.add(WatermarkRobustnessTest.luma(m.apply(i, f)), 640, 360);
        }
        LumaDetector.Detection found = d.detect();
        assertTrue(found.found(), found.toString());
        assertEquals(Payload.forContent("content-42"), found.payload());
        assertTrue(found.confidence() > 0.999999, found.toString());
        assertFalse(unmarked.detect().found());
        LayerStatus s = wm.applied(req);
        assertTrue(s.present());
        assertEquals(Payload.hex(Payload.forContent("content-42")), s.facts().get("payload"));
        assertEquals("36", s.facts().get("frames"));
        assertFalse(wm.applied(req).present(), "used up by the seal");
    }

    @Test
    void payloadCodeWordRoundTripsAndCatchesErrors() {
        long p = 0xfedcba9876543210L;
        boolean[] c = Payload.encode(p);
        assertEquals(p, Payload.decode(c));
        c[5] = !c[5];
        assertNull(Payload.decode(c));
    }

    @Test
    void embeddingCostAt720p() {
        LumaEmbedder e = new LumaEmbedder(new LumaMark("k"), 1, 1280, 720);
        RgbImage f = textured(1280, 720, 1);
        for (int i = 0; i < 5; i++) e.apply(f);
        long t0 = System.nanoTime();
        int n = 20;
        for (int i = 0; i < n; i++) e.apply(f);
        double ms = (System.nanoTime() - t0) / 1e6 / n;
        System.out.printf("luma watermark embedding: %.1f ms per 1280x720 frame%n", ms);
        assertTrue(ms < 200, ms + " ms per frame");
    }

    @Test
    void portraitAndSquareRenditionsCarryTheirOwnGrid() {
        LumaMark mark = new LumaMark("k");
        for (int[] size : new int[][]{{720, 1280}, {720, 720}, {1080, 1920}}) {
            int w = size[0];
            int h = size[1];
            LumaEmbedder e = new LumaEmbedder(mark, 0x5eed_0000_1111_2222L, w, h);
            LumaDetector d = new LumaDetector(mark);
            for (int i = 0; i < 6; i++) d.add(WatermarkRobustnessTest.luma(e.apply(textured(w, h, i * 7L))), w, h);
            LumaDetector.Detection r = d.detect();
            System.out.printf("%dx%d: %s%n", w, h, r);
            assertTrue(r.found(), w + "x" + h + ": " + r);
            assertEquals(0x5eed_0000_1111_2222L, r.payload());
        }
    }

    @Test
    void sameKeyPayloadAndFramesGiveIdenticalMarkedFrames() {
        RgbImage a = new LumaEmbedder(new LumaMark("k"), 42, 640, 360).apply(textured(640, 360, 3));
        RgbImage b = new LumaEmbedder(new LumaMark("k"), 42, 640, 360).apply(textured(640, 360, 3));
        assertArrayEquals(a.rgb(), b.rgb());
        RgbImage c = new LumaEmbedder(new LumaMark("k"), 43, 640, 360).apply(textured(640, 360, 3));
        assertFalse(java.util.Arrays.equals(a.rgb(), c.rgb()));
    }
}
