package io.kinora.models.parallax.internal;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Locale;

import io.kinora.api.media.RgbImage;
import io.kinora.api.vision.Inpainter;

import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.util.NDImageUtils;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * Separates the picture into a foreground layer (the subject, with a soft matte) and a background plate (the
 * picture with the subject removed and its region filled from the surroundings), so the subject can move against
 * the background without dragging a stretched copy of itself across it, and what it uncovers is background.
 *
 * <p>Analysis runs in Java on a copy of at most {@value #SMALL} px on the long side (a few ms), deterministic:
 * <ol>
 *   <li><b>Seed</b>: a subject likelihood from colour distinctness against the picture's border: a colour that is
 *       rare along the border and far from the border's colours interpolated inwards (push-pull: what a smooth
 *       background would have there) is probably not background; plus 30 % of the nearness estimate, and a bump at every
 *       character position the scene gives; Otsu threshold; the connected regions that hold a character position,
 *       or else the strongest region (area x likelihood) and those at least half as strong.
 *   <li><b>Refinement</b> (three rounds, a GrabCut-like colour model without the graph cut): 16x16x16 colour
 *       histograms of the current foreground and background, log-likelihood ratio per pixel, smoothed over 5x5
 *       (spatial coherence), foreground = positive ratio within the grown bounding box of the previous round,
 *       regions connected to it, holes filled. The first round learns the foreground colours from the region's core
 *       only (a second Otsu split of the likelihood inside it) and leaves its rim out of both models.
 *   <li><b>Refusal</b>: no layer (the single-layer warp as before) when the region is under 1 % or over 55 % of the
 *       picture, spans 75 % of the width or more, or its colours overlap the background's too much (Bhattacharyya coefficient
 *       of the 8x8x8 histograms above {@value #MAX_OVERLAP}): the summary says which.
 * </ol>
 * On the engine, at the working resolution: the matte (mask upsampled bilinearly, edge steepened, box-feathered);
 * the plate (the dilated hole filled along its rows at the working resolution, see {@link #rowFill}; blended in
 * with a feathered hole mask, so outside the hole the plate is the picture); the plate's nearness (the same fill on the
 * depth map); and the foreground patch: premultiplied colour from the matting equation against the plate,
 * {@code F = picture - (1 - alpha) plate} (clamped to [0, alpha x 255.5]), so that compositing the unmoved layers
 * gives the picture back.
 */
final class Layers {

    /** Longest side of the analysis copy. */
    static final int SMALL = 256;
    /** How much nearer than its estimated nearness the foreground layer moves (it is the subject in front). */
    static final float LIFT = 0.15f;
    static final double MIN_AREA = 0.01;
    static final double MAX_AREA = 0.55;
    static final double MAX_OVERLAP = 0.6;
    /** A "subject" wider than this share of the picture is more likely ground, a horizon or a pattern. */
    static final double MAX_WIDTH = 0.75;

    /**
     * @param plate    (1, 3, H, W) the picture to sample as background (the picture itself for a single layer)
     * @param maps     depth and motion maps; channel 0 is the plate's nearness
     * @param fg       (1, 5, hf, wf) foreground patch: premultiplied colour, alpha, light mask (flicker); or
     *                 (1, 5, 0, 0) for none
     * @param x0       the patch's left column in the working picture
     * @param y0       the patch's top row
     * @param nearness the foreground layer's nearness (0 = far, 1 = near; may exceed 1 by {@link #LIFT})
     * @param area     share of the picture the matte covers (0 for none)
     * @param summary  what was separated, or why not, for the render report
     */
    record Result(NDArray plate, NDArray maps, NDArray fg, int x0, int y0, float nearness, double area, String summary) {
        boolean layered() { return fg.getShape().get(2) > 0; }
    }

    private Layers() {
    }

    /**
     * @param picture working picture (1, 3, H, W), values +0.5, owned by {@code manager}
     * @param maps    (1, 4, hd, wd) nearness and motion masks from {@link DepthEstimator}
     * @param seeds   character positions as fractions of the picture (x, y), may be empty; a position placed on a
     *                detected face carries the face's height (fraction of the picture height) as a third value
     * @param subject the saliency centroid (fractions), used when no character positions are given
     */
    static Result separate(NDManager manager, NDArray picture, NDArray maps, List<double[]> seeds, double[] subject) {
        return separate(manager, picture, maps, seeds, subject, null);
    }

    /**
     * @param inpainter fills the background plate behind the subject when given (OpenCV inpainting from
     *                  io.kinora.vision); {@code null}: the row fill ({@link #rowFill})
     */
    static Result separate(NDManager manager, NDArray picture, NDArray maps, List<double[]> seeds, double[] subject,
                           Inpainter inpainter) {
        int ww = (int) picture.getShape().get(3);
        int wh = (int) picture.getShape().get(2);
        double s = Math.min(1, SMALL / (double) Math.max(ww, wh));
        int w = Math.max(8, (int) Math.round(ww * s));
        int h = Math.max(8, (int) Math.round(wh * s));
        float[] rgb;
        float[] near;
        try (NDManager tmp = manager.newSubManager()) {
            picture.tempAttach(tmp);
            maps.tempAttach(tmp);
            rgb = NDImageUtils.resize(picture.transpose(0, 2, 3, 1), w, h, Image.Interpolation.BILINEAR).toFloatArray();
            near = NDImageUtils.resize(maps.get(":, 0:1").transpose(0, 2, 3, 1), w, h, Image.Interpolation.BILINEAR)
                    .toFloatArray();
        }
        Analysis a = analyse(rgb, near, w, h, seeds, subject);
        if (a.mask == null) {
            return new Result(picture, maps, manager.zeros(new Shape(1, 5, 0, 0)), 0, 0, 0, 0,
                    "single layer: " + a.reason);
        }
        return compose(manager, picture, maps, a, rgb, near, w, h, s, inpainter);
    }

    /** The analysis result: the foreground mask at the analysis size, or null with the reason. */
    record Analysis(boolean[] mask, String reason, double area, double overlap, int[] box) {
    }

    static Analysis analyse(float[] rgb, float[] near, int w, int h, List<double[]> seeds, double[] subject) {
        int n = w * h;
        int border = Math.max(2, (int) Math.round(0.04 * Math.min(w, h)));
        // 1. colour distinctness against the border
        int[] borderHist = new int[512];
        int borderCount = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (x < border || y < border || x >= w - border || y >= h - border) {
                    borderHist[bin8(rgb, y * w + x)]++;
                    borderCount++;
                }
            }
        }
        float[] sal = new float[n];
        float nearMin = Float.MAX_VALUE;
        float nearMax = -Float.MAX_VALUE;
        for (float v : near) {
            nearMin = Math.min(nearMin, v);
            nearMax = Math.max(nearMax, v);
        }
        // the background a smooth picture would have here: the border's colours interpolated inwards (push-pull)
        float[] borderWeight = new float[n];
        float[][] planes = new float[3][n];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = y * w + x;
                borderWeight[p] = x < border || y < border || x >= w - border || y >= h - border ? 1 : 0;
                for (int c = 0; c < 3; c++) planes[c][p] = rgb[p * 3 + c];
            }
        }
        float[][] expected = pushPull(planes, borderWeight, w, h);
        // deviation measured on a lightly blurred copy, so grain and noise do not count as difference
        float[][] calm = new float[3][];
        for (int c = 0; c < 3; c++) calm[c] = box(planes[c], w, h, 2);
        double logMax = Math.log(borderCount + 1.0);
        for (int p = 0; p < n; p++) {
            double freq = (borderHist[bin8(rgb, p)] + 1.0) / (borderCount + 1.0);
            double rare = -Math.log(freq) / logMax;
            double dr = calm[0][p] - expected[0][p];
            double dg = calm[1][p] - expected[1][p];
            double db = calm[2][p] - expected[2][p];
            double off = Math.min(1, Math.sqrt(dr * dr + dg * dg + db * db) / 120);
            sal[p] = (float) Math.sqrt(rare * off);
        }
        sal = box(sal, w, h, 1);
        float range = Math.max(1e-6f, nearMax - nearMin);
        double sigma = 0.08 * Math.min(w, h);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = y * w + x;
                double v = 0.7 * sal[p] + 0.3 * (near[p] - nearMin) / range;
                for (double[] c : seeds) {
                    double dx = x + 0.5 - c[0] * w;
                    double dy = y + 0.5 - c[1] * h;
                    v += 0.3 * Math.exp(-(dx * dx + dy * dy) / (2 * sigma * sigma));
                }
                sal[p] = (float) v;
            }
        }
        // 2. Otsu threshold, regions
        boolean[] fg = new boolean[n];
        float t = otsu(sal);
        for (int p = 0; p < n; p++) fg[p] = sal[p] > t;
        int[] label = new int[n];
        int regions = label(fg, w, h, label);
        double[] score = new double[regions + 1];
        int[] area = new int[regions + 1];
        for (int p = 0; p < n; p++) {
            if (label[p] > 0) {
                score[label[p]] += sal[p];
                area[label[p]]++;
            }
        }
        boolean[] keep = new boolean[regions + 1];
        boolean any = false;
        for (double[] c : seeds) {
            int l = nearestLabel(label, w, h, c[0], c[1], Math.max(2, (int) Math.round(0.03 * Math.max(w, h))));
            if (l > 0) {
                keep[l] = true;
                any = true;
            }
        }
        if (!any) {
            int best = 0;
            for (int l = 1; l <= regions; l++) if (best == 0 || score[l] > score[best]) best = l;
            if (best == 0) return refused("no region stands out from the border's colours");
            for (int l = 1; l <= regions; l++) keep[l] = score[l] >= 0.5 * score[best] && area[l] >= 0.002 * n;
            keep[best] = true;
        }
        // with character positions, each character is looked for in a window around its position (a standing
        // figure: 7 % of the width either side, 12 % of the height above and 38 % below), so a region that merely
        // touches a character (a pier, the sea, a hill behind) cannot carry the matte across the picture
        boolean[] allowed = new boolean[n];
        if (seeds.isEmpty()) {
            java.util.Arrays.fill(allowed, true);
        } else {
            for (double[] c : seeds) {
                int x0 = (int) Math.max(0, Math.floor((c[0] - 0.07) * w));
                int x1 = (int) Math.min(w, Math.ceil((c[0] + 0.07) * w));
                int y0 = (int) Math.max(0, Math.floor((c[1] - 0.12) * h));
                int y1 = (int) Math.min(h, Math.ceil((c[1] + 0.38) * h));
                for (int y = y0; y < y1; y++) for (int x = x0; x < x1; x++) allowed[y * w + x] = true;
            }
        }
        for (int p = 0; p < n; p++) fg[p] = label[p] > 0 && keep[label[p]] && allowed[p];
        // the colour model starts from the region's core (a second Otsu split inside it): its rim is often a mix of
        // subject and a neighbouring background region, which must not teach the model background colours
        int regionCount = 0;
        for (boolean b : fg) if (b) regionCount++;
        float[] inside = new float[regionCount];
        for (int p = 0, i = 0; p < n; p++) if (fg[p]) inside[i++] = sal[p];
        float core = otsu(inside);
        boolean[] model = new boolean[n];
        boolean[] unknown = new boolean[n];
        for (int p = 0; p < n; p++) {
            model[p] = fg[p] && sal[p] > core;
            unknown[p] = fg[p] && !model[p];
        }
        // 3. refinement by colour models
        float[] llr = new float[n];
        for (int round = 0; round < 3; round++) {
            int[] box = bbox(fg, w, h);
            if (box == null) return refused("the subject region vanished while refining its colours");
            int gx = (int) Math.round((box[2] - box[0]) * 0.15) + 3;
            int gy = (int) Math.round((box[3] - box[1]) * 0.15) + 3;
            int[] hf = new int[4096];
            int[] hb = new int[4096];
            int nf = 0;
            int nb = 0;
            for (int p = 0; p < n; p++) {
                if (round == 0 ? model[p] : fg[p]) {
                    hf[bin16(rgb, p)]++;
                    nf++;
                } else if (round > 0 || !unknown[p]) {
                    hb[bin16(rgb, p)]++;
                    nb++;
                }
            }
            for (int p = 0; p < n; p++) {
                int b = bin16(rgb, p);
                llr[p] = (float) Math.log(((hf[b] + 1.0) / (nf + 4096.0)) / ((hb[b] + 1.0) / (nb + 4096.0)));
            }
            float[] smooth = box(llr, w, h, 2);
            boolean[] next = new boolean[n];
            for (int y = Math.max(0, box[1] - gy); y < Math.min(h, box[3] + 1 + gy); y++) {
                for (int x = Math.max(0, box[0] - gx); x < Math.min(w, box[2] + 1 + gx); x++) {
                    next[y * w + x] = smooth[y * w + x] > 0 && allowed[y * w + x];
                }
            }
            // keep the regions that overlap the previous foreground, fill their holes
            int[] lab = new int[n];
            int count = label(next, w, h, lab);
            boolean[] overlaps = new boolean[count + 1];
            for (int p = 0; p < n; p++) if (fg[p] && lab[p] > 0) overlaps[lab[p]] = true;
            for (int p = 0; p < n; p++) next[p] = lab[p] > 0 && overlaps[lab[p]];
            fg = fillHoles(next, w, h);
        }
        // close gaps narrower than 6 % of the short side (stems between leaves and pot, an arm and the body): thin
        // parts the analysis size cannot resolve then travel with the subject instead of staying in the plate
        int close = Math.max(2, (int) Math.round(0.03 * Math.min(w, h)));
        fg = majority(fg, w, h);
        if (seeds.isEmpty()) {
            fg = fillHoles(erode(dilate(fg, w, h, close), w, h, close), w, h);
        } else {
            // with character positions, the smoothing above may have bridged a small gap to a neighbouring object
            // of similar colour (a sun behind a blond head): keep what the unsmoothed colour model also calls
            // foreground, only the parts that hold a character, and close each part on its own (two parts never
            // merge across the gap between them)
            float[] sharp = box(llr, w, h, 1);
            for (int p = 0; p < n; p++) fg[p] = fg[p] && sharp[p] > 0;
            fg = majority(fg, w, h);
            int[] lab = new int[n];
            int parts = label(fg, w, h, lab);
            boolean[] anchored = new boolean[parts + 1];
            for (double[] c : seeds) {
                int l = nearestLabel(lab, w, h, c[0], c[1], Math.max(2, (int) Math.round(0.03 * Math.max(w, h))));
                if (l > 0) anchored[l] = true;
            }
            boolean[] closed = new boolean[n];
            int heads = 0;
            for (int l = 1; l <= parts; l++) {
                if (!anchored[l]) continue;
                boolean[] part = new boolean[n];
                for (int p = 0; p < n; p++) part[p] = lab[p] == l;
                part = fillHoles(erode(dilate(part, w, h, close), w, h, close), w, h);
                if (headOnly(part, w, h, seeds)) {
                    heads++;
                    continue;
                }
                for (int p = 0; p < n; p++) closed[p] |= part[p];
            }
            fg = closed;
            if (heads > 0 && bbox(fg, w, h) == null) {
                return refused(heads == 1 ? "only a head stood out from its body (the body looks like the background):"
                        + " moved alone it would float, so the person stays in the picture"
                        : "only heads stood out from their bodies (the bodies look like the background): moved alone"
                        + " they would float, so the people stay in the picture");
            }
        }
        int[] box = bbox(fg, w, h);
        if (box == null) return refused("the subject region vanished while refining its colours");
        int count = 0;
        for (boolean b : fg) if (b) count++;
        double share = count / (double) n;
        double overlap = overlap(rgb, fg, n);
        if (share < MIN_AREA) {
            return refused(String.format(Locale.ROOT, "the most distinct region covers only %.1f %% of the picture",
                    share * 100));
        }
        if (share > MAX_AREA) {
            return refused(String.format(Locale.ROOT, "the distinct region covers %.0f %% of the picture: no separate"
                    + " subject in front of a background", share * 100));
        }
        if (box[2] - box[0] + 1 >= MAX_WIDTH * w) {
            return refused(String.format(Locale.ROOT, "the distinct region spans %.0f %% of the picture's width (ground,"
                    + " horizon or a pattern, not a subject)", (box[2] - box[0] + 1) * 100.0 / w));
        }
        if (overlap > MAX_OVERLAP) {
            return refused(String.format(Locale.ROOT, "the subject's colours overlap the background's too much"
                    + " (Bhattacharyya %.2f > %.2f) for a clean cut-out", overlap, MAX_OVERLAP));
        }
        return new Analysis(fg, null, share, overlap, box);
    }

    /**
     * A part anchored by a detected face (a seed {x, y, face height}) that ends within 1.2 face heights below the
     * face's centre is a head whose body stayed in the background (the colour model took the body, which touches the
     * frame, for background): moved as a layer it would float over a cut neck.
     */
    static boolean headOnly(boolean[] part, int w, int h, List<double[]> seeds) {
        int[] b = bbox(part, w, h);
        if (b == null) return false;
        for (double[] c : seeds) {
            if (c.length < 3) continue;
            int cx = (int) Math.min(w - 1, Math.max(0, c[0] * w));
            int cy = (int) Math.min(h - 1, Math.max(0, c[1] * h));
            boolean holds = cx >= b[0] && cx <= b[2] && cy >= b[1] && cy <= b[3];
            if (holds && b[3] + 1 <= (c[1] + 1.2 * c[2]) * h) return true;
        }
        return false;
    }

    private static Analysis refused(String reason) {
        return new Analysis(null, reason, 0, 1, null);
    }

    /** Builds the engine-side layers from the analysis. */
    private static Result compose(NDManager manager, NDArray picture, NDArray maps, Analysis a, float[] rgb,
                                  float[] near, int w, int h, double s, Inpainter inpainter) {
        int ww = (int) picture.getShape().get(3);
        int wh = (int) picture.getShape().get(2);
        int n = w * h;
        boolean[] fg = a.mask();
        // the hole the plate fills: the mask dilated by 2 % of the short side (the matte's soft edge and halo)
        int grow = Math.max(2, (int) Math.round(0.02 * Math.min(w, h)));
        boolean[] hole = dilate(fg, w, h, grow);
        float[] weight = new float[n];
        for (int p = 0; p < n; p++) weight[p] = hole[p] ? 0 : 1;
        float[][] planes = new float[4][n];
        for (int p = 0; p < n; p++) {
            planes[0][p] = rgb[p * 3];
            planes[1][p] = rgb[p * 3 + 1];
            planes[2][p] = rgb[p * 3 + 2];
            planes[3][p] = near[p];
        }
        float[][] filled = fill(planes, hole, weight, w, h);
        double fgNear = 0;
        int count = 0;
        for (int p = 0; p < n; p++) {
            if (fg[p]) {
                fgNear += near[p];
                count++;
            }
        }
        float nearness = (float) (fgNear / count) + LIFT;
        float[] fgMask = new float[n];
        float[] holeMask = new float[n];
        for (int p = 0; p < n; p++) {
            fgMask[p] = fg[p] ? 1 : 0;
            holeMask[p] = hole[p] ? 1 : 0;
        }
        int feather = Math.max(3, (wh / 240) | 1);
        // all work at the working resolution stays inside the hole's box (plus a margin): the rest of the plate is
        // the picture, the rest of the foreground transparent
        int[] box = a.box();
        int[] hb = bbox(hole, w, h);
        int pad = feather + (int) Math.ceil(1 / s) + 2;
        int x0 = Math.max(0, (int) Math.floor(hb[0] / s) - pad);
        int y0 = Math.max(0, (int) Math.floor(hb[1] / s) - pad);
        int x1 = Math.min(ww, (int) Math.ceil((hb[2] + 1) / s) + pad);
        int y1 = Math.min(wh, (int) Math.ceil((hb[3] + 1) / s) + pad);
        int bw = x1 - x0;
        int bh = y1 - y0;
        int bn = bw * bh;
        float[] alpha = sample(fgMask, w, h, ww, wh, x0, y0, bw, bh);
        for (int p = 0; p < bn; p++) alpha[p] = Math.min(1f, Math.max(0f, (alpha[p] - 0.5f) * 1.5f + 0.5f));
        alpha = box(alpha, bw, bh, feather / 2);
        for (int p = 0; p < bn; p++) if (alpha[p] < 1e-4f) alpha[p] = 0; // running-sum residue
        float[] soft = box(sample(holeMask, w, h, ww, wh, x0, y0, bw, bh), bw, bh, feather / 2);
        String sel = ":, :, " + y0 + ":" + y1 + ", " + x0 + ":" + x1;
        try (NDManager tmp = manager.newSubManager()) {
            picture.tempAttach(tmp);
            maps.tempAttach(tmp);
            int hd = (int) maps.getShape().get(2);
            int wd = (int) maps.getShape().get(3);
            float[] pic = picture.get(sel).toFloatArray();
            float[] light = sample(maps.get(":, 3:4").toFloatArray(), wd, hd, ww, wh, x0, y0, bw, bh);
            String fillHow;
            float[] fill;
            if (inpainter != null) {
                Inpainted ip = inpaintFill(pic, bw, bh, x0, y0, ww, wh, hole, w, h, inpainter);
                fill = ip.planes();
                fillHow = ip.how();
            } else {
                fill = rowFill(pic, bw, bh, x0, y0, ww, wh, hole, filled, w, h);
                fillHow = "filled from its surroundings along the rows";
            }
            float[] plateBox = new float[3 * bn];
            float[] patch = new float[5 * bn];
            for (int c = 0; c < 3; c++) {
                for (int p = 0; p < bn; p++) {
                    int i = c * bn + p;
                    float v = pic[i] + soft[p] * (fill[i] - pic[i]);
                    plateBox[i] = v;
                    // premultiplied foreground from the matting equation against the plate
                    float f = pic[i] - (1 - alpha[p]) * v;
                    patch[i] = Math.min(alpha[p] * 255.5f, Math.max(0f, f));
                }
            }
            System.arraycopy(alpha, 0, patch, 3 * bn, bn);
            System.arraycopy(light, 0, patch, 4 * bn, bn);
            NDArray plate = picture.duplicate();
            plate.set(new NDIndex(sel), tmp.create(plateBox, new Shape(1, 3, bh, bw)));
            // the patch itself: the alpha's bounding box in the box plus a 2 px transparent ring (fewer output
            // pixels to sample per frame)
            boolean[] covered = new boolean[bn];
            for (int i = 0; i < bn; i++) covered[i] = alpha[i] > 0;
            int[] ab = bbox(covered, bw, bh);
            if (ab == null) ab = new int[] {bw, bh, -1, -1};
            int ax0 = Math.max(0, ab[0] - 2);
            int ay0 = Math.max(0, ab[1] - 2);
            int ax1 = Math.min(bw - 1, ab[2] + 2);
            int ay1 = Math.min(bh - 1, ab[3] + 2);
            int cw = ax1 - ax0 + 1;
            int ch = ay1 - ay0 + 1;
            float[] cropped = new float[5 * cw * ch];
            for (int c = 0; c < 5; c++) {
                for (int y = 0; y < ch; y++) {
                    System.arraycopy(patch, c * bn + (ay0 + y) * bw + ax0, cropped, (c * ch + y) * cw, cw);
                }
            }
            NDArray fgPatch = tmp.create(cropped, new Shape(1, 5, ch, cw));

            // the plate's nearness: the filled nearness inside the hole, the estimate elsewhere
            NDArray nearFill = up(tmp.create(filled[3], new Shape(1, h, w, 1)), wd, hd);
            NDArray holeD = up(tmp.create(holeMask, new Shape(1, h, w, 1)), wd, hd);
            NDArray nearOrig = maps.get(":, 0:1");
            NDArray plateMaps = nearOrig.add(nearFill.sub(nearOrig).mul(holeD)).concat(maps.get(":, 1:4"), 1);
            plate.attach(manager);
            plateMaps.attach(manager);
            fgPatch.attach(manager);
            String summary = String.format(Locale.ROOT,
                    "two layers: foreground %.0f %% of the picture (x %.2f-%.2f, y %.2f-%.2f) moves as one plane at"
                            + " nearness %.2f (its estimate + %.2f) with a %d px feathered matte; background plate:"
                            + " the subject's region grown by %d %% of the short side, %s; colour overlap"
                            + " (Bhattacharyya) %.2f",
                    a.area() * 100, box[0] / (double) w, (box[2] + 1) / (double) w, box[1] / (double) h,
                    (box[3] + 1) / (double) h, nearness, LIFT, feather, Math.round(grow * 100.0 / Math.min(w, h)),
                    fillHow, a.overlap());
            return new Result(plate, plateMaps, fgPatch, x0 + ax0, y0 + ay0, nearness, a.area(), summary);
        }
    }

    /** (1, h, w, c) NHWC -> (1, c, hh, ww) NCHW, bilinear. */
    private static NDArray up(NDArray nhwc, int ww, int hh) {
        return NDImageUtils.resize(nhwc, ww, hh, Image.Interpolation.BILINEAR).transpose(0, 3, 1, 2);
    }

    // ---- analysis helpers (plain arrays, deterministic) ----

    private static int bin8(float[] rgb, int p) {
        return (q(rgb[p * 3], 5) << 6) | (q(rgb[p * 3 + 1], 5) << 3) | q(rgb[p * 3 + 2], 5);
    }

    private static int bin16(float[] rgb, int p) {
        return (q(rgb[p * 3], 4) << 8) | (q(rgb[p * 3 + 1], 4) << 4) | q(rgb[p * 3 + 2], 4);
    }

    private static int q(float v, int shift) {
        return Math.min(255, Math.max(0, (int) v)) >> shift;
    }

    /** Bhattacharyya coefficient of the foreground's and the background's 8x8x8 colour histograms (1 = same). */
    static double overlap(float[] rgb, boolean[] fg, int n) {
        double[] hf = new double[512];
        double[] hb = new double[512];
        int nf = 0;
        for (int p = 0; p < n; p++) {
            if (fg[p]) {
                hf[bin8(rgb, p)]++;
                nf++;
            } else {
                hb[bin8(rgb, p)]++;
            }
        }
        int nb = n - nf;
        if (nf == 0 || nb == 0) return 1;
        double bc = 0;
        for (int b = 0; b < 512; b++) bc += Math.sqrt(hf[b] / nf * hb[b] / nb);
        return bc;
    }

    static float otsu(float[] v) {
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (float x : v) {
            min = Math.min(min, x);
            max = Math.max(max, x);
        }
        if (max - min < 1e-6f) return max;
        int[] hist = new int[256];
        for (float x : v) hist[Math.min(255, (int) ((x - min) / (max - min) * 256))]++;
        double total = v.length;
        double sumAll = 0;
        for (int i = 0; i < 256; i++) sumAll += i * (double) hist[i];
        double wB = 0;
        double sumB = 0;
        double best = -1;
        int at = 0;
        for (int i = 0; i < 256; i++) {
            wB += hist[i];
            if (wB == 0) continue;
            double wF = total - wB;
            if (wF == 0) break;
            sumB += i * (double) hist[i];
            double mB = sumB / wB;
            double mF = (sumAll - sumB) / wF;
            double between = wB * wF * (mB - mF) * (mB - mF);
            if (between > best) {
                best = between;
                at = i;
            }
        }
        return min + (at + 1) / 256f * (max - min);
    }

    /** 4-connected labels (1..count) of the true pixels; returns count. */
    static int label(boolean[] m, int w, int h, int[] label) {
        int count = 0;
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        for (int start = 0; start < m.length; start++) {
            if (!m[start] || label[start] != 0) continue;
            label[start] = ++count;
            queue.add(start);
            while (!queue.isEmpty()) {
                int p = queue.poll();
                int x = p % w;
                int y = p / w;
                if (x > 0) visit(m, label, queue, p - 1, count);
                if (x < w - 1) visit(m, label, queue, p + 1, count);
                if (y > 0) visit(m, label, queue, p - w, count);
                if (y < h - 1) visit(m, label, queue, p + w, count);
            }
        }
        return count;
    }

    private static void visit(boolean[] m, int[] label, ArrayDeque<Integer> queue, int p, int l) {
        if (m[p] && label[p] == 0) {
            label[p] = l;
            queue.add(p);
        }
    }

    private static int nearestLabel(int[] label, int w, int h, double fx, double fy, int radius) {
        int cx = (int) Math.min(w - 1, Math.max(0, fx * w));
        int cy = (int) Math.min(h - 1, Math.max(0, fy * h));
        int best = 0;
        int bestD = Integer.MAX_VALUE;
        for (int y = Math.max(0, cy - radius); y <= Math.min(h - 1, cy + radius); y++) {
            for (int x = Math.max(0, cx - radius); x <= Math.min(w - 1, cx + radius); x++) {
                int l = label[y * w + x];
                int d = (x - cx) * (x - cx) + (y - cy) * (y - cy);
                if (l > 0 && d < bestD) {
                    bestD = d;
                    best = l;
                }
            }
        }
        return best;
    }

    /** {x0, y0, x1, y1} inclusive, or null when empty. */
    static int[] bbox(boolean[] m, int w, int h) {
        int x0 = w;
        int y0 = h;
        int x1 = -1;
        int y1 = -1;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (m[y * w + x]) {
                    x0 = Math.min(x0, x);
                    x1 = Math.max(x1, x);
                    y0 = Math.min(y0, y);
                    y1 = Math.max(y1, y);
                }
            }
        }
        return x1 < 0 ? null : new int[] {x0, y0, x1, y1};
    }

    /** Background pixels not connected to the picture's border become foreground. */
    static boolean[] fillHoles(boolean[] m, int w, int h) {
        boolean[] outside = new boolean[m.length];
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = y * w + x;
                if ((x == 0 || y == 0 || x == w - 1 || y == h - 1) && !m[p]) {
                    outside[p] = true;
                    queue.add(p);
                }
            }
        }
        while (!queue.isEmpty()) {
            int p = queue.poll();
            int x = p % w;
            int y = p / w;
            int[] next = {x > 0 ? p - 1 : -1, x < w - 1 ? p + 1 : -1, y > 0 ? p - w : -1, y < h - 1 ? p + w : -1};
            for (int q : next) {
                if (q >= 0 && !m[q] && !outside[q]) {
                    outside[q] = true;
                    queue.add(q);
                }
            }
        }
        boolean[] out = new boolean[m.length];
        for (int p = 0; p < m.length; p++) out[p] = !outside[p];
        return out;
    }

    private static boolean[] majority(boolean[] m, int w, int h) {
        boolean[] out = new boolean[m.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int c = 0;
                int t = 0;
                for (int dy = -1; dy <= 1; dy++) {
                    for (int dx = -1; dx <= 1; dx++) {
                        int xx = x + dx;
                        int yy = y + dy;
                        if (xx < 0 || yy < 0 || xx >= w || yy >= h) continue;
                        t++;
                        if (m[yy * w + xx]) c++;
                    }
                }
                out[y * w + x] = 2 * c > t;
            }
        }
        return out;
    }

    /** Square erosion by r pixels (the picture's outside counts as set, so a subject cut by the frame stays). */
    static boolean[] erode(boolean[] m, int w, int h, int r) {
        boolean[] inv = new boolean[m.length];
        for (int p = 0; p < m.length; p++) inv[p] = !m[p];
        boolean[] d = dilate(inv, w, h, r);
        for (int p = 0; p < m.length; p++) d[p] = !d[p];
        return d;
    }

    /** Square dilation by r pixels (separable). */
    static boolean[] dilate(boolean[] m, int w, int h, int r) {
        boolean[] tmp = new boolean[m.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                boolean v = false;
                for (int dx = Math.max(0, x - r); dx <= Math.min(w - 1, x + r) && !v; dx++) v = m[y * w + dx];
                tmp[y * w + x] = v;
            }
        }
        boolean[] out = new boolean[m.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                boolean v = false;
                for (int dy = Math.max(0, y - r); dy <= Math.min(h - 1, y + r) && !v; dy++) v = tmp[dy * w + x];
                out[y * w + x] = v;
            }
        }
        return out;
    }

    /** Box filter of radius r (separable running sums; at the edges the mean of the pixels inside). */
    static float[] box(float[] v, int w, int h, int r) {
        float[] tmp = new float[v.length];
        for (int y = 0; y < h; y++) {
            int o = y * w;
            double sum = 0;
            for (int x = 0; x <= Math.min(w - 1, r); x++) sum += v[o + x];
            for (int x = 0; x < w; x++) {
                int lo = Math.max(0, x - r);
                int hi = Math.min(w - 1, x + r);
                tmp[o + x] = (float) (sum / (hi - lo + 1));
                if (x + r + 1 < w) sum += v[o + x + r + 1];
                if (x - r >= 0) sum -= v[o + x - r];
            }
        }
        float[] out = new float[v.length];
        double[] col = new double[w];
        for (int y = 0; y <= Math.min(h - 1, r); y++) for (int x = 0; x < w; x++) col[x] += tmp[y * w + x];
        for (int y = 0; y < h; y++) {
            int n = Math.min(h - 1, y + r) - Math.max(0, y - r) + 1;
            for (int x = 0; x < w; x++) out[y * w + x] = (float) (col[x] / n);
            if (y + r + 1 < h) for (int x = 0; x < w; x++) col[x] += tmp[(y + r + 1) * w + x];
            if (y - r >= 0) for (int x = 0; x < w; x++) col[x] -= tmp[(y - r) * w + x];
        }
        return out;
    }

    /**
     * The plate's colours at the working resolution: inside the hole (the analysis-size hole, nearest-upsampled),
     * each row is interpolated linearly between the mean of the 3 known pixels left and the 3 right of the gap, so
     * the line behind the subject (horizon, table edge, wall base) continues sharp; where a row has picture on one
     * side only, the analysis-size fill, bilinearly upsampled. Outside the hole: the picture.
     *
     * @param pic    (3, bh, bw) planes of the working picture's box at (bx, by)
     * @param filled the analysis-size fill, planes 0..2
     */
    static float[] rowFill(float[] pic, int bw, int bh, int bx, int by, int ww, int wh, boolean[] hole,
                           float[][] filled, int w, int h) {
        float[] out = pic.clone();
        int plane = bw * bh;
        boolean[] in = new boolean[plane];
        for (int y = 0; y < bh; y++) {
            int sy = Math.min(h - 1, (int) ((by + y + 0.5) * h / wh));
            for (int x = 0; x < bw; x++) {
                in[y * bw + x] = hole[sy * w + Math.min(w - 1, (int) ((bx + x + 0.5) * w / ww))];
            }
        }
        for (int y = 0; y < bh; y++) {
            int x = 0;
            while (x < bw) {
                if (!in[y * bw + x]) {
                    x++;
                    continue;
                }
                int start = x;
                while (x < bw && in[y * bw + x]) x++;
                int end = x;
                if (start > 0 && end < bw) {
                    for (int c = 0; c < 3; c++) {
                        float l = side(pic, c * plane + y * bw, start - 1, -1, Math.max(0, start - 3));
                        float r = side(pic, c * plane + y * bw, end, 1, Math.min(bw - 1, end + 2));
                        for (int i = start; i < end; i++) {
                            float f = (i - start + 1) / (float) (end - start + 1);
                            out[c * plane + y * bw + i] = l + (r - l) * f;
                        }
                    }
                } else {
                    for (int i = start; i < end; i++) {
                        double fx = Math.min(w - 1, Math.max(0, (bx + i + 0.5) * w / ww - 0.5));
                        double fy = Math.min(h - 1, Math.max(0, (by + y + 0.5) * h / wh - 0.5));
                        int x0 = (int) fx;
                        int y0 = (int) fy;
                        int x1 = Math.min(w - 1, x0 + 1);
                        int y1 = Math.min(h - 1, y0 + 1);
                        double ax = fx - x0;
                        double ay = fy - y0;
                        for (int c = 0; c < 3; c++) {
                            float[] f = filled[c];
                            out[c * plane + y * bw + i] = (float) ((f[y0 * w + x0] * (1 - ax) + f[y0 * w + x1] * ax) * (1 - ay)
                                    + (f[y1 * w + x0] * (1 - ax) + f[y1 * w + x1] * ax) * ay);
                        }
                    }
                }
            }
        }
        return out;
    }

    /** Longest side of the picture box that is inpainted (the fill is upsampled from there). */
    static final int INPAINT_SIZE = 256;

    record Inpainted(float[] planes, String how) {
    }

    /**
     * The plate's colours at the working resolution from an {@link Inpainter}: the hole's box is reduced (area
     * average) to at most {@link #INPAINT_SIZE} px on its long side, a reduced pixel is to be filled when any working
     * pixel under it is in the hole (so no subject colour leaks into the fill), the inpainter fills it with a radius
     * of 2 % of the reduced box's short side (at least 3 px), and the fill is upsampled bilinearly into the hole.
     * Outside the hole: the picture. Working at a bounded size keeps the cost per rendition to tens of
     * milliseconds whatever the output resolution; behind a moving subject the fill is seen only at the edge of a
     * slow reveal, where the reduced detail does not show.
     *
     * @param pic (3, bh, bw) planes of the working picture's box at (bx, by), values +0.5
     */
    static Inpainted inpaintFill(float[] pic, int bw, int bh, int bx, int by, int ww, int wh, boolean[] hole, int w,
                                 int h, Inpainter inpainter) {
        int plane = bw * bh;
        boolean[] in = new boolean[plane];
        for (int y = 0; y < bh; y++) {
            int sy = Math.min(h - 1, (int) ((by + y + 0.5) * h / wh));
            for (int x = 0; x < bw; x++) {
                in[y * bw + x] = hole[sy * w + Math.min(w - 1, (int) ((bx + x + 0.5) * w / ww))];
            }
        }
        double t = Math.min(1, INPAINT_SIZE / (double) Math.max(bw, bh));
        int tw = Math.max(1, (int) Math.round(bw * t));
        int th = Math.max(1, (int) Math.round(bh * t));
        int tn = tw * th;
        byte[] rgb = new byte[tn * 3];
        byte[] mask = new byte[tn];
        for (int ty = 0; ty < th; ty++) {
            int y0 = ty * bh / th;
            int y1 = Math.max(y0 + 1, (ty + 1) * bh / th);
            for (int tx = 0; tx < tw; tx++) {
                int x0 = tx * bw / tw;
                int x1 = Math.max(x0 + 1, (tx + 1) * bw / tw);
                double r = 0;
                double g = 0;
                double b = 0;
                boolean m = false;
                for (int y = y0; y < y1; y++) {
                    for (int x = x0; x < x1; x++) {
                        int p = y * bw + x;
                        r += pic[p];
                        g += pic[plane + p];
                        b += pic[2 * plane + p];
                        m |= in[p];
                    }
                }
                int cnt = (y1 - y0) * (x1 - x0);
                int o = ty * tw + tx;
                rgb[o * 3] = (byte) Math.max(0, Math.min(255, (int) (r / cnt)));
                rgb[o * 3 + 1] = (byte) Math.max(0, Math.min(255, (int) (g / cnt)));
                rgb[o * 3 + 2] = (byte) Math.max(0, Math.min(255, (int) (b / cnt)));
                mask[o] = (byte) (m ? 255 : 0);
            }
        }
        int radius = Math.max(3, (int) Math.round(0.015 * Math.min(tw, th)));
        RgbImage filled = inpainter.inpaint(new RgbImage(tw, th, rgb), mask, radius);
        float[][] f = new float[3][tn];
        byte[] fb = filled.rgb();
        for (int p = 0; p < tn; p++) {
            for (int c = 0; c < 3; c++) f[c][p] = (fb[p * 3 + c] & 0xff) + 0.5f;
        }
        float[] out = pic.clone();
        for (int c = 0; c < 3; c++) {
            float[] up = sample(f[c], tw, th, bw, bh, 0, 0, bw, bh);
            for (int p = 0; p < plane; p++) if (in[p]) out[c * plane + p] = up[p];
        }
        return new Inpainted(out, String.format(Locale.ROOT, "inpainted by %s (at %dx%d, radius %d)", inpainter.method(),
                tw, th, radius));
    }

    /**
     * Bilinear samples (pixel centres aligned, edges clamped) of a {@code w x h} map stretched over a
     * {@code ww x wh} picture, for the {@code bw x bh} box at (bx, by) of that picture.
     */
    static float[] sample(float[] map, int w, int h, int ww, int wh, int bx, int by, int bw, int bh) {
        int[] xi = new int[bw];
        int[] xj = new int[bw];
        float[] ax = new float[bw];
        for (int x = 0; x < bw; x++) {
            double fx = Math.min(w - 1, Math.max(0, (bx + x + 0.5) * w / ww - 0.5));
            xi[x] = (int) fx;
            xj[x] = Math.min(w - 1, xi[x] + 1);
            ax[x] = (float) (fx - xi[x]);
        }
        float[] out = new float[bw * bh];
        for (int y = 0; y < bh; y++) {
            double fy = Math.min(h - 1, Math.max(0, (by + y + 0.5) * h / wh - 0.5));
            int r0 = (int) fy * w;
            int r1 = Math.min(h - 1, (int) fy + 1) * w;
            float ay = (float) (fy - (int) fy);
            int o = y * bw;
            for (int x = 0; x < bw; x++) {
                float a = ax[x];
                float top = map[r0 + xi[x]] + (map[r0 + xj[x]] - map[r0 + xi[x]]) * a;
                float bottom = map[r1 + xi[x]] + (map[r1 + xj[x]] - map[r1 + xi[x]]) * a;
                out[o + x] = top + (bottom - top) * ay;
            }
        }
        return out;
    }

    /** Mean of the pixels from {@code from} to {@code to} (inclusive, stepping {@code step}) of one row. */
    private static float side(float[] pic, int row, int from, int step, int to) {
        float sum = 0;
        int n = 0;
        for (int x = from; step > 0 ? x <= to : x >= to; x += step) {
            sum += pic[row + x];
            n++;
        }
        return sum / n;
    }

    /**
     * Fills the hole: along each row, linear interpolation between the known pixels left and right of the gap
     * (backgrounds behind subjects are mostly horizontal structure: horizon, table edge, wall, floor, so the line
     * behind the subject continues instead of bleeding into a blob), softened over 3 rows inside the hole; where a
     * row has known pixels on one side only, push-pull interpolation.
     */
    static float[][] fill(float[][] planes, boolean[] hole, float[] weight, int w, int h) {
        float[][] pp = pushPull(planes, weight, w, h);
        int c = planes.length;
        float[][] out = new float[c][];
        for (int k = 0; k < c; k++) out[k] = pp[k].clone();
        for (int y = 0; y < h; y++) {
            int x = 0;
            while (x < w) {
                if (!hole[y * w + x]) {
                    x++;
                    continue;
                }
                int start = x;
                while (x < w && hole[y * w + x]) x++;
                if (start == 0 || x == w) continue;
                int l = y * w + start - 1;
                int r = y * w + x;
                for (int i = start; i < x; i++) {
                    double f = (i - start + 1) / (double) (x - start + 1);
                    for (int k = 0; k < c; k++) out[k][y * w + i] = (float) (planes[k][l] * (1 - f) + planes[k][r] * f);
                }
            }
        }
        for (int k = 0; k < c; k++) {
            float[] soft = out[k].clone();
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int p = y * w + x;
                    if (!hole[p]) continue;
                    double sum = 0;
                    int n = 0;
                    for (int yy = Math.max(0, y - 1); yy <= Math.min(h - 1, y + 1); yy++) {
                        if (hole[yy * w + x]) {
                            sum += out[k][yy * w + x];
                            n++;
                        }
                    }
                    soft[p] = (float) (sum / n);
                }
            }
            out[k] = soft;
        }
        return out;
    }

    /**
     * Push-pull interpolation (Gortler et al., "The Lumigraph", 1996): the known pixels (weight 1) are averaged
     * down a pyramid of halvings until every level is covered, then each level's gaps are filled from the coarser
     * level, bilinearly upsampled. Known pixels keep their values; holes get a smooth blend of their surroundings
     * (no streaks from a single border pixel).
     */
    static float[][] pushPull(float[][] planes, float[] weight, int w, int h) {
        int c = planes.length;
        if (w <= 1 && h <= 1) {
            return planes;
        }
        int w2 = (w + 1) / 2;
        int h2 = (h + 1) / 2;
        float[][] sum = new float[c][w2 * h2];
        float[] wsum = new float[w2 * h2];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = y * w + x;
                int q = (y / 2) * w2 + x / 2;
                wsum[q] += weight[p];
                for (int k = 0; k < c; k++) sum[k][q] += planes[k][p] * weight[p];
            }
        }
        float[] w2n = new float[w2 * h2];
        for (int q = 0; q < w2n.length; q++) {
            if (wsum[q] > 0) for (int k = 0; k < c; k++) sum[k][q] /= wsum[q];
            w2n[q] = Math.min(1f, wsum[q]);
        }
        float[][] coarse = pushPull(sum, w2n, w2, h2);
        float[][] out = new float[c][w * h];
        for (int y = 0; y < h; y++) {
            double cy = Math.min(h2 - 1, Math.max(0, (y + 0.5) / 2 - 0.5));
            int yi = (int) cy;
            int yj = Math.min(h2 - 1, yi + 1);
            double fy = cy - yi;
            for (int x = 0; x < w; x++) {
                double cx = Math.min(w2 - 1, Math.max(0, (x + 0.5) / 2 - 0.5));
                int xi = (int) cx;
                int xj = Math.min(w2 - 1, xi + 1);
                double fx = cx - xi;
                int p = y * w + x;
                float wt = Math.min(1f, weight[p]);
                for (int k = 0; k < c; k++) {
                    float[] cp = coarse[k];
                    double v = (cp[yi * w2 + xi] * (1 - fx) + cp[yi * w2 + xj] * fx) * (1 - fy)
                            + (cp[yj * w2 + xi] * (1 - fx) + cp[yj * w2 + xj] * fx) * fy;
                    out[k][p] = (float) (planes[k][p] * wt + v * (1 - wt));
                }
            }
        }
        return out;
    }
}
