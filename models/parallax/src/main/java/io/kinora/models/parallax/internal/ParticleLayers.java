package io.kinora.models.parallax.internal;

import java.util.SplittableRandom;

/**
 * Two screen-space particle layers (far and near) at the output size, drawn once per rendition from the seed and
 * shifted by whole pixels every frame inside the TorchScript call (wrapping around, so they never run out). The
 * near layer has bigger, faster, more opaque particles, which reads as depth. The layers are kept sparse: only
 * the pixels a particle covers (a few per cent of the frame), so blending costs little even at 1080p.
 */
final class ParticleLayers {

    /**
     * How one kind of particle looks and moves; sizes and speeds relative to the frame height, the count per frame
     * given per megapixel of a 1280x720 frame (so every resolution shows the same number of particles).
     */
    private record Look(double perMegapixel, double size, double length, double slant, double opacity,
                        double speedY, double speedX, double sway, int r, int g, int b) {
    }

    private static Look look(SceneMotion.Particles p) {
        return switch (p) {
            // rain: thin slanted streaks falling fast
            case RAIN -> new Look(260, 0.0011, 0.035, 0.12, 0.30, 1.25, 0, 0, 215, 220, 230);
            // snow: soft round flakes falling slowly and swaying
            case SNOW -> new Look(420, 0.0040, 0, 0, 0.85, 0.07, 0.01, 0.012, 255, 255, 255);
            // dust: tiny faint motes floating up and sideways in the light
            case DUST -> new Look(90, 0.0016, 0, 0, 0.45, -0.012, 0.018, 0.004, 255, 236, 205);
            // sparkle: small four-pointed glints that twinkle in place
            case SPARKLE -> new Look(28, 0.0030, 0, 0, 0.95, -0.004, 0, 0, 255, 250, 232);
            default -> throw new IllegalArgumentException("no particles");
        };
    }

    private final SceneMotion.Particles kind;
    private final Look look;
    private final int width;
    private final int height;
    private final float[] pixels;
    private final int count;
    private final int firstLayerCount;

    private ParticleLayers(SceneMotion.Particles kind, Look look, int width, int height, float[] alpha) {
        this.kind = kind;
        this.look = look;
        this.width = width;
        this.height = height;
        int plane = width * height;
        int n = 0;
        int n0 = 0;
        for (int i = 0; i < alpha.length; i++) {
            if (alpha[i] > 1e-3f) {
                n++;
                if (i < plane) n0++;
            }
        }
        float[] p = new float[3 * n];
        int k = 0;
        for (int i = 0; i < alpha.length; i++) {
            if (alpha[i] > 1e-3f) {
                int q = i % plane;
                p[k] = q % width;
                p[n + k] = q / width;
                p[2 * n + k] = alpha[i];
                k++;
            }
        }
        this.pixels = p;
        this.count = n;
        this.firstLayerCount = n0;
    }

    /** (3, N) rows: x, y (output pixels) and alpha in (0, 1] of every covered pixel; the far layer's first. */
    float[] pixels() { return pixels; }

    /** N, the number of covered pixels of both layers. */
    int count() { return count; }

    /** How many of them belong to the far layer. */
    int firstLayerCount() { return firstLayerCount; }

    /** Fraction of the frame's pixels covered by the layers. */
    double coverage() { return count / (2.0 * width * height); }

    int width() { return width; }

    int height() { return height; }

    static ParticleLayers draw(SceneMotion.Particles kind, int width, int height, long seed) {
        Look look = look(kind);
        SplittableRandom rnd = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + kind.ordinal());
        float[] a = new float[2 * width * height];
        // the same particles at every resolution: counts refer to a 1280x720 frame of the same area ratio
        double megapixels = 1280 * 720 / 1e6;
        for (int layer = 0; layer < 2; layer++) {
            double scale = layer == 0 ? 0.65 : 1.0;
            int count = (int) Math.round(look.perMegapixel() * megapixels * (layer == 0 ? 1.4 : 0.8));
            count = Math.max(count, 3);
            int plane = layer * width * height;
            for (int i = 0; i < count; i++) {
                double x = rnd.nextDouble() * width;
                double y = rnd.nextDouble() * height;
                double radius = Math.max(0.6, look.size() * height * scale * (0.7 + 0.6 * rnd.nextDouble()));
                double opacity = look.opacity() * (layer == 0 ? 0.7 : 1.0) * (0.6 + 0.4 * rnd.nextDouble());
                if (look.length() > 0) {
                    streak(a, plane, width, height, x, y, radius, look.length() * height * scale, look.slant(), opacity);
                } else if (kind == SceneMotion.Particles.SPARKLE) {
                    glint(a, plane, width, height, x, y, radius, opacity);
                } else {
                    dot(a, plane, width, height, x, y, radius, opacity);
                }
            }
        }
        return new ParticleLayers(kind, look, width, height, a);
    }

    /** Sets the layers' shift and opacity for time {@code t} (seconds); {@code ramp} fades them in. */
    void apply(SceneMotion.Plan plan, double t, double ramp, float[] params) {
        double s = plan.strength();
        double op = Math.min(1, s) * ramp;
        double a1 = op;
        double a2 = op;
        if (kind == SceneMotion.Particles.SPARKLE) {
            double[] p = plan.sparklePhases();
            a1 = op * (0.5 + 0.5 * Math.sin(2 * Math.PI * 0.9 * t + p[0]));
            a2 = op * (0.5 + 0.5 * Math.sin(2 * Math.PI * 0.65 * t + p[1]));
        }
        params[WarpHelper.PART_A1] = (float) a1;
        params[WarpHelper.PART_A2] = (float) a2;
        for (int layer = 0; layer < 2; layer++) {
            double speed = layer == 0 ? 0.6 : 1.0;
            double dy = look.speedY() * height * speed * t;
            double dx = look.speedX() * height * speed * t + look.slant() * dy
                    + look.sway() * height * Math.sin(2 * Math.PI * 0.23 * t + layer * 1.7);
            params[layer == 0 ? WarpHelper.PART_X1 : WarpHelper.PART_X2] = (float) Math.floorMod(Math.round(dx), width);
            params[layer == 0 ? WarpHelper.PART_Y1 : WarpHelper.PART_Y2] = (float) Math.floorMod(Math.round(dy), height);
        }
        params[WarpHelper.PART_RGB] = look.r() + 0.5f;
        params[WarpHelper.PART_RGB + 1] = look.g() + 0.5f;
        params[WarpHelper.PART_RGB + 2] = look.b() + 0.5f;
    }

    private static void put(float[] a, int plane, int w, int h, int x, int y, double v) {
        int xx = Math.floorMod(x, w);
        int yy = Math.floorMod(y, h);
        int i = plane + yy * w + xx;
        if (v > a[i]) a[i] = (float) Math.min(1, v);
    }

    /** A soft disk (wraps around the edges, like the layer). */
    private static void dot(float[] a, int plane, int w, int h, double cx, double cy, double r, double opacity) {
        int reach = (int) Math.ceil(r + 1.5);
        for (int y = (int) cy - reach; y <= (int) cy + reach; y++) {
            for (int x = (int) cx - reach; x <= (int) cx + reach; x++) {
                double d = Math.hypot(x + 0.5 - cx, y + 0.5 - cy);
                double v = Math.max(0, Math.min(1, r + 0.75 - d)) * (1 - 0.35 * Math.min(1, d / Math.max(r, 1e-3)));
                if (v > 0) put(a, plane, w, h, x, y, v * opacity);
            }
        }
    }

    /** A thin antialiased streak from (cx, cy) downwards, slanted by {@code slant} (dx per dy), fading at its top. */
    private static void streak(float[] a, int plane, int w, int h, double cx, double cy, double r, double length,
                               double slant, double opacity) {
        int n = (int) Math.ceil(length);
        for (int k = 0; k <= n; k++) {
            double f = k / (double) Math.max(1, n);
            double x = cx + slant * k;
            double y = cy + k;
            double v = opacity * (0.35 + 0.65 * f);
            int x0 = (int) Math.floor(x - r);
            int x1 = (int) Math.floor(x + r);
            for (int xi = x0; xi <= x1 + 1; xi++) {
                double cover = Math.max(0, Math.min(1, r + 0.5 - Math.abs(xi + 0.5 - x)));
                if (cover > 0) put(a, plane, w, h, xi, (int) Math.floor(y), v * cover);
            }
        }
    }

    /** A small four-pointed star: a bright core and thin rays. */
    private static void glint(float[] a, int plane, int w, int h, double cx, double cy, double r, double opacity) {
        dot(a, plane, w, h, cx, cy, r * 0.6, opacity);
        int ray = (int) Math.ceil(r * 3);
        for (int k = -ray; k <= ray; k++) {
            double v = opacity * Math.max(0, 1 - Math.abs(k) / (double) (ray + 1));
            put(a, plane, w, h, (int) Math.floor(cx) + k, (int) Math.floor(cy), v);
            put(a, plane, w, h, (int) Math.floor(cx), (int) Math.floor(cy) + k, v);
        }
    }
}
