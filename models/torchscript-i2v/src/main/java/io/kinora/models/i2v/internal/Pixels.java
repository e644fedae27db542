package io.kinora.models.i2v.internal;

import io.kinora.api.media.RgbImage;

/** Java-side pre- and post-processing: cover fit to the model's square, bilinear resize to the output. */
final class Pixels {

    private Pixels() {
    }

    /** The largest centred square of the picture, bilinearly sampled to size x size, CHW floats in [0,1]. */
    static float[] coverFitChw(RgbImage img, int size) {
        int side = Math.min(img.width(), img.height());
        double x0 = (img.width() - side) / 2.0;
        double y0 = (img.height() - side) / 2.0;
        float[] out = new float[3 * size * size];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                double sx = x0 + (x + 0.5) * side / size - 0.5;
                double sy = y0 + (y + 0.5) * side / size - 0.5;
                for (int c = 0; c < 3; c++) {
                    out[c * size * size + y * size + x] = (float) (bilinear(img, sx, sy, c) / 255.0);
                }
            }
        }
        return out;
    }

    private static double bilinear(RgbImage img, double x, double y, int c) {
        x = Math.max(0, Math.min(img.width() - 1, x));
        y = Math.max(0, Math.min(img.height() - 1, y));
        int ix = (int) Math.floor(x);
        int iy = (int) Math.floor(y);
        int jx = Math.min(ix + 1, img.width() - 1);
        int jy = Math.min(iy + 1, img.height() - 1);
        double fx = x - ix;
        double fy = y - iy;
        double a = img.sample(ix, iy, c) * (1 - fx) + img.sample(jx, iy, c) * fx;
        double b = img.sample(ix, jy, c) * (1 - fx) + img.sample(jx, jy, c) * fx;
        return a * (1 - fy) + b * fy;
    }

    /** A size x size HWC float frame, cover-fitted (centre crop) and bilinearly resized to width x height. */
    static RgbImage toFrame(float[] hwc, int size, int width, int height) {
        double scale = Math.min((double) size / width, (double) size / height);
        double cropW = width * scale;
        double cropH = height * scale;
        double x0 = (size - cropW) / 2.0;
        double y0 = (size - cropH) / 2.0;
        byte[] rgb = new byte[width * height * 3];
        for (int y = 0; y < height; y++) {
            double sy = Math.max(0, Math.min(size - 1, y0 + (y + 0.5) * scale - 0.5));
            int iy = (int) Math.floor(sy);
            int jy = Math.min(iy + 1, size - 1);
            double fy = sy - iy;
            for (int x = 0; x < width; x++) {
                double sx = Math.max(0, Math.min(size - 1, x0 + (x + 0.5) * scale - 0.5));
                int ix = (int) Math.floor(sx);
                int jx = Math.min(ix + 1, size - 1);
                double fx = sx - ix;
                for (int c = 0; c < 3; c++) {
                    double a = hwc[(iy * size + ix) * 3 + c] * (1 - fx) + hwc[(iy * size + jx) * 3 + c] * fx;
                    double b = hwc[(jy * size + ix) * 3 + c] * (1 - fx) + hwc[(jy * size + jx) * 3 + c] * fx;
                    double v = (a * (1 - fy) + b * fy) * 255.0 + 0.5;
                    rgb[(y * width + x) * 3 + c] = (byte) Math.max(0, Math.min(255, (int) v));
                }
            }
        }
        return new RgbImage(width, height, rgb);
    }
}
