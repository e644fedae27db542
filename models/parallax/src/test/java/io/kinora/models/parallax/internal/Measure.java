package io.kinora.models.parallax.internal;

import io.kinora.api.media.RgbImage;

/** Independent measurements on frames (plain Java, no model code). */
final class Measure {

    private Measure() {
    }

    /**
     * The picture as the spec defines the fitted input: the centred cover crop of the output's aspect ratio, shrunk
     * about its centre by the overscan factor, resampled bilinearly (pixel centres mapped onto pixel centres).
     */
    static RgbImage fitted(RgbImage src, int w, int h, double overscan) {
        double sw = src.width();
        double sh = src.height();
        double cw;
        double ch;
        if (sw / sh > w / (double) h) {
            ch = sh;
            cw = sh * w / h;
        } else {
            cw = sw;
            ch = sw * h / w;
        }
        double ow = cw / (1 + overscan);
        double oh = ch / (1 + overscan);
        double x0 = (sw - ow) / 2;
        double y0 = (sh - oh) / 2;
        byte[] out = new byte[w * h * 3];
        for (int j = 0; j < h; j++) {
            double y = y0 + (j + 0.5) * oh / h - 0.5;
            for (int i = 0; i < w; i++) {
                double x = x0 + (i + 0.5) * ow / w - 0.5;
                for (int c = 0; c < 3; c++) {
                    out[(j * w + i) * 3 + c] = (byte) Math.round(bilinear(src, x, y, c));
                }
            }
        }
        return new RgbImage(w, h, out);
    }

    static double bilinear(RgbImage img, double x, double y, int c) {
        x = Math.max(0, Math.min(img.width() - 1, x));
        y = Math.max(0, Math.min(img.height() - 1, y));
        int x0 = (int) Math.floor(x);
        int y0 = (int) Math.floor(y);
        int x1 = Math.min(x0 + 1, img.width() - 1);
        int y1 = Math.min(y0 + 1, img.height() - 1);
        double fx = x - x0;
        double fy = y - y0;
        double top = img.sample(x0, y0, c) * (1 - fx) + img.sample(x1, y0, c) * fx;
        double bottom = img.sample(x0, y1, c) * (1 - fx) + img.sample(x1, y1, c) * fx;
        return top * (1 - fy) + bottom * fy;
    }

    static double psnr(RgbImage a, RgbImage b) {
        double se = 0;
        byte[] x = a.rgb();
        byte[] y = b.rgb();
        for (int i = 0; i < x.length; i++) {
            double d = (x[i] & 0xff) - (y[i] & 0xff);
            se += d * d;
        }
        double mse = se / x.length;
        return mse == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(255.0 * 255.0 / mse);
    }

    /** Mean absolute difference per sample. */
    static double mad(RgbImage a, RgbImage b) {
        long s = 0;
        byte[] x = a.rgb();
        byte[] y = b.rgb();
        for (int i = 0; i < x.length; i++) s += Math.abs((x[i] & 0xff) - (y[i] & 0xff));
        return s / (double) x.length;
    }

    /** Mean over pixels and channels of |dI/dx| + |dI/dy| (per pixel of displacement). */
    static double meanGradient(RgbImage a) {
        double s = 0;
        long n = 0;
        for (int y = 0; y < a.height() - 1; y++) {
            for (int x = 0; x < a.width() - 1; x++) {
                for (int c = 0; c < 3; c++) {
                    int v = a.sample(x, y, c);
                    s += Math.abs(a.sample(x + 1, y, c) - v) + Math.abs(a.sample(x, y + 1, c) - v);
                    n++;
                }
            }
        }
        return s / n;
    }

    /** Centroid {x, y, count} of the pixels within {@code tol} of colour (r, g, b). */
    static double[] centroid(RgbImage a, int r, int g, int b, int tol) {
        double sx = 0;
        double sy = 0;
        long n = 0;
        for (int y = 0; y < a.height(); y++) {
            for (int x = 0; x < a.width(); x++) {
                if (Math.abs(a.sample(x, y, 0) - r) <= tol && Math.abs(a.sample(x, y, 1) - g) <= tol
                        && Math.abs(a.sample(x, y, 2) - b) <= tol) {
                    sx += x;
                    sy += y;
                    n++;
                }
            }
        }
        return n == 0 ? new double[] {Double.NaN, Double.NaN, 0} : new double[] {sx / n, sy / n, n};
    }

    /**
     * {standard deviation of the samples along one edge line, share of its pixels identical (all channels) to the
     * pixel {@code inset} lines inside}; edge 0 top row, 1 bottom row, 2 left column, 3 right column.
     */
    static double[] edgeStats(RgbImage a, int edge, int inset) {
        int len = edge < 2 ? a.width() : a.height();
        double sum = 0;
        double sq = 0;
        int equal = 0;
        for (int i = 0; i < len; i++) {
            boolean same = true;
            for (int c = 0; c < 3; c++) {
                int v = at(a, edge, i, 0, c);
                sum += v;
                sq += (double) v * v;
                same &= v == at(a, edge, i, inset, c);
            }
            if (same) equal++;
        }
        int n = len * 3;
        double mean = sum / n;
        return new double[] {Math.sqrt(Math.max(0, sq / n - mean * mean)), equal / (double) len};
    }

    private static int at(RgbImage a, int edge, int i, int inset, int c) {
        return switch (edge) {
            case 0 -> a.sample(i, inset, c);
            case 1 -> a.sample(i, a.height() - 1 - inset, c);
            case 2 -> a.sample(inset, i, c);
            default -> a.sample(a.width() - 1 - inset, i, c);
        };
    }
}
