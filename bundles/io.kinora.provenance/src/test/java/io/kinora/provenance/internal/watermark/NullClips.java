package io.kinora.provenance.internal.watermark;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/** The unmarked content generators of {@link NullDistributionTest}, for the label detectors' null distributions. */
public final class NullClips {
    private NullClips() {
    }

    public static List<Path> samplePictures() { return NullDistributionTest.samplePictures(); }

    public static byte[] noise(Random r, int w, int h, int grain) { return NullDistributionTest.noise(r, w, h, grain); }

    public static byte[] gradient(Random r, int w, int h) { return NullDistributionTest.gradient(r, w, h); }

    public static byte[] photo(Path p, Random r, int w, int h) throws Exception { return NullDistributionTest.photo(p, r, w, h); }

    public static byte[] flat(Random r, int w, int h, int which) { return NullDistributionTest.flat(r, w, h, which); }

    public static byte[] text(Random r, int w, int h, byte[] under) { return NullDistributionTest.text(r, w, h, under); }

    public static byte[] pattern(Random r, int w, int h) { return NullDistributionTest.pattern(r, w, h); }

    public static byte[] textured(int w, int h, long seed) { return WatermarkRobustnessTest.luma(LumaWatermarkerTest.textured(w, h, seed)); }

    public static void zoomed(byte[] base, int bw, int bh, byte[] out, int w, int h, double zoom) { NullDistributionTest.zoomed(base, bw, bh, out, w, h, zoom); }

    public static float[] fastVoice(Random r, int n) { return NullDistributionTest.fastVoice(r, n); }

    public static float[] tones(Random r, int n, boolean melody) { return NullDistributionTest.tones(r, n, melody); }

    /**
     * Whether the label detectors' null runs take 200 inputs instead of 40 ({@code -Dkinora.bench=true}); the watermark's
     * own null runs always take 200 ({@link NullDistributionTest#RUNS}).
     */
    public static final boolean FULL = Boolean.getBoolean("kinora.bench");
}
