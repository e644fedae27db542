package io.kinora.voice.internal.marytts;

import marytts.config.MaryConfig;
import marytts.exceptions.MaryConfigurationException;
import marytts.server.Mary;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;

/**
 * Starts and stops the embedded MaryTTS (a JVM-wide singleton: {@code marytts.server.Mary} holds static state).
 *
 * <ul>
 * <li>MaryTTS finds its configs with {@link java.util.ServiceLoader} through the thread context class loader, so
 * every call into MaryTTS runs with this bundle's class loader as context loader ({@link #call}).</li>
 * <li>Before MaryTTS starts, its {@code modules.classes.list} (read from every {@link MaryConfig}) is edited: the
 * JTokeniser modules (they need jtok-core 1.9.3, which is not on Maven Central) are replaced by
 * {@link KinoraTokeniser}, and its HMM synthesis module {@code marytts.modules.HTSEngine} by {@link KinoraHtsEngine}
 * (Kinora's vocoder). MaryConfig keeps its Properties object and MaryTTS reads the list from it at startup.</li>
 * </ul>
 */
final class MaryRuntime {
    static final String MODULES_KEY = "modules.classes.list";
    static final List<String> REPLACED = List.of("marytts.modules.JTokeniser", "marytts.language.en.JTokeniser");
    /** MaryTTS's HMM synthesis module, replaced by {@link KinoraHtsEngine} (Kinora's vocoder). */
    static final String HTS_ENGINE = "marytts.modules.HTSEngine";
    private static final Logger LOG = LoggerFactory.getLogger(MaryRuntime.class);

    private MaryRuntime() {
    }

    /** Starts MaryTTS if it is off; returns the seconds it took (0 when it was running). */
    static synchronized double start() throws Exception {
        return call(() -> {
            if (Mary.currentState() == Mary.STATE_RUNNING) {
                return 0.0;
            }
            long t0 = System.nanoTime();
            boolean installed = false;
            for (MaryConfig config : MaryConfig.getConfigs()) {
                replaceTokeniser(config.getProperties());
                // (a restart in the same class loader finds the configs already edited)
                String list = config.getProperties().getProperty(MODULES_KEY, "");
                installed |= Arrays.asList(list.trim().split("\\s+")).contains(KinoraTokeniser.class.getName());
            }
            if (!installed) {
                throw new MaryConfigurationException("no MaryTTS config lists the JTokeniser module; cannot install "
                        + "Kinora's tokenizer in its place", null);
            }
            Mary.startup(false); // false: do not add jars from MARY_BASE to the class path
            double took = (System.nanoTime() - t0) / 1e9;
            LOG.info("MaryTTS 5.2.1 started in {} s with {} in place of JTokeniser", String.format("%.2f", took),
                    KinoraTokeniser.class.getSimpleName());
            return took;
        });
    }

    static synchronized void stop() {
        try {
            call(() -> {
                if (Mary.currentState() == Mary.STATE_RUNNING) {
                    Mary.shutdown();
                }
                return null;
            });
        } catch (Exception e) {
            LOG.warn("MaryTTS shutdown failed", e);
        }
    }

    /** Replaces JTokeniser entries (and MaryTTS's HTSEngine) in one config's module list; returns how many JTokenisers it replaced. */
    static int replaceTokeniser(Properties props) {
        String list = props.getProperty(MODULES_KEY);
        if (list == null) {
            return 0;
        }
        List<String> names = new ArrayList<>(Arrays.asList(list.trim().split("\\s+")));
        int before = names.size();
        names.removeIf(n -> REPLACED.stream().anyMatch(r -> n.equals(r) || n.startsWith(r + "(")));
        int replaced = before - names.size();
        if (replaced > 0 && !names.contains(KinoraTokeniser.class.getName())) {
            names.add(KinoraTokeniser.class.getName());
        }
        names.replaceAll(n -> n.equals(HTS_ENGINE) ? KinoraHtsEngine.class.getName() : n);
        props.setProperty(MODULES_KEY, String.join(" ", names));
        return replaced;
    }

    /** Runs a MaryTTS call with this bundle's class loader as the thread's context class loader. */
    static <T> T call(Callable<T> body) throws Exception {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(MaryRuntime.class.getClassLoader());
        try {
            return body.call();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
