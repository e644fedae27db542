package io.kinora.models.parallax.internal;

import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.stream.IntStream;

import ai.djl.ndarray.NDArray;

/**
 * The full-resolution half of a frame, in Java: from the coarse sampling grid that {@code warp.pt} computes (mode 1:
 * camera, depth-driven parallax, ripples and drift on the 8-pixel lattice), writes the finished RGB frame straight
 * into its {@code byte[]} in one pass per output row: the grid upsampled bilinearly (the 8 weights of a lattice cell,
 * as warp.pt's broadcast lerp), the picture sampled bilinearly with border padding ({@code grid_sample} with
 * {@code align_corners=True}), the foreground patch sampled with zero padding on its affine grid and composited over
 * the plate ({@code out = F + (1 - alpha) out}), truncated to bytes (the picture carries +0.5, so that rounds), then
 * the particle layers blended over the finished bytes. The same arithmetic as warp.pt's mode 0, without the
 * full-resolution grid, the float frame and the interleaving copy in between; rows are split over the common
 * fork-join pool and the calling thread (each pixel depends only on the inputs, so the split changes no byte).
 * Flicker rewrites this sampler's own copy of the light region, so a sampler belongs to one render.
 */
final class FrameSampler {

    /** Output rows per task: small enough to share two cores evenly, large enough to keep task overhead negligible. */
    private static final int BAND = 24;
    private static final int STEP = ParallaxRenderer.LATTICE_STEP;

    private final int outW;
    private final int outH;
    private final int picW;
    private final int picH;
    /** The working picture (or plate), interleaved RGB, value + 0.5; the light region is rewritten every frame. */
    private final float[] pic;
    /** The light region's original pixels and mask, planar (4, lh, lw), placed at (lx, ly); lw = 0: none. */
    private final float[] light;
    private final int lw;
    private final int lh;
    private final int lx;
    private final int ly;
    /** The foreground patch, interleaved (premultiplied RGB + 0.5 alpha, alpha, light mask); fw = 0: none. */
    private final float[] fg;
    private final int fw;
    private final int fh;
    private final float[] particles;
    private final int count;
    private final int n0;

    /**
     * @param picture   (1, 3, H, W) float32 working picture or plate, value + 0.5
     * @param lightPatch (1, 4, hb, wb) float32 light region (original pixels, mask) or (1, 4, 0, 0)
     * @param fgPatch   (1, 5, hf, wf) float32 foreground patch or (1, 5, 0, 0)
     * @param dots      particle layers or {@code null}
     * @param lightX    the light region's position in the picture (pixels)
     */
    FrameSampler(NDArray picture, NDArray lightPatch, NDArray fgPatch, ParticleLayers dots, int lightX, int lightY,
                 int outW, int outH) {
        this.outW = outW;
        this.outH = outH;
        long[] ps = picture.getShape().getShape();
        this.picH = (int) ps[2];
        this.picW = (int) ps[3];
        this.pic = interleave(picture, 3, picH * picW, picW);
        long[] ls = lightPatch.getShape().getShape();
        this.lh = (int) ls[2];
        this.lw = (int) ls[3];
        this.light = lw > 0 && lh > 0 ? lightPatch.toFloatArray() : new float[0];
        this.lx = lightX;
        this.ly = lightY;
        long[] fs = fgPatch.getShape().getShape();
        this.fh = (int) fs[2];
        this.fw = fh > 0 ? (int) fs[3] : 0;
        this.fg = fw > 0 ? interleave(fgPatch, 5, fh * fw, fw) : new float[0];
        this.particles = dots == null ? new float[0] : dots.pixels();
        this.count = dots == null ? 0 : dots.count();
        this.n0 = dots == null ? 0 : dots.firstLayerCount();
    }

    /** (1, C, H, W) planes to one interleaved array, read a row at a time (no second full-size copy). */
    private static float[] interleave(NDArray planar, int channels, int plane, int width) {
        FloatBuffer in = planar.toByteBuffer(true).order(ByteOrder.nativeOrder()).asFloatBuffer();
        if (in.remaining() != channels * plane) {
            throw new IllegalStateException("expected " + channels * plane + " floats, got " + in.remaining());
        }
        float[] out = new float[channels * plane];
        float[] row = new float[width];
        for (int c = 0; c < channels; c++) {
            for (int p0 = 0; p0 < plane; p0 += width) {
                in.get(c * plane + p0, row);
                for (int x = 0, q = p0 * channels + c; x < width; x++, q += channels) out[q] = row[x];
            }
        }
        return out;
    }

    /**
     * Renders one frame into {@code rgb} (outH x outW x 3).
     *
     * @param params the frame's parameters (flicker gain, particle shifts and colour, foreground grid and box)
     * @param coarse (gh, gw, 2) the coarse grid in grid_sample's normalised picture coordinates (x, y)
     */
    void render(float[] params, float[] coarse, int gw, int gh, byte[] rgb) {
        if ((gw - 1) * STEP < outW || (gh - 1) * STEP < outH || coarse.length != gw * gh * 2) {
            throw new IllegalStateException("coarse grid " + gw + "x" + gh + " does not cover a " + outW + "x" + outH
                    + " frame");
        }
        boolean flicker = lw > 0 && lh > 0;
        float gain = params[WarpHelper.FLICKER_GAIN];
        if (flicker) flicker(gain);
        // to picture pixels (align_corners=True): linear, so it commutes with the bilinear upsampling
        float[] px = new float[coarse.length];
        float hx = 0.5f * (picW - 1);
        float hy = 0.5f * (picH - 1);
        for (int i = 0; i < coarse.length; i += 2) {
            px[i] = (coarse[i] + 1) * hx;
            px[i + 1] = (coarse[i + 1] + 1) * hy;
        }
        Fg layer = fw > 0 ? new Fg(params) : null;
        int bands = (outH + BAND - 1) / BAND;
        IntStream.range(0, bands).parallel().forEach(b -> rows(b * BAND, Math.min(outH, (b + 1) * BAND), px, gw,
                layer, flicker, gain, rgb));
        if (count > 0) particles(params, rgb);
    }

    /** The foreground's grid and box this frame (see warp.pt: patch grid = pixel x scale + offset, per axis). */
    private final class Fg {
        final float sx;
        final float ox;
        final float sy;
        final float oy;
        final int x0;
        final int y0;
        final int x1;
        final int y1;

        Fg(float[] p) {
            sx = p[WarpHelper.FG_AFFINE];
            ox = p[WarpHelper.FG_AFFINE + 1];
            sy = p[WarpHelper.FG_AFFINE + 2];
            oy = p[WarpHelper.FG_AFFINE + 3];
            x0 = (int) p[WarpHelper.FG_BOX];
            y0 = (int) p[WarpHelper.FG_BOX + 1];
            x1 = (int) p[WarpHelper.FG_BOX + 2];
            y1 = (int) p[WarpHelper.FG_BOX + 3];
        }

        /** Patch pixel x of output pixel x (align_corners=True unnormalisation of the patch grid). */
        float px(int x) { return (x * sx + ox + 1) * 0.5f * (fw - 1); }

        float py(int y) { return (y * sy + oy + 1) * 0.5f * (fh - 1); }
    }

    private void flicker(float gain) {
        int plane = lw * lh;
        for (int y = 0; y < lh; y++) {
            for (int x = 0; x < lw; x++) {
                int q = y * lw + x;
                float m = light[3 * plane + q] * gain + 1.0f;
                int o = ((ly + y) * picW + lx + x) * 3;
                for (int c = 0; c < 3; c++) {
                    pic[o + c] = Math.max(0.5f, Math.min(255.5f, light[c * plane + q] * m));
                }
            }
        }
    }

    private void rows(int from, int to, float[] px, int gw, Fg layer, boolean flicker, float gain, byte[] rgb) {
        float[] rx = new float[gw];
        float[] ry = new float[gw];
        float maxX = picW - 1;
        float maxY = picH - 1;
        int stride = picW * 3;
        float[] pic = this.pic;
        for (int y = from; y < to; y++) {
            // the two coarse rows around y, blended with y's weight within its cell
            int j = y / STEP;
            float a = (y - j * STEP) * (1.0f / STEP);
            int r0 = j * gw * 2;
            int r1 = r0 + gw * 2;
            for (int i = 0; i < gw; i++) {
                float x0 = px[r0 + 2 * i];
                float y0 = px[r0 + 2 * i + 1];
                rx[i] = x0 + a * (px[r1 + 2 * i] - x0);
                ry[i] = y0 + a * (px[r1 + 2 * i + 1] - y0);
            }
            boolean fgRow = layer != null && y >= layer.y0 && y < layer.y1;
            int bx0 = fgRow ? layer.x0 : outW;
            int bx1 = fgRow ? layer.x1 : outW;
            int o = y * outW * 3;
            for (int i = 0, x0 = 0; x0 < outW; i++, x0 += STEP) {
                int x1 = Math.min(outW, x0 + STEP);
                float ax = rx[i];
                float ay = ry[i];
                float ex = rx[i + 1] - ax;
                float ey = ry[i + 1] - ay;
                // the cell's pixels lie between its two ends (a convex blend): when both are strictly inside the
                // picture, no pixel needs the border clamp or the edge test
                boolean inside = Math.min(ax, ax + ex) >= 0 && Math.max(ax, ax + ex) < maxX
                        && Math.min(ay, ay + ey) >= 0 && Math.max(ay, ay + ey) < maxY;
                boolean fgCell = x1 > bx0 && x0 < bx1;
                for (int x = x0; x < x1; x++, o += 3) {
                    float b = (x - x0) * (1.0f / STEP);
                    float sx = ax + b * ex;
                    float sy = ay + b * ey;
                    int dx = 3;
                    int dy = stride;
                    if (!inside) {
                        // border padding: the coordinate is clamped to the outermost pixel centres
                        sx = Math.max(0f, Math.min(maxX, sx));
                        sy = Math.max(0f, Math.min(maxY, sy));
                        if ((int) sx + 1 >= picW) dx = 0;
                        if ((int) sy + 1 >= picH) dy = 0;
                    }
                    int ix = (int) sx;
                    int iy = (int) sy;
                    float fx = sx - ix;
                    float fy = sy - iy;
                    int p = iy * stride + ix * 3;
                    int q = p + dy;
                    float gx = 1 - fx;
                    float gy = 1 - fy;
                    float cr = (pic[p] * gx + pic[p + dx] * fx) * gy + (pic[q] * gx + pic[q + dx] * fx) * fy;
                    float cg = (pic[p + 1] * gx + pic[p + dx + 1] * fx) * gy + (pic[q + 1] * gx + pic[q + dx + 1] * fx) * fy;
                    float cb = (pic[p + 2] * gx + pic[p + dx + 2] * fx) * gy + (pic[q + 2] * gx + pic[q + dx + 2] * fx) * fy;
                    if (fgCell && x >= bx0 && x < bx1) {
                        composite(layer, x, y, cr, cg, cb, flicker, gain, rgb, o);
                    } else {
                        rgb[o] = (byte) (int) cr;
                        rgb[o + 1] = (byte) (int) cg;
                        rgb[o + 2] = (byte) (int) cb;
                    }
                }
            }
        }
    }

    /**
     * The foreground patch at output pixel (x, y) (bilinear, zero padding: a corner outside the patch adds nothing)
     * over the plate's colour, into rgb[o..].
     */
    private void composite(Fg layer, int x, int y, float r, float g, float b, boolean flicker, float gain, byte[] rgb,
                           int o) {
        float gx = layer.px(x);
        float gy = layer.py(y);
        int ix = (int) gx;
        if (gx < ix) ix--;
        int iy = (int) gy;
        if (gy < iy) iy--;
        float fx = gx - ix;
        float fy = gy - iy;
        float f0;
        float f1;
        float f2;
        float fa;
        float fl = 0;
        float[] fg = this.fg;
        if (ix >= 0 && iy >= 0 && ix + 1 < fw && iy + 1 < fh) {
            // all four corners inside: the common case
            int q = (iy * fw + ix) * 5;
            int q2 = q + fw * 5;
            float w00 = (1 - fx) * (1 - fy);
            float w01 = fx * (1 - fy);
            float w10 = (1 - fx) * fy;
            float w11 = fx * fy;
            f0 = fg[q] * w00 + fg[q + 5] * w01 + fg[q2] * w10 + fg[q2 + 5] * w11;
            f1 = fg[q + 1] * w00 + fg[q + 6] * w01 + fg[q2 + 1] * w10 + fg[q2 + 6] * w11;
            f2 = fg[q + 2] * w00 + fg[q + 7] * w01 + fg[q2 + 2] * w10 + fg[q2 + 7] * w11;
            fa = fg[q + 3] * w00 + fg[q + 8] * w01 + fg[q2 + 3] * w10 + fg[q2 + 8] * w11;
            if (flicker) fl = fg[q + 4] * w00 + fg[q + 9] * w01 + fg[q2 + 4] * w10 + fg[q2 + 9] * w11;
        } else {
            f0 = 0;
            f1 = 0;
            f2 = 0;
            fa = 0;
            for (int k = 0; k < 4; k++) {
                int cx = ix + (k & 1);
                int cy = iy + (k >> 1);
                if (cx < 0 || cy < 0 || cx >= fw || cy >= fh) continue;
                float w = ((k & 1) == 0 ? 1 - fx : fx) * ((k >> 1) == 0 ? 1 - fy : fy);
                int q = (cy * fw + cx) * 5;
                f0 += fg[q] * w;
                f1 += fg[q + 1] * w;
                f2 += fg[q + 2] * w;
                fa += fg[q + 3] * w;
                fl += fg[q + 4] * w;
            }
        }
        float keep = 1.0f - fa;
        if (flicker) {
            float m = fl * gain + 1.0f;
            r = Math.max(0f, Math.min(255.5f, r * keep + f0 * m));
            g = Math.max(0f, Math.min(255.5f, g * keep + f1 * m));
            b = Math.max(0f, Math.min(255.5f, b * keep + f2 * m));
        } else {
            r = r * keep + f0;
            g = g * keep + f1;
            b = b * keep + f2;
        }
        rgb[o] = (byte) Math.min(255, (int) r);
        rgb[o + 1] = (byte) Math.min(255, (int) g);
        rgb[o + 2] = (byte) Math.min(255, (int) b);
    }

    /** The two particle layers over the finished bytes, one after the other (as warp.pt's mode 0). */
    private void particles(float[] params, byte[] rgb) {
        float[] colour = {params[WarpHelper.PART_RGB], params[WarpHelper.PART_RGB + 1], params[WarpHelper.PART_RGB + 2]};
        for (int layer = 0; layer < 2; layer++) {
            int start = layer == 0 ? 0 : n0;
            int end = layer == 0 ? n0 : count;
            int shiftX = (int) params[WarpHelper.PART_X1 + 2 * layer];
            int shiftY = (int) params[WarpHelper.PART_Y1 + 2 * layer];
            float opacity = params[WarpHelper.PART_A1 + layer];
            for (int k = start; k < end; k++) {
                int x = Math.floorMod((long) particles[k] + shiftX, outW);
                int y = Math.floorMod((long) particles[count + k] + shiftY, outH);
                float alpha = particles[2 * count + k] * opacity;
                int o = (y * outW + x) * 3;
                for (int c = 0; c < 3; c++) {
                    float v = (rgb[o + c] & 0xff) + 0.5f;
                    rgb[o + c] = (byte) Math.min(255, (int) (v + (colour[c] - v) * alpha));
                }
            }
        }
    }
}
