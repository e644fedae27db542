package io.kinora.models.parallax.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;

/**
 * The TorchScript helper {@code warp.pt} (made by {@code scripts/make_warp.py}): one call renders one frame.
 * Thread-safe: TorchScript inference may run on several threads at once; each call brings its own arrays.
 */
final class WarpHelper implements AutoCloseable {

    static final String FILE = "warp.pt";

    // params layout, must match scripts/make_warp.py
    static final int CX = 0;
    static final int CY = 1;
    static final int INV_ZOOM = 2;
    static final int TX = 3;
    static final int TY = 4;
    static final int DOLLY = 5;
    static final int FOCAL = 6;
    static final int IMG_AFFINE = 7;   // scaleX, scaleY, offsetX, offsetY
    static final int DEPTH_AFFINE = 11; // scaleX, scaleY, offsetX, offsetY
    static final int OUT_W = 15;
    static final int OUT_H = 16;
    static final int SHIMMER_AMP = 17;
    static final int SHIMMER_PHASE = 18;
    static final int SHIMMER_FREQ = 19;
    static final int DRIFT_X = 20;
    static final int FLICKER_GAIN = 21;
    static final int PART_A1 = 22;
    static final int PART_A2 = 23;
    static final int PART_X1 = 24;
    static final int PART_Y1 = 25;
    static final int PART_X2 = 26;
    static final int PART_Y2 = 27;
    static final int PART_RGB = 28;
    static final int PART_N0 = 31;
    static final int LIGHT_X0 = 32;
    static final int LIGHT_Y0 = 33;
    static final int FG_AFFINE = 34;   // patch grid = pixel x * sx + ox, pixel y * sy + oy: sx, ox, sy, oy
    static final int FG_BOX = 38;      // output box the foreground patch can reach: x0, y0, x1, y1 (exclusive)
    static final int MODE = 42;        // 0: warp.pt returns the finished frame; 1: only the coarse grid (FrameSampler)
    static final int PARAMS = 43;

    private final Model model;
    private final Block block;
    private final String sha256;

    private WarpHelper(Model model, String sha256) {
        this.model = model;
        this.block = model.getBlock();
        this.sha256 = sha256;
    }

    /**
     * Loads {@code warp.pt} after checking its SHA-256 against the descriptor.
     *
     * @throws IOException when the file is missing, its hash does not match, or TorchScript rejects it
     */
    static WarpHelper load(Engine engine, ModelDescriptor descriptor, ClassLoader loader) throws IOException {
        String expected = descriptor.sha256().get(FILE);
        if (expected == null) throw new IOException(ModelDescriptor.RESOURCE + " lists no sha256 for " + FILE);
        byte[] bytes;
        try (InputStream in = loader.getResourceAsStream(ModelDescriptor.FOLDER + FILE)) {
            if (in == null) throw new IOException(ModelDescriptor.FOLDER + FILE + " is missing from the model bundle");
            bytes = in.readAllBytes();
        }
        String actual = sha256(bytes);
        if (!actual.equals(expected)) {
            throw new IOException("refusing to load " + FILE + ": its SHA-256 is " + actual + " but "
                    + ModelDescriptor.RESOURCE + " expects " + expected + " (the file was changed or damaged)");
        }
        Model model = engine.newModel(descriptor.id() + "-warp", Device.cpu());
        try {
            model.load(new ByteArrayInputStream(bytes));
        } catch (MalformedModelException | RuntimeException e) {
            model.close();
            throw new IOException("TorchScript could not load " + FILE + ": " + e.getMessage(), e);
        }
        return new WarpHelper(model, actual);
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    /**
     * Renders one frame: returns a (H, W, 3) uint8 array owned by {@code frameManager}; with {@code params[MODE]}
     * = 1 only the coarse sampling grid (1, h, w, 2) float32 in the picture's grid coordinates (see
     * {@link FrameSampler}).
     *
     * @param params {@link #PARAMS} floats, see the constants
     * @param image     (1, 3, Hi, Wi) float32, pixel value + 0.5; its light patch is rewritten in place (flicker)
     * @param maps      (1, 4, Hd, Wd) float32 nearness and the water, sky and light masks
     * @param base      (1, h, w, 2) float32 output-unit lattice
     * @param particles (3, N) float32 particle pixels (x, y, alpha), layer 1 first, or (3, 0) for none
     * @param light     (1, 4, hb, wb) float32 original pixels and mask of the light patch, or (1, 4, 0, 0)
     * @param fg        (1, 5, hf, wf) float32 foreground patch (premultiplied colour + 0.5 x alpha, alpha, light mask),
     *                  composited over {@code image} (then the background plate), or (1, 5, 0, 0) for a single layer
     */
    NDArray render(NDManager frameManager, float[] params, NDArray image, NDArray maps, NDArray base,
                   NDArray particles, NDArray light, NDArray fg) {
        // params first: DJL attaches the outputs to the manager of the first input, i.e. the per-frame manager
        NDArray p = frameManager.create(params);
        NDList out = block.forward(new ParameterStore(frameManager, false),
                new NDList(p, image, maps, base, particles, light, fg), false);
        return out.singletonOrThrow();
    }

    String sha256() { return sha256; }

    @Override
    public void close() {
        model.close();
    }
}
