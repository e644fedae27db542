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
     * @param map    (1, 1, h, w) float32 nearness, 0 = far, 1 = near
     * @param focal  nearness of the focal plane: mean over the central half of the picture
     * @param spread largest |nearness - focal|
     */
    record Depth(NDArray map, float focal, float spread) {
    }

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
            depth.attach(manager);
            return new Depth(depth, focal, spread);
        }
    }

    /** (a - min) / (max - min), or zeros for a flat input. */
    private static NDArray normalise(NDArray a) {
        float lo = a.min().getFloat();
        float hi = a.max().getFloat();
        if (hi - lo < 1e-6f) return a.zerosLike();
        return a.sub(lo).div(hi - lo);
    }
}
