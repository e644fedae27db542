package io.kinora.engine.internal;

import java.nio.file.Path;
import java.util.Hashtable;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;

/**
 * Starts DJL + PyTorch once and publishes the {@code ai.djl.engine.Engine} as an OSGi service.
 *
 * <p>Plain activator, no Declarative Services: this bundle must import nothing but JRE packages and
 * {@code org.osgi.framework} (any other import would drag it into a refresh, and a second class loader cannot load
 * libtorch again). Logging goes to {@code java.util.logging} for the same reason.
 *
 * <p>{@link #start} only applies the JVM-wide DJL settings (before any DJL class loads) and returns; the engine
 * loads on a background thread (seconds on first start: the natives are extracted to the cache) and the service
 * appears when it is ready. This class must not reference DJL types: it is loaded before the settings exist.
 */
public final class EngineActivator implements BundleActivator {

    static final String SERVICE_CLASS = "ai.djl.engine.Engine";
    static final String PROP_NAME = "engine.name";
    static final String PROP_VERSION = "engine.version";
    static final String PROP_DEVICE = "engine.device";
    static final String PROP_DJL_VERSION = "engine.djl.version";

    private static final Logger LOG = Logger.getLogger("io.kinora.engine");

    private final Object lock = new Object();
    private BundleContext context;
    private ServiceRegistration<?> registration;
    private boolean stopped;
    private Thread init;

    @Override
    public void start(BundleContext ctx) {
        synchronized (lock) {
            context = ctx;
            stopped = false;
        }
        EngineSettings.Decision decision = EngineSettings.decide(ctx::getProperty, System::getProperty, System::getenv,
                () -> dataArea(ctx), Runtime.getRuntime().availableProcessors());
        decision.warnings().forEach(w -> LOG.warning("Kinora engine: " + w));
        if (decision.refused()) {
            LOG.severe("Kinora engine NOT started: " + decision.refusal());
            return;
        }
        for (Map.Entry<String, String> e : decision.systemProperties().entrySet()) {
            System.setProperty(e.getKey(), e.getValue());
        }
        LOG.info("Kinora engine: loading DJL PyTorch in the background: " + String.join("; ", decision.info()));
        Thread t = new Thread(() -> initialise(ctx), "kinora-engine-init");
        t.setDaemon(true);
        synchronized (lock) {
            init = t;
        }
        t.start();
    }

    private void initialise(BundleContext ctx) {
        EngineBootstrap.Ready ready;
        try {
            ready = EngineBootstrap.start(EngineActivator.class.getClassLoader());
        } catch (Throwable t) {
            LOG.severe("Kinora engine NOT available: " + explain(t));
            LOG.log(Level.FINE, "Kinora engine start failure", t);
            if (t instanceof VirtualMachineError) throw (VirtualMachineError) t;
            return;
        }
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(PROP_NAME, ready.name());
        props.put(PROP_VERSION, ready.version());
        props.put(PROP_DEVICE, ready.device());
        props.put(PROP_DJL_VERSION, ready.djlVersion());
        props.put(Constants.SERVICE_DESCRIPTION, "DJL " + ready.djlVersion() + " " + ready.name() + " " + ready.version()
                + " on " + ready.device());
        synchronized (lock) {
            if (stopped || context != ctx) {
                LOG.info("Kinora engine: bundle stopped while the engine loaded; service not registered");
                return;
            }
            registration = ctx.registerService(SERVICE_CLASS, ready.engine(), props);
        }
        LOG.info("Kinora engine ready: DJL " + ready.djlVersion() + ", " + ready.name() + " " + ready.version() + " on "
                + ready.device() + ", " + System.getProperty(EngineSettings.NUM_THREADS) + " thread(s), loaded in "
                + ready.millis() + " ms");
    }

    @Override
    public void stop(BundleContext ctx) {
        ServiceRegistration<?> reg;
        Thread loading;
        synchronized (lock) {
            stopped = true;
            context = null;
            reg = registration;
            registration = null;
            loading = init;
            init = null;
        }
        // libtorch must not be half-loaded when the JVM exits (a short command can stop the framework while the
        // natives load; the JVM then crashed in the loader thread): wait for the load to finish, bounded
        if (loading != null && loading != Thread.currentThread()) {
            try {
                loading.join(120_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (reg != null) {
            try {
                reg.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the framework unregisters services of a stopping bundle itself
            }
        }
        LOG.info("Kinora engine stopped. libtorch stays loaded in this JVM: starting this bundle again works,"
                + " but updating, reinstalling or refreshing it needs a JVM restart");
    }

    private static Path dataArea(BundleContext ctx) {
        java.io.File f = ctx.getDataFile("");
        return f == null ? null : f.toPath();
    }

    /** One line naming the root cause, with a hint for the failures we know. */
    static String explain(Throwable t) {
        StringBuilder chain = new StringBuilder();
        Throwable root = t;
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (chain.length() > 0) chain.append(" <- ");
            chain.append(c.getClass().getSimpleName());
            if (c.getMessage() != null) chain.append(": ").append(c.getMessage().lines().findFirst().orElse(""));
            root = c;
            if (c.getCause() == c) break;
        }
        String msg = String.valueOf(root.getMessage());
        String hint = "";
        if (root instanceof UnsatisfiedLinkError && msg.contains("already loaded in another classloader")) {
            hint = " (libtorch was loaded by an earlier revision of this bundle in this JVM: the engine bundle was"
                    + " updated, reinstalled or refreshed; restart the JVM)";
        } else if (msg.contains("Offline mode is enabled")) {
            hint = " (the bundled natives for this platform were not found and downloads are off; this bundle carries"
                    + " linux-x86_64 CPU natives only)";
        } else if (msg.contains("No deep learning engine found")) {
            hint = " (engine discovery did not see the PyTorch provider)";
        }
        return chain + hint;
    }
}
