package io.kinora.models.parallax.internal;

import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.util.NDImageUtils;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.pooling.Pool;

/**
 * A relative depth ("nearness") estimate from the picture itself, with no learned weights: good enough to separate
 * foreground from background for a gentle parallax, not a metric depth map.
 *
 * <p>Two cues, computed once per rendition on a small copy of the picture (at most {@link #HEIGHT} rows):
 * <ul>
 *   <li>vertical position: in most photographs the ground comes toward the camera at the bottom of the frame and
 *       the sky is far away at the top;
 *   <li>saliency: local contrast (standard deviation of luminance in a 5x5 window) and colour saturation; sharp,
 *       colourful things tend to be the subject in front, hazy and flat regions (sky, distance) behind.
 * </ul>
 * The mix is smoothed heavily (three box blurs of about 1/12 of the height, close to a Gaussian) so that
 * the parallax field bends smoothly and never tears the picture, then normalised to [0, 1].
 */
final class DepthEstimator {

    static final int HEIGHT = 128;
    static final float PRIOR_WEIGHT = 0.6f;
    static final String METHOD = "heuristic (no learned weights): vertical-position prior 60 %"
            + " + local-contrast/saturation saliency 40 %, box-blurred x3, normalised";

    /**
     * @param map      (1, 4, h, w) float32: nearness (0 = far, 1 = near), then the water, sky and light masks of
     *                 {@link #masks} (0..1), all over the same picture
     * @param focal    nearness of the focal plane: mean over the central half of the picture
     * @param spread   largest |nearness - focal|
     * @param coverage fraction of the picture each mask covers (water, sky, light)
     * @param subjectX saliency centroid, fraction of the picture width (where the subject probably is)
     * @param subjectY saliency centroid, fraction of the picture height
     */
    record Depth(NDArray map, float focal, float spread, float[] coverage, double subjectX, double subjectY) {
    }

    static final String MASKS = "water = lower-frame region with horizontal streaks or blue; sky = upper smooth"
            + " bright or blue region; light = bright warm region";

    private DepthEstimator() {
    }

    /**
     * @param picture (1, 3, H, W) float32, values 0..255 (+0.5), owned by {@code manager}
     * @param manager receives the depth map; intermediates are freed before returning
     */
    static Depth estimate(NDArray picture, NDManager manager) {
        long ph = picture.getShape().get(2);
        long pw = picture.getShape().get(3);
        int h = (int) Math.min(ph, HEIGHT);
        int w = (int) Math.max(2, Math.round(pw * (h / (double) ph)));
        try (NDManager tmp = manager.newSubManager()) {
            // results of an op belong to its input's manager: lend the picture to tmp so intermediates die with tmp
            picture.tempAttach(tmp);
            // antialiased bilinear downscale (DJL's resize works on NHWC; a transposed view is enough)
            NDArray x = NDImageUtils.resize(picture.transpose(0, 2, 3, 1), w, h, Image.Interpolation.BILINEAR)
                    .transpose(0, 3, 1, 2).div(255f);
            NDArray weights = tmp.create(new float[] {0.299f, 0.587f, 0.114f}, new Shape(1, 3, 1, 1));
            NDArray lum = x.mul(weights).sum(new int[] {1}, true);
            NDArray max = x.max(new int[] {1}, true);
            NDArray min = x.min(new int[] {1}, true);
            NDArray saturation = max.sub(min).div(max.add(1e-3f));

            Shape k5 = new Shape(5, 5);
            Shape one = new Shape(1, 1);
            Shape p2 = new Shape(2, 2);
            NDArray mean = Pool.avgPool2d(lum, k5, one, p2, false, false);
            NDArray meanSq = Pool.avgPool2d(lum.square(), k5, one, p2, false, false);
            NDArray contrast = meanSq.sub(mean.square()).clip(0f, Float.MAX_VALUE).sqrt();

            NDArray saliency = normalise(contrast).mul(0.6f).add(normalise(saturation).mul(0.4f));
            NDArray prior = tmp.linspace(0f, 1f, h).reshape(1, 1, h, 1);
            NDArray near = prior.mul(PRIOR_WEIGHT).add(saliency.mul(1 - PRIOR_WEIGHT));

            int k = Math.max(3, (h / 12) | 1);
            Shape kb = new Shape(k, k);
            Shape pb = new Shape(k / 2, k / 2);
            for (int i = 0; i < 3; i++) {
                near = Pool.avgPool2d(near, kb, one, pb, false, false);
            }
            NDArray depth = normalise(near);

            NDArray centre = depth.get(":, :, " + h / 4 + ":" + Math.max(h / 4 + 1, 3 * h / 4)
                    + ", " + w / 4 + ":" + Math.max(w / 4 + 1, 3 * w / 4));
            float focal = centre.mean().getFloat();
            float spread = depth.sub(focal).abs().max().getFloat();

            NDArray masks = masks(x, lum, contrast, prior, h, w);
            float[] coverage = masks.mean(new int[] {3}).mean(new int[] {2}).mean(new int[] {0}).toFloatArray();
            // subject: centroid of the squared saliency, which favours the strongest region over scattered texture
            NDArray sal = Pool.avgPool2d(saliency, new Shape(k, k), one, new Shape(k / 2, k / 2), false, false).square();
            float total = sal.sum().getFloat();
            double sx = 0.5;
            double sy = 0.5;
            if (total > 1e-6f) {
                NDArray xs = tmp.linspace(0.5f / w, 1 - 0.5f / w, w).reshape(1, 1, 1, w);
                NDArray ys = tmp.linspace(0.5f / h, 1 - 0.5f / h, h).reshape(1, 1, h, 1);
                sx = sal.mul(xs).sum().getFloat() / total;
                sy = sal.mul(ys).sum().getFloat() / total;
            }
            NDArray map = depth.concat(masks, 1);
            map.attach(manager);
            return new Depth(map, focal, spread, coverage, sx, sy);
        }
    }

    /**
     * Where scene motion may go, as three soft masks (1, 3, h, w) in [0, 1], from image cues only:
     * <ul>
     *   <li>water: below the upper third, where the texture runs horizontally (vertical luminance changes dominate
     *       over horizontal ones: ripples, reflections) or the colour is blue-green and darker than a sky;
     *   <li>sky: in the upper 60 %, smooth (little local contrast) and bright or blue;
     *   <li>light: bright and warm (flames, candles, lamps, sunsets).
     * </ul>
     */
    static NDArray masks(NDArray x, NDArray lum, NDArray contrast, NDArray prior, int h, int w) {
        NDArray r = x.get(":, 0:1");
        NDArray g = x.get(":, 1:2");
        NDArray b = x.get(":, 2:3");
        Shape one = new Shape(1, 1);
        Shape k7 = new Shape(7, 7);
        Shape p3 = new Shape(3, 3);
        // gradient energy along each axis (padded back to h x w by repeating the last difference)
        NDArray dy = lum.get(":, :, 1:").sub(lum.get(":, :, :-1")).abs();
        dy = dy.concat(dy.get(":, :, -1:"), 2);
        NDArray dx = lum.get(":, :, :, 1:").sub(lum.get(":, :, :, :-1")).abs();
        dx = dx.concat(dx.get(":, :, :, -1:"), 3);
        NDArray ey = Pool.avgPool2d(dy, k7, one, p3, false, false);
        NDArray ex = Pool.avgPool2d(dx, k7, one, p3, false, false);
        NDArray streak = ey.div(ey.add(ex).add(0.01f)).sub(0.58f).mul(1 / 0.17f).clip(0f, 1f)
                .mul(ey.sub(0.004f).mul(1 / 0.01f).clip(0f, 1f));
        NDArray blue = b.sub(r.add(g).mul(0.5f)).sub(0.04f).mul(1 / 0.12f).clip(0f, 1f)
                .mul(lum.sub(0.8f).mul(-1 / 0.25f).clip(0f, 1f));
        NDArray lower = prior.sub(0.33f).mul(1 / 0.15f).clip(0f, 1f);
        NDArray water = streak.maximum(blue).mul(lower);

        NDArray upper = prior.sub(0.6f).mul(-1 / 0.15f).clip(0f, 1f);
        NDArray smooth = contrast.sub(0.035f).mul(-1 / 0.03f).clip(0f, 1f);
        NDArray bright = lum.sub(0.35f).mul(1 / 0.2f).clip(0f, 1f).maximum(b.sub(r).mul(1 / 0.1f).clip(0f, 1f));
        NDArray sky = upper.mul(smooth).mul(bright);

        NDArray max = x.max(new int[] {1}, true);
        NDArray light = max.sub(0.72f).mul(1 / 0.2f).clip(0f, 1f)
                .mul(r.sub(b).sub(0.08f).mul(1 / 0.2f).clip(0f, 1f));

        NDArray m = water.concat(sky, 1).concat(light, 1);
        int k = Math.max(3, (h / 24) | 1);
        Shape kb = new Shape(k, k);
        Shape pb = new Shape(k / 2, k / 2);
        // soft edges, so the motion fades out instead of tearing at a region's border
        for (int i = 0; i < 2; i++) m = Pool.avgPool2d(m, kb, one, pb, false, false);
        return m.mul(1.4f).clip(0f, 1f);
    }

    /** (a - min) / (max - min), or zeros for a flat input. */
    private static NDArray normalise(NDArray a) {
        float lo = a.min().getFloat();
        float hi = a.max().getFloat();
        if (hi - lo < 1e-6f) return a.zerosLike();
        return a.sub(lo).div(hi - lo);
    }
}
