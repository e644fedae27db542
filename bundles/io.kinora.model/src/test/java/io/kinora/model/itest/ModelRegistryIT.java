package io.kinora.model.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Stream;

import org.apache.felix.framework.FrameworkFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;
import org.osgi.util.tracker.ServiceTracker;

import io.kinora.api.media.Cancellation;
import io.kinora.api.media.ProgressListener;
import io.kinora.api.model.ModelEvent;
import io.kinora.api.model.ModelException;
import io.kinora.api.model.ModelLease;
import io.kinora.api.model.ModelRegistry;
import io.kinora.api.model.ModelState;
import io.kinora.api.model.ModelVersion;
import io.kinora.api.model.RoutingPolicy;
import io.kinora.api.scene.Aspect;
import io.kinora.api.scene.SceneSpec;
import io.kinora.api.timeline.Shot;
import io.kinora.api.timeline.Timeline;
import io.kinora.api.video.RenderRequest;

/**
 * The registry in a real Felix 7 with SCR, Config Admin and Event Admin, driving generated model bundles (a fake
 * model without an engine, so libtorch is not involved). The Kinora API and SLF4J come from the test class path
 * through the system bundle, so this test and the bundles share the API classes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ModelRegistryIT {

    static final String FAMILY = "test-video";
    Framework framework;
    BundleContext ctx;
    ModelRegistry registry;
    Path dir;
    Path classes;
    final List<String> events = Collections.synchronizedList(new ArrayList<>());
    final ExecutorService jobs = Executors.newFixedThreadPool(6);
    final AtomicInteger jobSeq = new AtomicInteger();

    @BeforeAll
    void boot() throws Exception {
        dir = Path.of(System.getProperty("kinora.it.dir", "target/it"));
        classes = Path.of(System.getProperty("kinora.test.classes", "target/test-classes"));
        Map<String, String> cfg = new HashMap<>();
        cfg.put(Constants.FRAMEWORK_STORAGE, dir.resolve("felix-" + System.nanoTime()).toString());
        cfg.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        cfg.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, apiExports() + ",org.slf4j;version=1.7.36");
        framework = new FrameworkFactory().newFramework(cfg);
        framework.start();
        ctx = framework.getBundleContext();
        List<Bundle> bundles = new ArrayList<>();
        for (String jar : new String[] {"org.osgi.util.function", "org.osgi.util.promise", "org.osgi.service.component",
                "org.apache.felix.scr", "org.apache.felix.configadmin", "org.apache.felix.eventadmin"}) {
            bundles.add(ctx.installBundle(classpathJar(jar).toUri().toString()));
        }
        bundles.add(ctx.installBundle(Path.of(System.getProperty("kinora.model.bundle")).toUri().toString()));
        for (Bundle b : bundles) b.start();
        listenToEvents();
        ServiceTracker<ModelRegistry, ModelRegistry> t = new ServiceTracker<>(ctx, ModelRegistry.class, null);
        t.open();
        registry = t.waitForService(20_000);
        assertNotNull(registry, "ModelRegistry service");
    }

    @AfterAll
    void shutdown() throws Exception {
        jobs.shutdownNow();
        if (framework != null) {
            framework.stop();
            framework.waitForStop(20_000);
        }
    }

    // ------------------------------------------------------------------ the scenarios

    @Test
    @Order(1)
    void installedVersionBecomesReadyAndSwapKeepsRunningJobsOnTheirVersion() throws Exception {
        ModelVersion v1 = installAndAwait(model("1.0.0", "good", 15));
        assertEquals(ModelState.READY, v1.state(), v1.toString());
        System.out.println("[figure] install-to-ready v1: " + v1.installToReadyMillis() + " ms");

        List<Future<String>> running = new ArrayList<>();
        for (int i = 0; i < 4; i++) running.add(submit(null, 24));
        Thread.sleep(100);
        assertEquals(4, registry.versions(FAMILY).get(0).activeLeases());

        long t0 = System.nanoTime();
        ModelVersion v2 = installAndAwait(model("1.1.0", "good", 15));
        long readyAt = System.nanoTime();
        assertEquals(ModelState.READY, v2.state(), v2.toString());
        String first;
        try (ModelLease l = registry.acquire(FAMILY, "job-first-after-ready", null)) {
            first = l.info().version();
        }
        long readyToRouted = (System.nanoTime() - readyAt) / 1_000;
        assertEquals("1.1.0", first);
        System.out.println("[figure] install-to-ready v2 (4 jobs running): " + v2.installToReadyMillis() + " ms (wall "
                + (readyAt - t0) / 1_000_000 + " ms); v2 ready -> first job routed to v2: " + readyToRouted + " us");
        assertTrue(readyToRouted < 100_000, "ready-to-routed " + readyToRouted + " us");
        for (Future<String> f : running) assertEquals("ok 1.0.0", f.get(30, TimeUnit.SECONDS), "running jobs finish on v1");
        assertEquals("ok 1.1.0", submit(null, 4).get(30, TimeUnit.SECONDS));
        assertTrue(events.stream().anyMatch(e -> e.startsWith(ModelEvent.READY + " fake 1.1.0")), events.toString());
    }

    @Test
    @Order(2)
    void canaryThirtyPercentOverHundredSubmissions() {
        registry.activate(FAMILY, "1.0.0");
        RoutingPolicy p = registry.canary(FAMILY, "1.1.0", 30);
        assertEquals("fake:1.0.0", p.version());
        int toCandidate = 0;
        for (int i = 0; i < 100; i++) {
            try (ModelLease l = registry.acquire(FAMILY, "submission-" + i, null)) {
                if (l.info().version().equals("1.1.0")) toCandidate++;
            }
        }
        System.out.println("[figure] canary 30%: " + toCandidate + " of 100 submissions to the candidate");
        assertTrue(toCandidate >= 20 && toCandidate <= 40, toCandidate + " of 100");
        registry.followLatest(FAMILY);
    }

    @Test
    @Order(3)
    void configAdminPolicyAppliesToTheNextJob() throws Exception {
        Object config = createFactoryConfiguration("io.kinora.model.routing", Map.of("family", FAMILY, "mode", "pinned",
                "version", "fake:1.0.0"));
        assertEquals("1.0.0", awaitRoute("1.0.0"));
        update(config, Map.of("family", FAMILY, "mode", "canary", "version", "1.0.0", "candidate", "1.1.0",
                "canary.percent", 100));
        assertEquals("1.1.0", awaitRoute("1.1.0"));
        RoutingPolicy p = registry.policy(FAMILY);
        assertEquals(RoutingPolicy.Mode.CANARY, p.mode());
        assertEquals(100, p.canaryPercent());
        for (int i = 0; i < 20; i++) {
            try (ModelLease l = registry.acquire(FAMILY, "after-config-" + i, null)) {
                assertEquals("1.1.0", l.info().version(), "100 % canary: every next job");
            }
        }
        config.getClass().getMethod("delete").invoke(config);
        long deadline = System.currentTimeMillis() + 10_000; // Config Admin delivers the deletion asynchronously
        while (registry.policy(FAMILY).mode() != RoutingPolicy.Mode.LATEST && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(RoutingPolicy.Mode.LATEST, registry.policy(FAMILY).mode(), "configuration deleted: back to latest");
    }

    @Test
    @Order(4)
    void wrongWeightHashIsRefusedWhileTheRunningVersionKeepsServing() throws Exception {
        ModelJars j = model("2.0.0", "good", 0);
        j.declaredSha = "0".repeat(64);
        Path jar = j.write(dir);
        ModelException e = assertThrows(ModelException.class, () -> registry.install(jar));
        assertTrue(e.getMessage().contains("SHA-256 is"), e.getMessage());
        // the same jar dropped in by another installer (File Install) is tracked and FAILED with the reason
        Bundle b = ctx.installBundle(jar.toUri().toString());
        b.start();
        ModelVersion v = registry.await("fake", "2.0.0", Duration.ofSeconds(20));
        assertEquals(ModelState.FAILED, v.state());
        assertTrue(v.reason().startsWith("weight file META-INF/kinora/weights.bin: SHA-256 is"), v.reason());
        assertEquals("ok 1.1.0", submit(null, 2).get(30, TimeUnit.SECONDS));
        assertTrue(events.stream().anyMatch(s -> s.startsWith(ModelEvent.REFUSED + " fake 2.0.0")), events.toString());
        b.uninstall();

        ModelJars noHeader = model("2.0.1", "good", 0);
        noHeader.header = false;
        Path nh = noHeader.write(dir);
        assertTrue(assertThrows(ModelException.class, () -> registry.install(nh)).getMessage()
                .contains("has no Kinora-Model manifest header"));
        Path dup = model("1.1.0", "good", 0).write(dir);
        assertTrue(assertThrows(ModelException.class, () -> registry.install(dup)).getMessage()
                .contains("fake:1.1.0 is already installed"));
    }

    @Test
    @Order(5)
    void failingHealthCheckIsRolledBack() throws Exception {
        ModelVersion v = installAndAwait(model("3.0.0", "constant", 0));
        assertEquals(ModelState.FAILED, v.state());
        assertTrue(v.reason().startsWith("health check failed: frame 0 is constant"), v.reason());
        assertEquals("ok 1.1.0", submit(null, 2).get(30, TimeUnit.SECONDS));
        registry.uninstall(FAMILY, "3.0.0", Duration.ofSeconds(5));
    }

    @Test
    @Order(6)
    void errorRateOverFirstJobsRollsBackAutomatically() throws Exception {
        ModelVersion v = installAndAwait(model("4.0.0", "flaky", 0));
        assertEquals(ModelState.READY, v.state(), "the flaky model passes its health check");
        int failed = 0;
        for (int i = 0; i < 3; i++) {
            if (submit(null, 2).get(30, TimeUnit.SECONDS).startsWith("failed")) failed++;
        }
        assertEquals(3, failed);
        ModelVersion after = registry.versions(FAMILY).stream().filter(x -> x.info().version().equals("4.0.0")).findFirst().orElseThrow();
        assertEquals(ModelState.FAILED, after.state());
        assertTrue(after.reason().startsWith("automatic rollback: 3 of its first 3 job(s) failed"), after.reason());
        try (ModelLease l = registry.acquire(FAMILY, "after-auto-rollback", null)) {
            assertTrue(l.route().contains("[after rollback of fake:4.0.0"), l.route());
        }
        assertEquals("ok 1.1.0", submit(null, 2).get(30, TimeUnit.SECONDS));
        assertTrue(events.stream().anyMatch(s -> s.startsWith(ModelEvent.ROLLED_BACK + " fake 4.0.0")), events.toString());
        registry.uninstall(FAMILY, "4.0.0", Duration.ofSeconds(5));
    }

    @Test
    @Order(7)
    void tenRoundsOfSwapRollbackSwapUnderLoadFailNoJob() throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger ok = new AtomicInteger();
        Map<String, Integer> byVersion = new ConcurrentHashMap<>();
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        List<Future<?>> workers = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            workers.add(jobs.submit(() -> {
                while (!stop.get()) {
                    String r = runJob("load-" + jobSeq.incrementAndGet(), null, 6);
                    if (r.startsWith("ok ")) {
                        ok.incrementAndGet();
                        byVersion.merge(r.substring(3), 1, Integer::sum);
                    } else {
                        failures.add(r);
                    }
                }
            }));
        }
        for (int round = 0; round < 10; round++) {
            registry.activate(FAMILY, "1.1.0");
            Thread.sleep(60);
            registry.rollback(FAMILY, "round " + round);
            Thread.sleep(60);
            registry.activate(FAMILY, "1.1.0");
            Thread.sleep(60);
        }
        stop.set(true);
        for (Future<?> f : workers) f.get(60, TimeUnit.SECONDS);
        System.out.println("[figure] 10 rounds swap/rollback/swap under 4 concurrent jobs: " + ok.get()
                + " jobs ok " + byVersion + ", " + failures.size() + " failed");
        assertEquals(List.of(), failures);
        assertTrue(byVersion.containsKey("1.0.0") && byVersion.containsKey("1.1.0"), byVersion.toString());
        registry.followLatest(FAMILY);
    }

    @Test
    @Order(8)
    void uninstallDuringAJobWaitsForItAndDoesNotBreakIt() throws Exception {
        registry.activate(FAMILY, "1.0.0");
        Future<String> job = submit(null, 40); // ~0.6 s on v1
        Thread.sleep(100);
        long t0 = System.nanoTime();
        int open = registry.uninstall(FAMILY, "1.0.0", Duration.ofSeconds(20));
        long waited = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(0, open, "the uninstall waited for the job");
        assertEquals("ok 1.0.0", job.get(30, TimeUnit.SECONDS));
        assertTrue(waited > 200, "waited " + waited + " ms");
        assertEquals("ok 1.1.0", submit(null, 2).get(30, TimeUnit.SECONDS), "pinned version gone -> latest ready");
        ModelVersion v1 = registry.versions(FAMILY).stream().filter(x -> x.info().version().equals("1.0.0")).findFirst().orElseThrow();
        assertEquals(ModelState.RETIRED, v1.state());
    }

    @Test
    @Order(9)
    void gogoCommandsAreRegisteredServices() throws Exception {
        ServiceReference<?>[] refs = ctx.getAllServiceReferences(null, "(osgi.command.scope=kinora)");
        assertNotNull(refs);
        Object commands = ctx.getService(refs[0]);
        List<?> functions = Stream.of(refs[0].getProperty("osgi.command.function")).map(o -> (String[]) o)
                .flatMap(Stream::of).toList();
        assertTrue(functions.containsAll(List.of("models", "activate", "canary", "rollback", "install", "uninstall")));
        String table = (String) commands.getClass().getMethod("models").invoke(commands);
        assertTrue(table.contains("fake:1.1.0") && table.contains("READY"), table);
        String err = (String) commands.getClass().getMethod("activate", String.class, String.class)
                .invoke(commands, FAMILY, "9.9.9");
        assertTrue(err.startsWith("error: no version 9.9.9 of model \"test-video\""), err);
        System.out.println(table);
    }

    // ------------------------------------------------------------------ helpers

    ModelJars model(String version, String behaviour, long frameMillis) {
        ModelJars j = new ModelJars();
        j.version = version;
        j.behaviour = behaviour;
        j.frameMillis = frameMillis;
        j.weights = ("weights " + version).getBytes();
        j.classes = classes;
        return j;
    }

    ModelVersion installAndAwait(ModelJars j) throws IOException {
        ModelVersion v = registry.install(j.write(dir));
        return registry.await(v.info().id(), v.info().version(), Duration.ofSeconds(30));
    }

    Future<String> submit(String tenant, int frames) {
        String id = "job-" + jobSeq.incrementAndGet();
        return jobs.submit(() -> runJob(id, tenant, frames));
    }

    @Test
    @Order(10)
    void canarySetThroughTheApiSurvivesARegistryRestart() throws Exception {
        assertEquals(ModelState.READY, installAndAwait(model("5.0.0", "good", 0)).state());
        registry.activate(FAMILY, "1.1.0");
        RoutingPolicy canary = registry.canary(FAMILY, "5.0.0", 30);
        RoutingPolicy back = registry.rollback(FAMILY, "restart test");
        ModelVersion v5 = registry.versions(FAMILY).stream().filter(x -> x.info().version().equals("5.0.0")).findFirst().orElseThrow();
        assertEquals("rolled back by an operator: restart test; routing configuration io.kinora.model.routing~test-video "
                + "set to every new job to fake:1.1.0", v5.reason());
        assertEquals(RoutingPolicy.Mode.PINNED, back.mode());
        assertEquals(canary, registry.canary(FAMILY, "5.0.0", 30), "a rolled-back version is re-admitted");
        assertEquals("fake:1.1.0", canary.version());
        int before = canaryCount("restart-");

        // the change is in the family's routing configuration: what the console shows and edits
        Map<String, Object> cfg = null;
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline) {
            cfg = routingConfiguration(FAMILY);
            if (cfg != null && "canary".equals(cfg.get("mode"))) break;
            Thread.sleep(20);
        }
        assertNotNull(cfg, "a routing configuration for " + FAMILY);
        assertEquals("canary", cfg.get("mode"), cfg.toString());
        assertEquals("fake:5.0.0", cfg.get("candidate"), cfg.toString());
        assertEquals("fake:1.1.0", cfg.get("version"), cfg.toString());
        assertEquals(30, cfg.get("canary.percent"), cfg.toString());
        System.out.println("[figure] canary written to configuration " + cfg.get("service.pid"));

        Bundle reg = Stream.of(ctx.getBundles()).filter(b -> "io.kinora.model".equals(b.getSymbolicName()))
                .findFirst().orElseThrow();
        reg.stop();
        assertEquals(null, ctx.getServiceReference(ModelRegistry.class), "registry stopped");
        long t0 = System.nanoTime();
        reg.start();
        ServiceTracker<ModelRegistry, ModelRegistry> t = new ServiceTracker<>(ctx, ModelRegistry.class, null);
        t.open();
        registry = t.waitForService(20_000);
        assertNotNull(registry, "ModelRegistry service after the restart");
        assertEquals(ModelState.READY, registry.await("fake", "5.0.0", Duration.ofSeconds(20)).state());
        assertEquals(ModelState.READY, registry.await("fake", "1.1.0", Duration.ofSeconds(20)).state());
        deadline = System.currentTimeMillis() + 10_000;
        while (!canary.equals(registry.policy(FAMILY)) && System.currentTimeMillis() < deadline) Thread.sleep(10);
        System.out.println("[figure] registry restart to canary in force: " + (System.nanoTime() - t0) / 1_000_000 + " ms");
        assertEquals(canary, registry.policy(FAMILY), "the operator's canary is still in force after the restart");
        int after = canaryCount("restart-");
        System.out.println("[figure] canary 30% before / after restart: " + before + " / " + after + " of 100");
        assertEquals(before, after, "the same job ids go to the same side after the restart");
        assertTrue(after >= 20 && after <= 40, after + " of 100");
        registry.followLatest(FAMILY);
    }

    int canaryCount(String prefix) {
        int n = 0;
        for (int i = 0; i < 100; i++) {
            try (ModelLease l = registry.acquire(FAMILY, prefix + i, null)) {
                if (l.info().version().equals("5.0.0")) n++;
            }
        }
        return n;
    }

    /** The single routing configuration of a family (properties plus service.pid), or null if there is none. */
    Map<String, Object> routingConfiguration(String family) throws Exception {
        ServiceReference<?> ref = ctx.getAllServiceReferences("org.osgi.service.cm.ConfigurationAdmin", null)[0];
        Object ca = ctx.getService(ref);
        Class<?> caClass = ref.getBundle().loadClass("org.osgi.service.cm.ConfigurationAdmin");
        Class<?> cClass = ref.getBundle().loadClass("org.osgi.service.cm.Configuration");
        Object[] cs = (Object[]) caClass.getMethod("listConfigurations", String.class).invoke(ca,
                "(&(service.factoryPid=io.kinora.model.routing)(family=" + family + "))");
        if (cs == null) return null;
        assertEquals(1, cs.length, "one routing configuration per family");
        @SuppressWarnings("unchecked")
        Dictionary<String, Object> d = (Dictionary<String, Object>) cClass.getMethod("getProperties").invoke(cs[0]);
        Map<String, Object> out = new HashMap<>();
        for (java.util.Enumeration<String> k = d.keys(); k.hasMoreElements(); ) {
            String key = k.nextElement();
            out.put(key, d.get(key));
        }
        return out;
    }

    /** What io.kinora.jobs does per job: acquire, render every frame, report a model failure, release. */
    String runJob(String jobId, String tenant, int frames) {
        try (ModelLease lease = registry.acquire(FAMILY, jobId, tenant, Duration.ofSeconds(10))) {
            try {
                SceneSpec scene = new SceneSpec(null, "it", 1.0, 24, null, List.of(Aspect.LANDSCAPE), null, null,
                        null, null, null, "en", tenant, 0L);
                Timeline t = new Timeline(frames / 24.0, 24, frames, List.of(), List.of(new Shot(0, frames / 24.0, null)));
                AtomicInteger n = new AtomicInteger();
                lease.model().render(new RenderRequest(scene, t, io.kinora.model.internal.HealthCheckAccess.picture(),
                        Aspect.LANDSCAPE, 48, 27, ProgressListener.NONE, Cancellation.NEVER), (i, f) -> n.incrementAndGet());
                if (n.get() != frames) return "failed: " + n.get() + " frames";
                return "ok " + lease.info().version();
            } catch (RuntimeException e) {
                lease.failed(e.getMessage());
                return "failed: " + e.getMessage();
            }
        } catch (RuntimeException e) {
            return "failed to acquire: " + e.getMessage();
        }
    }

    String awaitRoute(String version) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        String last = null;
        while (System.currentTimeMillis() < deadline) {
            try (ModelLease l = registry.acquire(FAMILY, "probe-" + jobSeq.incrementAndGet(), null)) {
                last = l.info().version();
            }
            if (last.equals(version)) return last;
            Thread.sleep(20);
        }
        return last;
    }

    void listenToEvents() throws Exception {
        Bundle ea = Stream.of(ctx.getBundles()).filter(b -> "org.apache.felix.eventadmin".equals(b.getSymbolicName()))
                .findFirst().orElseThrow();
        Class<?> handler = ea.loadClass("org.osgi.service.event.EventHandler");
        Object proxy = Proxy.newProxyInstance(handler.getClassLoader(), new Class<?>[] {handler}, (p, m, args) -> {
            if (m.getName().equals("handleEvent")) {
                Object ev = args[0];
                Method prop = ev.getClass().getMethod("getProperty", String.class);
                events.add(ev.getClass().getMethod("getTopic").invoke(ev) + " " + prop.invoke(ev, ModelEvent.MODEL_ID)
                        + " " + prop.invoke(ev, ModelEvent.MODEL_VERSION) + " " + prop.invoke(ev, ModelEvent.STATE));
                return null;
            }
            if (m.getName().equals("hashCode")) return System.identityHashCode(p);
            if (m.getName().equals("equals")) return p == args[0];
            return "events";
        });
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("event.topics", ModelEvent.TOPIC_PREFIX + "*");
        ctx.registerService(handler.getName(), proxy, props);
    }

    Object createFactoryConfiguration(String factoryPid, Map<String, Object> values) throws Exception {
        // getAll...: the test's class space does not see org.osgi.service.cm, so the filtered lookup hides it
        ServiceReference<?> ref = ctx.getAllServiceReferences("org.osgi.service.cm.ConfigurationAdmin", null)[0];
        Object ca = ctx.getService(ref);
        Class<?> caClass = ref.getBundle().loadClass("org.osgi.service.cm.ConfigurationAdmin");
        Object config = caClass.getMethod("getFactoryConfiguration", String.class, String.class, String.class)
                .invoke(ca, factoryPid, "it", "?");
        update(config, values);
        return config;
    }

    void update(Object config, Map<String, Object> values) throws Exception {
        Class<?> c = Stream.of(config.getClass().getInterfaces()).filter(i -> i.getName().equals("org.osgi.service.cm.Configuration"))
                .findFirst().orElseThrow();
        c.getMethod("update", Dictionary.class).invoke(config, new Hashtable<>(values));
    }

    static Path classpathJar(String artifactPrefix) {
        for (String e : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            Path p = Path.of(e);
            if (p.getFileName().toString().startsWith(artifactPrefix + "-") && e.endsWith(".jar")) return p;
        }
        throw new IllegalStateException(artifactPrefix + " is not on the test class path");
    }

    /** The API bundle's Export-Package, as {@code pkg;version=x} for the system bundle. */
    static String apiExports() throws IOException {
        Path code = Path.of(java.net.URI.create(ModelRegistry.class.getProtectionDomain().getCodeSource().getLocation().toString()));
        Path src = code;
        Manifest mf;
        if (Files.isDirectory(code)) {
            try (Stream<Path> s = Files.list(code.getParent())) {
                src = s.filter(p -> p.getFileName().toString().matches("io\\.kinora\\.api-.*\\.jar")
                        && !p.getFileName().toString().contains("sources")).findFirst()
                        .orElseThrow(() -> new IllegalStateException("io.kinora.api jar not built next to " + code));
            }
        }
        try (JarFile jf = new JarFile(src.toFile())) {
            mf = jf.getManifest();
        }
        String exports = mf.getMainAttributes().getValue("Export-Package");
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (char ch : (exports + ",").toCharArray()) {
            if (ch == '"') quoted = !quoted;
            if (ch == ',' && !quoted) {
                String clause = cur.toString().trim();
                cur.setLength(0);
                String pkg = clause.split(";", 2)[0];
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("version=\"?([0-9.]+)").matcher(clause);
                out.add(pkg + (m.find() ? ";version=" + m.group(1) : ""));
            } else {
                cur.append(ch);
            }
        }
        return String.join(",", out);
    }

    static InputStream nothing() { return InputStream.nullInputStream(); }
}
