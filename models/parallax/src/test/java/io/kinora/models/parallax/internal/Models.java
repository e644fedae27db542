package io.kinora.models.parallax.internal;

import java.io.IOException;
import java.io.UncheckedIOException;

import ai.djl.engine.Engine;

/** One model instance per test JVM, as DS would create it (minus OSGi): DJL runs directly. */
final class Models {

    private static ParallaxVideoModel shared;

    private Models() {
    }

    static synchronized ParallaxVideoModel shared() {
        if (shared == null) shared = create(ParallaxRenderer.Settings.DEFAULT);
        return shared;
    }

    static ParallaxVideoModel create(ParallaxRenderer.Settings settings) {
        try {
            return new ParallaxVideoModel(Engine.getEngine("PyTorch"), settings, null, Models.class.getClassLoader());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
