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
        byte[] original = f.rgb().clone();
        for (int i = 0; i < 5; i++) e.apply(f);
        long nanos = 0;
        int n = 20;
        for (int i = 0; i < n; i++) {
            System.arraycopy(original, 0, f.rgb(), 0, original.length); // marking twice would push pixels to the clamps
            long t0 = System.nanoTime();
            e.apply(f);
            nanos += System.nanoTime() - t0;
        }
        double ms = nanos / 1e6 / n;
        System.out.printf("luma watermark embedding: %.1f ms per 1280x720 frame%n", ms);
        assertTrue(ms < 200, ms + " ms per frame");
    }

    /**
     * The fast embedder (vectorised add where nothing can clip, clamping elsewhere) equals the plain definition:
     * every byte plus the rounded tile delta of its pixel (limited to +-CAP), clamped to 0..255, at full strength where a block's mean is mid-grey and at half strength
     * in blocks near black or white; with pixels at 0 and 255 and widths that are not multiples of 8.
     */
    @Test
    void fastEmbedderMatchesThePlainDefinition() {
        LumaMark mark = new LumaMark("k");
        long payload = 0x0123_4567_89ab_cdefL;
        float[] tile = mark.tile(payload);
        Random r = new Random(5);
        for (int[] size : new int[][]{{1280, 720}, {203, 157}, {642, 360}}) {
            int w = size[0];
            int h = size[1];
            byte[] in = new byte[w * h * 3];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int zone = (x / 40 + y / 40) % 3; // extremes in every block (mid-grey mean), black-ish, white-ish blocks
                    for (int c = 0; c < 3; c++) {
                        int v = zone == 0 ? (x % 8 < 4 ? r.nextInt(4) : 252 + r.nextInt(4)) : zone == 1 ? r.nextInt(6) : 250 + r.nextInt(6);
                        in[(y * w + x) * 3 + c] = (byte) v;
                    }
                }
            }
            byte[] out = new LumaEmbedder(mark, payload, w, h).apply(new RgbImage(w, h, in.clone())).rgb();
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int zone = (x / 40 + y / 40) % 3;
                    boolean pureZone = (x % 40) / 8 != 4 && (y % 40) / 8 != 4; // 8x8 blocks inside one zone
                    if (!pureZone && zone != 0) continue;
                    if (x / 8 * 8 + 8 > w || y / 8 * 8 + 8 > h) continue; // partial edge blocks
                    float t = tile[(y % LumaMark.TILE) * LumaMark.TILE + x % LumaMark.TILE];
                    double g = zone == 0 || !pureZone ? LumaEmbedder.STRENGTH : LumaEmbedder.STRENGTH * 0.5;
                    if (zone == 0 && !pureZone) continue;
                    int d = Math.max(-LumaEmbedder.CAP, Math.min(LumaEmbedder.CAP, (int) Math.floor((float) g * t + 0.5f)));
                    for (int c = 0; c < 3; c++) {
                        int i = (y * w + x) * 3 + c;
                        int want = Math.max(0, Math.min(255, (in[i] & 0xff) + d));
                        assertEquals(want, out[i] & 0xff, w + "x" + h + " pixel " + x + "," + y + " channel " + c);
                    }
                }
            }
        }
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
