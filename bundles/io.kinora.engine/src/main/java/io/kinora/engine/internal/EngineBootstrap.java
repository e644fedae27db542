package io.kinora.engine.internal;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * The only class of this bundle that touches DJL. It is loaded by the init thread after {@link EngineSettings}
 * have been applied, so DJL's static initialisers (engine discovery, telemetry check) see the final settings.
 */
final class EngineBootstrap {

    static final String ENGINE_NAME = "PyTorch";

    /** The initialised engine and what to publish about it. */
    record Ready(Object engine, String name, String version, String djlVersion, String device, long millis) {
    }

    private EngineBootstrap() {
    }

    /**
     * Loads the PyTorch engine with {@code loader} as the thread context class loader (DJL's ServiceLoader, resource
     * lookup and platform detection use it) and runs one tiny computation to prove the natives work.
     */
    static Ready start(ClassLoader loader) {
        long t0 = System.nanoTime();
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            Engine engine = Engine.getEngine(ENGINE_NAME);
            try (NDManager manager = engine.newBaseManager()) {
                NDArray sum = manager.arange(4f).sum();
                float s = sum.getFloat();
                if (s != 6f) {
                    throw new IllegalStateException("self-test computed 0+1+2+3 = " + s);
                }
            }
            long ms = (System.nanoTime() - t0) / 1_000_000;
            Device device = engine.defaultDevice();
            return new Ready(engine, engine.getEngineName(), engine.getVersion(), Engine.getDjlVersion(),
                    device.isGpu() ? device.toString() : device.getDeviceType(), ms);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
