package io.kinora.models.parallax.internal;

/**
 * Cover-fit geometry of one rendition: the largest centred rectangle of the picture with the output's aspect
 * ratio (the "cover crop"), and the conversions between the coordinate systems the renderer uses.
 *
 * <ul>
 *   <li><b>view units</b> {@code v}: the cover crop spans [-1, 1] on both axes, edge to edge. The camera works here.
 *   <li><b>output units</b> {@code u}: an output pixel {@code i} has {@code u = 2 (i + 0.5) / outW - 1}; at zoom
 *       {@code z} and camera centre {@code c} it shows the picture at {@code v = c + u / z}.
 *   <li><b>grid units</b>: {@code grid_sample(align_corners=True)} coordinates of a picture {@code P} pixels wide,
 *       -1 at the centre of the first pixel, +1 at the centre of the last.
 * </ul>
 *
 * @param picW  picture width in pixels (the working image)
 * @param picH  picture height in pixels
 * @param outW  output frame width
 * @param outH  output frame height
 * @param cropX left edge of the cover crop, picture pixels (edge coordinates)
 * @param cropY top edge of the cover crop
 * @param cropW cover crop width
 * @param cropH cover crop height
 */
record Framing(int picW, int picH, int outW, int outH, double cropX, double cropY, double cropW, double cropH) {

    /** The centred cover crop of a {@code picW x picH} picture for a {@code outW x outH} frame. */
    static Framing cover(int picW, int picH, int outW, int outH) {
        double outAspect = outW / (double) outH;
        double cw;
        double ch;
        if (picW / (double) picH > outAspect) {
            ch = picH;
            cw = picH * outAspect;
        } else {
            cw = picW;
            ch = picW / outAspect;
        }
        return new Framing(picW, picH, outW, outH, (picW - cw) / 2, (picH - ch) / 2, cw, ch);
    }

    /**
     * The same crop size, moved so that its centre is as close as the picture allows to ({@code fx}, {@code fy}),
     * given as fractions of the picture's width and height. Used to frame the subject in renditions whose
     * aspect ratio crops much of the picture away (9:16 or 1:1 of a landscape photo).
     */
    Framing centredOn(double fx, double fy) {
        double x = Math.max(0, Math.min(picW - cropW, fx * picW - cropW / 2));
        double y = Math.max(0, Math.min(picH - cropH, fy * picH - cropH / 2));
        return new Framing(picW, picH, outW, outH, x, y, cropW, cropH);
    }

    /** Crop centre as fractions of the picture (0.5, 0.5 = centred). */
    double centreFractionX() { return (cropX + cropW / 2) / picW; }

    double centreFractionY() { return (cropY + cropH / 2) / picH; }

    /** The same crop, expressed for the picture resampled to {@code w x h} pixels. */
    Framing resampled(int w, int h) {
        double sx = w / (double) picW;
        double sy = h / (double) picH;
        return new Framing(w, h, outW, outH, cropX * sx, cropY * sy, cropW * sx, cropH * sy);
    }

    /** Output units of output pixel column {@code i} (may be fractional). */
    double outputUx(double i) { return 2 * (i + 0.5) / outW - 1; }

    /** Output units of output pixel row {@code j} (may be fractional). */
    double outputUy(double j) { return 2 * (j + 0.5) / outH - 1; }

    /** Picture x (pixel-centre coordinates: pixel k is at k) of view x. */
    double pictureX(double vx) { return cropX + (vx + 1) / 2 * cropW - 0.5; }

    /** Picture y (pixel-centre coordinates) of view y. */
    double pictureY(double vy) { return cropY + (vy + 1) / 2 * cropH - 0.5; }

    /** View x of a horizontal position given as a fraction of the picture width (0 = left edge, 1 = right edge). */
    double viewXOfFraction(double fx) { return 2 * (fx * picW - cropX) / cropW - 1; }

    /** View y of a vertical position given as a fraction of the picture height. */
    double viewYOfFraction(double fy) { return 2 * (fy * picH - cropY) / cropH - 1; }

    /** Smallest view x whose sample stays inside the outermost pixel centres (so border padding never engages). */
    double minViewX() { return 2 * (0.5 - cropX) / cropW - 1; }

    double maxViewX() { return 2 * (picW - 0.5 - cropX) / cropW - 1; }

    double minViewY() { return 2 * (0.5 - cropY) / cropH - 1; }

    double maxViewY() { return 2 * (picH - 0.5 - cropY) / cropH - 1; }

    /**
     * Affine map from view units to grid units of a map {@code mapW x mapH} pixels that covers the same picture
     * (the working image itself, or the coarser depth map): {@code {scaleX, scaleY, offsetX, offsetY}}.
     */
    double[] gridAffine(int mapW, int mapH) {
        return new double[] {
            scale(cropW, picW, mapW), scale(cropH, picH, mapH),
            offset(cropX, cropW, picW, mapW), offset(cropY, cropH, picH, mapH)};
    }

    private static double scale(double crop, int pic, int map) {
        return crop * (map / (double) pic) / (map - 1);
    }

    private static double offset(double cropStart, double crop, int pic, int map) {
        // grid = -1 + 2 (edge * map/pic - 0.5) / (map - 1), edge = cropStart + (v + 1) / 2 * crop
        return -1 + ((2 * cropStart + crop) * (map / (double) pic) - 1) / (map - 1);
    }
}
