package io.kinora.jobs.internal;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleListener;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.FrameworkListener;
import org.osgi.framework.namespace.IdentityNamespace;
import org.osgi.framework.namespace.PackageNamespace;
import org.osgi.framework.wiring.BundleRequirement;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.resource.Namespace;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names what the host lacks. A Kinora bundle that cannot resolve in a host (the REST API without an HTTP Whiteboard,
 * the console pages without the Servlet API, host jobs without Apache Sling's job manager) would otherwise only show
 * up as "Installed" in the host's bundle list, or as a resolver stack trace when something tries to start it. This
 * component, part of the core, looks at every Kinora bundle that is still unresolved once the host has settled, finds
 * which of its mandatory requirements no bundle in the host provides ({@link FrameworkWiring#findProviders}), and logs
 * one warning per bundle naming them in words. Everything else keeps running; the warning is repeated only when what
 * is missing changes, and an info line says when the bundle later resolves.
 */
@Component(immediate = true)
public final class HostCheck implements BundleListener, FrameworkListener {
    private static final Logger LOG = LoggerFactory.getLogger(HostCheck.class);
    /** Hosts install bundles one after another (File Install, Karaf features): wait for this quiet period. */
    static final long SETTLE_MILLIS = 5_000;

    private final BundleContext context;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "kinora-host-check");
        t.setDaemon(true);
        return t;
    });
    /** Bundle id → the message last logged for it. */
    private final Map<Long, String> reported = new HashMap<>();
    private ScheduledFuture<?> pending;

    @Activate
    public HostCheck(BundleContext context) {
        this.context = context;
        context.addBundleListener(this);
        context.addFrameworkListener(this);
        schedule();
    }

    @Deactivate
    void stop() {
        try {
            context.removeBundleListener(this);
            context.removeFrameworkListener(this);
        } catch (IllegalStateException ignored) {
            // the framework is stopping
        }
        timer.shutdownNow();
    }

    @Override
    public void bundleChanged(BundleEvent event) {
        switch (event.getType()) {
            case BundleEvent.INSTALLED, BundleEvent.UNRESOLVED, BundleEvent.RESOLVED, BundleEvent.UPDATED, BundleEvent.UNINSTALLED -> schedule();
            default -> { }
        }
    }

    @Override
    public void frameworkEvent(FrameworkEvent event) {
        if (event.getType() == FrameworkEvent.STARTED || event.getType() == FrameworkEvent.PACKAGES_REFRESHED) schedule();
    }

    private synchronized void schedule() {
        if (timer.isShutdown()) return;
        if (pending != null) pending.cancel(false);
        pending = timer.schedule(this::check, SETTLE_MILLIS, TimeUnit.MILLISECONDS);
    }

    synchronized void check() {
        try {
            FrameworkWiring wiring = context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION).adapt(FrameworkWiring.class);
            Map<Long, String> now = new HashMap<>();
            for (Bundle b : context.getBundles()) {
                if (!isKinora(b) || (b.getState() & (Bundle.INSTALLED)) == 0) continue;
                BundleRevision rev = b.adapt(BundleRevision.class);
                if (rev == null || (rev.getTypes() & BundleRevision.TYPE_FRAGMENT) != 0) continue;
                List<String> missing = new ArrayList<>();
                for (BundleRequirement r : rev.getDeclaredRequirements(null)) {
                    if (!mandatory(r)) continue;
                    if (wiring.findProviders(r).isEmpty()) missing.add(describe(r.getNamespace(), r.getDirectives().get(Namespace.REQUIREMENT_FILTER_DIRECTIVE)));
                }
                if (missing.isEmpty()) continue; // not yet tried, or a conflict the framework's own log explains
                String msg = message(b.getHeaders().get(Constants.BUNDLE_NAME), b.getSymbolicName(), b.getVersion().toString(), group(missing));
                now.put(b.getBundleId(), msg);
                if (!msg.equals(reported.get(b.getBundleId()))) LOG.warn(msg);
            }
            for (Map.Entry<Long, String> e : reported.entrySet()) {
                if (now.containsKey(e.getKey())) continue;
                Bundle b = context.getBundle(e.getKey());
                if (b != null && (b.getState() & (Bundle.RESOLVED | Bundle.STARTING | Bundle.ACTIVE)) != 0) {
                    LOG.info("{} {} now resolves: what was missing is there", b.getSymbolicName(), b.getVersion());
                }
            }
            reported.clear();
            reported.putAll(now);
        } catch (IllegalStateException e) {
            // this bundle is stopping
        }
    }

    static boolean isKinora(Bundle b) {
        String bsn = b.getSymbolicName();
        return bsn != null && (bsn.startsWith("io.kinora.") || b.getHeaders().get("Kinora-Model") != null);
    }

    private static boolean mandatory(BundleRequirement r) {
        String resolution = r.getDirectives().get(Namespace.REQUIREMENT_RESOLUTION_DIRECTIVE);
        String effective = r.getDirectives().get(Namespace.REQUIREMENT_EFFECTIVE_DIRECTIVE);
        return !Namespace.RESOLUTION_OPTIONAL.equals(resolution)
                && (effective == null || Namespace.EFFECTIVE_RESOLVE.equals(effective))
                && !IdentityNamespace.IDENTITY_NAMESPACE.equals(r.getNamespace());
    }

    /**
     * The warning for one bundle: what it is, that the rest keeps running, and what the host lacks. Kept short (hosts
     * cut long log lines: Karaf keeps 500 characters), the part that matters first.
     */
    static String message(String name, String bsn, String version, List<String> missing) {
        String what = name == null || name.isBlank() || name.equals(bsn) ? bsn + " " + version : name + " (" + bsn + " " + version + ")";
        return what + " is off, the rest of Kinora keeps running: this host lacks " + String.join("; ", missing) + ".";
    }

    /**
     * Requirements that name the same thing become one phrase: "package javax.servlet [3.1.0,5.0.0) (the Servlet API)"
     * and "package javax.servlet.http [3.1.0,5.0.0) (the Servlet API)" read "the Servlet API (javax.servlet,
     * javax.servlet.http [3.1.0,5.0.0))".
     */
    static List<String> group(List<String> missing) {
        Map<String, List<String[]>> byWhat = new java.util.LinkedHashMap<>();
        List<String> out = new ArrayList<>();
        Pattern pkg = Pattern.compile("package (\\S+)( [^(]*)? \\((.*)\\)");
        for (String m : missing) {
            Matcher x = pkg.matcher(m);
            if (x.matches()) byWhat.computeIfAbsent(x.group(3), k -> new ArrayList<>()).add(new String[]{x.group(1), x.group(2) == null ? "" : x.group(2)});
            else out.add(m);
        }
        List<String> grouped = new ArrayList<>();
        byWhat.forEach((what, pkgs) -> {
            boolean oneRange = pkgs.stream().map(p -> p[1]).distinct().count() == 1;
            StringBuilder sb = new StringBuilder(what).append(" (");
            for (int i = 0; i < pkgs.size(); i++) {
                if (i > 0) sb.append(", ");
                sb.append(pkgs.get(i)[0]);
                if (!oneRange) sb.append(pkgs.get(i)[1]);
            }
            if (oneRange) sb.append(pkgs.get(0)[1]);
            grouped.add(sb.append(')').toString());
        });
        out.addAll(0, grouped);
        return out;
    }

    private static final Pattern ATTR = Pattern.compile("\\(([\\w.\\-]+)(>=|<=|=)([^()]*)\\)");

    /** A requirement in words, with its raw filter for support. */
    static String describe(String namespace, String filter) {
        Map<String, String> eq = new HashMap<>();
        String low = null;
        String high = null;
        if (filter != null) {
            Matcher m = ATTR.matcher(filter);
            while (m.find()) {
                String key = m.group(1);
                String op = m.group(2);
                int at = m.start();
                boolean negated = at >= 2 && filter.startsWith("(!", at - 2);
                if (key.equals("version")) {
                    if (op.equals(">=") && !negated) low = m.group(3);
                    else if (op.equals(">=")) high = m.group(3);
                } else if (op.equals("=")) {
                    eq.putIfAbsent(key, m.group(3));
                }
            }
        }
        String range = low == null ? "" : " " + (high == null ? low + " or later" : "[" + low + "," + high + ")");
        if (PackageNamespace.PACKAGE_NAMESPACE.equals(namespace) && eq.containsKey(namespace)) {
            String pkg = eq.get(namespace);
            return "package " + pkg + range + Optional.ofNullable(knownPackage(pkg)).map(s -> " (" + s + ")").orElse("");
        }
        if ("osgi.implementation".equals(namespace) && "osgi.http".equals(eq.get(namespace))) {
            return "an OSGi HTTP Whiteboard (osgi.implementation=osgi.http" + range + ", e.g. Felix HTTP Jetty, Karaf's http-whiteboard)";
        }
        if ("osgi.extender".equals(namespace) && "osgi.component".equals(eq.get(namespace))) {
            return "Declarative Services (osgi.extender=osgi.component" + range + ", e.g. Felix SCR)";
        }
        if ("osgi.ee".equals(namespace)) return "the Java runtime it needs (" + filter + ")";
        return namespace + " " + filter;
    }

    private static String knownPackage(String pkg) {
        if (pkg.startsWith("javax.servlet")) return "the Servlet API";
        if (pkg.startsWith("org.apache.felix.webconsole")) return "the Apache Felix Web Console";
        if (pkg.startsWith("org.apache.sling.event")) return "Apache Sling's job manager, org.apache.sling.event";
        if (pkg.startsWith("org.osgi.service.http")) return "the OSGi HTTP Whiteboard API";
        if (pkg.startsWith("org.osgi.service.event")) return "an OSGi Event Admin";
        if (pkg.startsWith("org.osgi.service.cm")) return "an OSGi Configuration Admin";
        if (pkg.startsWith("ai.djl")) return "Kinora's engine bundle, io.kinora.engine";
        if (pkg.startsWith("io.kinora.api")) return "Kinora's API bundle, io.kinora.api";
        return null;
    }
}
