package io.kinora.engine.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Decides the JVM-wide settings that DJL reads once, when its classes initialise: offline mode, telemetry opt-out,
 * cache folder and intra-op thread count. Pure: the inputs (framework properties, system properties, environment)
 * come in as functions and the result lists the system properties to set, the warnings to log and, when the
 * engine must not start, the reason. Nothing here touches a DJL class.
 */
final class EngineSettings {

    /** Framework property: {@code true} lets DJL use the network (model downloads, telemetry). Default false. */
    static final String ALLOW_NETWORK = "kinora.engine.allowNetwork";
    /** Framework property: intra-op threads for PyTorch. Default: available processors. */
    static final String THREADS = "kinora.engine.threads";
    /** Framework property: Kinora's work folder; the DJL cache goes to {@code <kinora.work>/djl}. */
    static final String WORK = "kinora.work";

    static final String DJL_OFFLINE_PROPERTY = "ai.djl.offline";
    static final String DJL_OFFLINE_ENV = "DJL_OFFLINE";
    static final String OPT_OUT_TRACKING = "OPT_OUT_TRACKING";
    static final String DJL_CACHE_DIR = "DJL_CACHE_DIR";
    static final String NUM_THREADS = "ai.djl.pytorch.num_threads";

    private static final int MAX_THREADS = 1024;

    /**
     * @param systemProperties system properties to set, in order (name to value)
     * @param info             what was decided, one line each, for the log
     * @param warnings         operator settings that were overridden or ignored
     * @param refusal          why the engine must not start, or {@code null}
     */
    record Decision(Map<String, String> systemProperties, List<String> info, List<String> warnings, String refusal) {
        boolean refused() { return refusal != null; }
    }

    private EngineSettings() {
    }

    /**
     * @param framework  framework property lookup ({@code BundleContext::getProperty})
     * @param system     system property lookup
     * @param env        environment variable lookup
     * @param dataArea   the bundle's persistent data area, or {@code null} when the framework has no file system
     * @param processors available processors
     */
    static Decision decide(Function<String, String> framework, Function<String, String> system,
                           Function<String, String> env, Supplier<Path> dataArea, int processors) {
        Map<String, String> set = new LinkedHashMap<>();
        List<String> info = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        String refusal = null;

        boolean allowNetwork = "true".equalsIgnoreCase(trim(framework.apply(ALLOW_NETWORK)));

        // Offline mode. DJL reads the environment variable DJL_OFFLINE before the system property, and a JVM
        // cannot change its own environment: a non-true DJL_OFFLINE can only be honoured when the network is allowed.
        String offlineEnv = trim(env.apply(DJL_OFFLINE_ENV));
        if (offlineEnv != null && !"true".equalsIgnoreCase(offlineEnv) && !allowNetwork) {
            refusal = "the environment variable " + DJL_OFFLINE_ENV + "=" + offlineEnv + " would let DJL use the network;"
                    + " unset it, or set the framework property " + ALLOW_NETWORK + "=true to allow network access";
        }
        networkSwitch(DJL_OFFLINE_PROPERTY, system, allowNetwork, set, warnings);
        networkSwitch(OPT_OUT_TRACKING, system, allowNetwork, set, warnings);
        info.add(allowNetwork ? "network access allowed (" + ALLOW_NETWORK + "=true)" : "offline, telemetry off");

        // Cache folder for the extracted natives (~430 MB).
        String cacheEnv = trim(env.apply(DJL_CACHE_DIR));
        String cacheProp = trim(system.apply(DJL_CACHE_DIR));
        if (cacheEnv != null) {
            info.add("DJL cache " + cacheEnv + " (environment variable " + DJL_CACHE_DIR + ")");
        } else if (cacheProp != null) {
            info.add("DJL cache " + cacheProp + " (system property " + DJL_CACHE_DIR + ")");
        } else {
            String work = trim(framework.apply(WORK));
            if (work == null) work = trim(system.apply(WORK));
            Path cache = null;
            if (work != null) {
                cache = Path.of(work).resolve("djl");
                info.add("DJL cache " + cache + " (" + WORK + "/djl)");
            } else {
                Path data = dataArea.get();
                if (data != null) {
                    cache = data.resolve("djl");
                    info.add("DJL cache " + cache + " (bundle data area; set " + WORK + " to keep it across reinstalls)");
                } else {
                    warnings.add("neither " + WORK + " nor a bundle data area is available; DJL uses its default cache ~/.djl.ai");
                }
            }
            if (cache != null) set.put(DJL_CACHE_DIR, cache.toAbsolutePath().toString());
        }

        // Intra-op threads.
        String threads = trim(framework.apply(THREADS));
        String threadsProp = trim(system.apply(NUM_THREADS));
        int n = Math.max(1, processors);
        String why = "available processors";
        if (threads != null) {
            try {
                int t = Integer.parseInt(threads);
                if (t < 1 || t > MAX_THREADS) throw new NumberFormatException();
                n = t;
                why = THREADS;
            } catch (NumberFormatException e) {
                warnings.add(THREADS + "=" + threads + " is not a whole number between 1 and " + MAX_THREADS
                        + "; using " + n + " (available processors)");
            }
        } else if (threadsProp != null) {
            try {
                n = Integer.parseInt(threadsProp);
                why = "system property " + NUM_THREADS;
            } catch (NumberFormatException e) {
                warnings.add(NUM_THREADS + "=" + threadsProp + " is not a number; using " + n);
            }
        }
        set.put(NUM_THREADS, Integer.toString(n));
        info.add(n + " intra-op thread(s) (" + why + ")");

        return new Decision(set, List.copyOf(info), List.copyOf(warnings), refusal);
    }

    /** ai.djl.offline / OPT_OUT_TRACKING: forced to true unless the network is allowed, then only defaulted. */
    private static void networkSwitch(String name, Function<String, String> system, boolean allowNetwork,
                                      Map<String, String> set, List<String> warnings) {
        String current = trim(system.apply(name));
        if (allowNetwork) {
            if (current == null) set.put(name, "true");
            return;
        }
        if (current != null && !"true".equalsIgnoreCase(current)) {
            warnings.add("system property " + name + "=" + current + " overridden with true (set the framework property "
                    + ALLOW_NETWORK + "=true to allow network access)");
        }
        set.put(name, "true");
    }

    private static String trim(String s) {
        if (s == null) return null;
        String t = s.trim();
        return t.isEmpty() ? null : t;
    }
}
