package io.kinora.models.i2v.internal;

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
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;

/** One TorchScript file of the bundle, loaded after its SHA-256 was checked against the descriptor. Thread-safe. */
final class TorchScriptModule implements AutoCloseable {

    private final Model model;
    private final Block block;
    final String file;

    private TorchScriptModule(Model model, String file) {
        this.model = model;
        this.block = model.getBlock();
        this.file = file;
    }

    static TorchScriptModule load(Engine engine, I2vDescriptor d, String file, ClassLoader loader) throws IOException {
        String expected = d.sha256().get(file);
        if (expected == null) throw new IOException(I2vDescriptor.RESOURCE + " lists no sha256 for " + file);
        byte[] bytes;
        try (InputStream in = loader.getResourceAsStream(I2vDescriptor.FOLDER + file)) {
            if (in == null) throw new IOException(I2vDescriptor.FOLDER + file + " is missing from the model bundle");
            bytes = in.readAllBytes();
        }
        String actual;
        try {
            actual = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        if (!actual.equals(expected)) {
            throw new IOException("refusing to load " + file + ": its SHA-256 is " + actual + " but "
                    + I2vDescriptor.RESOURCE + " expects " + expected);
        }
        Model model = engine.newModel(d.id() + "-" + file, Device.cpu());
        try {
            model.load(new ByteArrayInputStream(bytes));
        } catch (MalformedModelException | RuntimeException e) {
            model.close();
            throw new IOException("TorchScript could not load " + file + ": " + e.getMessage(), e);
        }
        return new TorchScriptModule(model, file);
    }

    NDList forward(NDManager manager, NDList inputs) {
        return block.forward(new ParameterStore(manager, false), inputs, false);
    }

    @Override
    public void close() {
        model.close();
    }
}
