package io.kinora.launcher;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Applies the default configurations of the feature files through Config Admin when the framework starts, before
 * any bundle above start level 1 runs, and never over an operator's configuration:
 * <ul>
 *   <li>a PID that has a file in {@code conf/} ({@code pid.cfg}, {@code pid.config}, for a factory configuration also
 *       {@code factoryPid-name.*} and {@code factoryPid~name.*}) belongs to the operator: File Install applies the file
 *       and the default is not written, not even once;</li>
 *   <li>a PID without any configuration gets the default, marked with the private property {@value #MARKER}: the
 *       feature's id and a SHA-256 fingerprint of exactly the values written;</li>
 *   <li>a configuration that carries the marker and whose values still match its fingerprint is untouched since the
 *       launcher wrote it: when the feature's default changed (a Kinora upgrade), it is updated to the new default;</li>
 *   <li>any other configuration (no marker: written by File Install, the Web Console, Gogo or a bundle; or values that
 *       no longer match the fingerprint: changed in the console) is the operator's and is left as it is.</li>
 * </ul>
 * Deleting a configuration (in the console, or removing its conf/ file) brings the feature's default back at the next
 * start (a configuration File Install made from a conf/ file that is gone counts as deleted). Config Admin is reached reflectively: its API lives in the framework, not on the launcher's class path.
 */
final class FeatureConfigurations {
    /** Private (leading dot: never a service property) marker on configurations this launcher wrote. */
    static final String MARKER = ".kinora.feature.default";
    static final String CM = "org.osgi.service.cm.ConfigurationAdmin";
    /** The property with which File Install marks a configuration it made from a file (a file: URL). */
    static final String FILE_INSTALL_FILE = "felix.fileinstall.filename";
    private static final Set<String> MANAGED = Set.of("service.pid", "service.factoryPid", "service.bundleLocation", MARKER);
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([^}]+)}");

    private FeatureConfigurations() {
    }

    /**
     * Applies the configurations of {@code features}; returns one line per configuration saying what happened.
     *
     * @throws IOException Config Admin is not running although the features carry configurations, or a value names a
     *                     framework property that is not set
     */
    static List<String> apply(BundleContext ctx, List<Feature> features, Path conf) throws IOException, InterruptedException {
        List<Feature.Configuration> configs = new ArrayList<>();
        for (Feature f : features) configs.addAll(f.configurations());
        List<String> report = new ArrayList<>();
        if (configs.isEmpty()) return report;
        ServiceTracker<Object, Object> tracker = new ServiceTracker<>(ctx, CM, null);
        tracker.open(true);
        try {
            Object cm = tracker.waitForService(TimeUnit.SECONDS.toMillis(60));
            ServiceReference<Object> ref = tracker.getServiceReference();
            if (cm == null || ref == null) {
                throw new IOException("the feature files carry default configurations (" + configs.get(0).pid() + ", ...) but no Config Admin ("
                        + CM + ") started within 60 s; the base feature must list org.apache.felix.configadmin");
            }
            Cm api = new Cm(ref.getBundle().loadClass(CM), ref.getBundle().loadClass("org.osgi.service.cm.Configuration"), cm);
            for (Feature.Configuration c : configs) report.add(applyOne(ctx, api, c, conf));
        } catch (ClassNotFoundException | NoSuchMethodException e) {
            throw new IOException("Config Admin does not offer the OSGi R7 API (" + e.getMessage() + ")", e);
        } finally {
            tracker.close();
        }
        return report;
    }

    private static String applyOne(BundleContext ctx, Cm cm, Feature.Configuration c, Path conf) throws IOException {
        String operatorFile = operatorFile(conf, c);
        if (operatorFile != null) return c.pid() + ": the operator's conf/" + operatorFile + " (default of " + c.featureId() + " not applied)";
        Map<String, Object> defaults = substitute(ctx, c);
        String fingerprint = c.featureId() + " " + fingerprint(defaults);
        Object existing = cm.find(c.pid());
        if (existing == null) {
            cm.update(cm.create(c), withMarker(defaults, fingerprint));
            return c.pid() + ": default of " + c.featureId() + " applied";
        }
        Dictionary<String, Object> current = cm.properties(existing);
        if (current != null && fileGone(current.get(FILE_INSTALL_FILE))) {
            // File Install made it from a conf/ file that was removed while the framework was down: stale, and
            // File Install would delete it; the default takes the PID back (without File Install's key, so it stays)
            cm.update(existing, withMarker(defaults, fingerprint));
            return c.pid() + ": default of " + c.featureId() + " applied (its conf/ file was removed)";
        }
        Object marker = current == null ? null : current.get(MARKER);
        if (!(marker instanceof String m)) return c.pid() + ": the operator's configuration (not written by the launcher) kept";
        String written = m.substring(m.lastIndexOf(' ') + 1);
        if (!written.equals(fingerprint(values(current)))) return c.pid() + ": changed by the operator since the launcher wrote it; kept";
        if (m.equals(fingerprint)) return c.pid() + ": default of " + c.featureId() + " in place";
        cm.update(existing, withMarker(defaults, fingerprint));
        return c.pid() + ": untouched default updated to the default of " + c.featureId();
    }

    static boolean fileGone(Object fileInstallFile) {
        if (!(fileInstallFile instanceof String f)) return false;
        try {
            return !Files.exists(Path.of(java.net.URI.create(f)));
        } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
            return false;
        }
    }

    /** The operator's file for this PID in conf/, or null. */
    static String operatorFile(Path conf, Feature.Configuration c) {
        List<String> names = new ArrayList<>(List.of(c.pid()));
        if (c.factoryPid() != null) names.add(c.factoryPid() + "-" + c.name());
        for (String n : names) {
            for (String ext : List.of(".cfg", ".config")) {
                if (Files.isRegularFile(conf.resolve(n + ext))) return n + ext;
            }
        }
        return null;
    }

    private static Map<String, Object> substitute(BundleContext ctx, Feature.Configuration c) throws IOException {
        Map<String, Object> out = new TreeMap<>();
        for (Map.Entry<String, Object> e : c.properties().entrySet()) {
            Object v = e.getValue();
            if (v instanceof String s) {
                v = substitute(ctx, c, e.getKey(), s);
            } else if (v instanceof String[] a) {
                String[] b = new String[a.length];
                for (int i = 0; i < a.length; i++) b[i] = substitute(ctx, c, e.getKey(), a[i]);
                v = b;
            }
            out.put(e.getKey(), v);
        }
        return out;
    }

    private static String substitute(BundleContext ctx, Feature.Configuration c, String key, String s) throws IOException {
        Matcher m = VARIABLE.matcher(s);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            String value = ctx.getProperty(m.group(1));
            if (value == null) {
                throw new IOException("feature " + c.featureId() + ", configuration " + c.pid() + ", property " + key + ": ${" + m.group(1)
                        + "} is not a framework property");
            }
            m.appendReplacement(b, Matcher.quoteReplacement(value));
        }
        m.appendTail(b);
        return b.toString();
    }

    private static Dictionary<String, Object> withMarker(Map<String, Object> values, String fingerprint) {
        Hashtable<String, Object> d = new Hashtable<>(values);
        d.put(MARKER, fingerprint);
        return d;
    }

    /** A configuration's own values: without Config Admin's keys and the marker. */
    static Map<String, Object> values(Dictionary<String, Object> d) {
        Map<String, Object> out = new TreeMap<>();
        for (Enumeration<String> keys = d.keys(); keys.hasMoreElements(); ) {
            String k = keys.nextElement();
            if (!MANAGED.contains(k)) out.put(k, d.get(k));
        }
        return out;
    }

    /** SHA-256 over the sorted keys, each value's type and its text (arrays and collections element by element). */
    static String fingerprint(Map<String, Object> values) {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, Object> e : new TreeMap<>(values).entrySet()) {
            b.append(e.getKey()).append('=');
            Object v = e.getValue();
            if (v != null && v.getClass().isArray()) {
                b.append(v.getClass().getComponentType().getName()).append("[]");
                for (int i = 0; i < java.lang.reflect.Array.getLength(v); i++) b.append('\u0000').append(java.lang.reflect.Array.get(v, i));
            } else if (v instanceof java.util.Collection<?> col) {
                b.append("Collection");
                for (Object o : col) b.append('\u0000').append(o == null ? "" : o.getClass().getName()).append(':').append(o);
            } else {
                b.append(v == null ? "null" : v.getClass().getName()).append(':').append(v);
            }
            b.append('\n');
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The few Config Admin calls this launcher makes, through the framework's own API classes. */
    private record Cm(Method list, Method get, Method getFactory, Method properties, Method update, Object admin) {
        Cm(Class<?> adminType, Class<?> configType, Object admin) throws NoSuchMethodException {
            this(adminType.getMethod("listConfigurations", String.class), adminType.getMethod("getConfiguration", String.class, String.class),
                    adminType.getMethod("getFactoryConfiguration", String.class, String.class, String.class),
                    configType.getMethod("getProperties"), configType.getMethod("update", Dictionary.class), admin);
        }

        Object find(String pid) throws IOException {
            Object[] found = (Object[]) call(list, admin, "(service.pid=" + pid.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
                    .replace("*", "\\*") + ")");
            return found == null || found.length == 0 ? null : found[0];
        }

        /** A new configuration object for the PID; "?" binds it to whichever bundle's managed service asks for it. */
        Object create(Feature.Configuration c) throws IOException {
            return c.factoryPid() == null ? call(get, admin, c.pid(), "?") : call(getFactory, admin, c.factoryPid(), c.name(), "?");
        }

        @SuppressWarnings("unchecked")
        Dictionary<String, Object> properties(Object config) throws IOException {
            return (Dictionary<String, Object>) call(properties, config);
        }

        void update(Object config, Dictionary<String, Object> values) throws IOException {
            call(update, config, values);
        }

        private static Object call(Method m, Object target, Object... args) throws IOException {
            try {
                return m.invoke(target, args);
            } catch (InvocationTargetException e) {
                Throwable t = e.getCause();
                throw new IOException("Config Admin " + m.getName() + " failed: " + t, t);
            } catch (IllegalAccessException e) {
                throw new IOException("Config Admin " + m.getName() + " is not accessible: " + e.getMessage(), e);
            }
        }
    }
}
