package io.kinora.launcher;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Boots the real Felix application from the assembled distribution (the bundles the feature files list) in this
 * JVM, checks every bundle and every stage's service, and makes a clip through the services.
 */
class FrameworkIT {
    static final Path DIST = Path.of(System.getProperty("kinora.dist", "target/kinora"));
    static final Path WORK = Path.of(System.getProperty("kinora.repo", ".")).resolve("target/it-work");
    static KinoraFramework kinora;
    static Function<String[], Integer> cli;
    static org.osgi.util.tracker.ServiceTracker<Object, Object> cliTracker;

    @BeforeAll
    static void boot() throws Exception {
        Main.configureSystem(WORK, false);
        // a fresh framework cache: a model version installed by an earlier, interrupted run must not still be there
        KinoraFramework.deleteTree(WORK.resolve("felix-cache-it"));
        kinora = KinoraFramework.start(new KinoraFramework.Options(DIST, WORK, KinoraFramework.HEADLESS_LEVEL, "felix-cache-it", Map.of()));
        cliTracker = Main.trackCli(kinora.context());
        cli = Main.awaitCli(cliTracker, 120);
    }

    @AfterAll
    static void stop() {
        if (cliTracker != null) cliTracker.close();
        if (kinora != null) kinora.close();
    }

    @Test
    void everyBundleIsActive() {
        assertEquals(List.of(), kinora.problems());
        List<String> notActive = Stream.of(kinora.context().getBundles())
                .filter(b -> b.getHeaders().get("Fragment-Host") == null)
                .filter(b -> b.getState() != Bundle.ACTIVE)
                .filter(b -> !isWebBundle(b))
                .map(b -> b.getSymbolicName() + " state " + b.getState()).collect(Collectors.toList());
        assertEquals(List.of(), notActive);
        for (String bsn : List.of("io.kinora.api", "io.kinora.engine", "io.kinora.voice", "io.kinora.ambient",
                "io.kinora.compositor", "io.kinora.vision", "io.kinora.provenance", "io.kinora.jobs", "io.kinora.cli", "parallax")) {
            Bundle b = Stream.of(kinora.context().getBundles()).filter(x -> bsn.equals(x.getSymbolicName())).findFirst().orElse(null);
            assertNotNull(b, bsn + " is installed");
            assertEquals(Bundle.ACTIVE, b.getState(), bsn + " is active");
        }
    }

    private static boolean isWebBundle(Bundle b) {
        // installed for `serve`, started only at the server start level
        return b.adapt(org.osgi.framework.startlevel.BundleStartLevel.class).getStartLevel() > KinoraFramework.HEADLESS_LEVEL;
    }

    @Test
    void everyStageRegistersItsService() throws Exception {
        BundleContext ctx = kinora.context();
        for (String service : List.of("io.kinora.api.voice.VoiceService", "io.kinora.api.voice.VoiceEngine",
                "io.kinora.api.ambient.AmbienceGenerator", "io.kinora.api.compositor.Compositor",
                "io.kinora.api.provenance.ProvenanceService", "io.kinora.api.generation.GenerationService",
                "io.kinora.api.scene.SceneSpecReader", "ai.djl.engine.Engine")) {
            assertNotNull(await(ctx, service, null), service + " is registered");
        }
        ServiceReference<?> model = await(ctx, "io.kinora.api.video.VideoModel", "(kinora.model.id=parallax)");
        assertNotNull(model, "the parallax model is registered");
        assertNotNull(model.getProperty("kinora.model.version"));
        assertNotNull(cli, "the CLI service is registered");
    }

    static ServiceReference<?> await(BundleContext ctx, String clazz, String filter) throws Exception {
        long deadline = System.currentTimeMillis() + 120_000;
        while (System.currentTimeMillis() < deadline) {
            ServiceReference<?>[] refs = ctx.getAllServiceReferences(clazz, filter);
            if (refs != null && refs.length > 0) return refs[0];
            Thread.sleep(100);
        }
        return null;
    }

    @Test
    void makesAClipThroughTheServices() throws Exception {
        Path out = Files.createDirectories(WORK.resolve("framework-it")).resolve("clip.mp4");
        Files.deleteIfExists(out);
        int code = run("generate", "--scene", DIST.resolve("samples/two-speakers.json").toString(), "--out", out.toString(), "--quiet");
        assertEquals(0, code, "generate exits 0");
        assertTrue(Files.size(out) > 50_000, "the clip has content");
        Path report = out.resolveSibling("clip.report.json");
        String json = Files.readString(report);
        assertTrue(json.contains("\"mia\"") && json.contains("\"ben\""), json);
        try (Stream<Path> files = Files.list(out.getParent())) {
            assertEquals(List.of(), files.filter(p -> p.getFileName().toString().startsWith(".")).collect(Collectors.toList()),
                    "no temporary files are left");
        }
        assertEquals(0, run("verify", out.toString()));
        // the provenance service itself reads the layers back from the file (called reflectively: this test runs
        // outside the framework and cannot link against the bundle's API classes)
        ServiceReference<?> ref = await(kinora.context(), "io.kinora.api.provenance.ProvenanceService", null);
        Object provenance = kinora.context().getService(ref);
        try {
            Object layers = provenance.getClass().getMethod("verify", Path.class).invoke(provenance, out);
            String text = String.valueOf(layers);
            assertTrue(text.contains("layer=implicit-label, present=true"), text);
            assertTrue(text.contains("layer=visible-label"), text);
        } finally {
            kinora.context().ungetService(ref);
        }
    }

    @Test
    void badSceneIsRejectedBeforeAnyOutput() throws Exception {
        Path dir = Files.createDirectories(WORK.resolve("framework-it-bad"));
        Path scene = dir.resolve("bad.json");
        Files.writeString(scene, "{\"prompt\": \"\", \"fps\": 1000, \"lines\": [{\"character\": \"nobody\", \"text\": \"hi\"}]}");
        Path out = dir.resolve("never.mp4");
        assertEquals(3, run("generate", "--scene", scene.toString(), "--image", DIST.resolve("samples/harbour.png").toString(),
                "--out", out.toString()));
        assertFalse(Files.exists(out));
    }

    @Test
    void modelVersionsSwapRollBackAndUninstall() throws Exception {
        Path v11;
        try (Stream<Path> s = Files.list(Path.of(System.getProperty("kinora.repo", "..")).resolve("models/parallax-1.1/target"))) {
            v11 = s.filter(p -> p.getFileName().toString().matches("io\\.kinora\\.models\\.parallax-1\\.1-.*\\.jar")).findFirst().orElseThrow();
        }
        ServiceReference<?> ref = await(kinora.context(), null, "(osgi.command.scope=kinora)");
        assertNotNull(ref, "Gogo model commands");
        Object commands = kinora.context().getService(ref);
        try {
            String installed = command(commands, "install", v11.toString());
            assertTrue(installed.startsWith("parallax:1.1.0") && installed.contains("READY"), installed);
            assertEquals("1.1.0", clipModelVersion("swap-1"));
            assertTrue(command(commands, "rollback", "image-to-video", "it").startsWith("routing:"));
            assertFalse(clipModelVersion("swap-2").equals("1.1.0"), "rolled back to the embedded version");
            String activated = command(commands, "activate", "image-to-video", "1.1.0");
            assertTrue(activated.startsWith("routing: every new job to parallax:1.1.0"), activated);
            assertTrue(command(commands, "uninstall", "image-to-video", "1.1.0").startsWith("uninstalled"));
            assertFalse(clipModelVersion("swap-3").equals("1.1.0"), "pinned version gone -> latest ready");
            assertTrue(command(commands, "models").contains("RETIRED"));
        } finally {
            kinora.context().ungetService(ref);
        }
    }

    static String command(Object commands, String name, String... args) throws Exception {
        Class<?>[] types = new Class<?>[args.length];
        Arrays.fill(types, String.class);
        return (String) commands.getClass().getMethod(name, types).invoke(commands, (Object[]) args);
    }

    static String clipModelVersion(String jobId) throws Exception {
        Path out = Files.createDirectories(WORK.resolve("model-swap-it")).resolve(jobId + ".mp4");
        assertEquals(0, run("generate", "--scene", DIST.resolve("samples/two-speakers.json").toString(),
                "--out", out.toString(), "--job-id", jobId, "--quiet"));
        String json = Files.readString(out.resolveSibling(jobId + ".report.json"));
        Matcher m = Pattern.compile("\"model\"\\s*:\\s*\\{\\s*\"id\"\\s*:\\s*\"parallax\",\\s*\"version\"\\s*:\\s*\"([^\"]+)\"").matcher(json);
        assertTrue(m.find(), json);
        return m.group(1);
    }

    private static int run(String... args) {
        return cli.apply(args);
    }

    // ---- default configurations from the feature files ------------------------------------------------------------

    @Test
    void featureDefaultConfigurationsAreInForce() throws Exception {
        // nothing in conf/ configures these: the launcher applied the features' configurations sections
        Map<String, Object> queue = configuration(kinora.context(), "io.kinora.jobs.queue");
        assertNotNull(queue, "kinora-core's io.kinora.jobs.queue is in Config Admin: " + kinora.configurations());
        assertEquals(50, queue.get("max.queued"), "typed as the feature says (max.queued:Integer)");
        assertEquals(3, queue.get("max.attempts"));
        assertTrue(String.valueOf(queue.get(FeatureConfigurations.MARKER)).startsWith("io.kinora:kinora-features:slingosgifeature:core:"), queue.toString());
        Map<String, Object> rest = configuration(kinora.context(), "io.kinora.rest");
        assertEquals(262144, rest.get("max.scene.bytes"));
        assertEquals("", rest.get("anonymous.role"));
        // kinora-base's File Install watcher on models/, with ${kinora.home} substituted
        Map<String, Object> models = configuration(kinora.context(), "org.apache.felix.fileinstall~models");
        assertNotNull(models, "the models/ watcher of kinora-base: " + kinora.configurations());
        assertEquals(DIST.toAbsolutePath().normalize().resolve("models").toString(), models.get("felix.fileinstall.dir"));
        assertEquals("org.apache.felix.fileinstall", models.get("service.factoryPid"));
        assertTrue(kinora.configurations().stream().anyMatch(l -> l.startsWith("io.kinora.jobs.queue: default of io.kinora:kinora-features:slingosgifeature:core:")),
                kinora.configurations().toString());
    }

    /**
     * A second framework from a home beside the distribution (its bundles, a copy of its feature files, its own conf/
     * and models/), only at start level 1: Config Admin and File Install run, Kinora's bundles do not (the engine's
     * natives load once per JVM, and the framework above already has them). It is started, changed and restarted.
     */
    @Test
    void operatorConfigurationsWinOverFeatureDefaultsAcrossRestarts() throws Exception {
        Path home = WORK.resolve("config-it/home");
        Path work = WORK.resolve("config-it/work");
        KinoraFramework.deleteTree(WORK.resolve("config-it"));
        Files.createDirectories(home.resolve("lib/features"));
        Files.createSymbolicLink(home.resolve("bundles"), DIST.toAbsolutePath().resolve("bundles"));
        try (Stream<Path> s = Files.list(DIST.resolve("lib/features"))) {
            for (Path f : s.toList()) Files.copy(f, home.resolve("lib/features").resolve(f.getFileName()));
        }
        Path models = Files.createDirectories(home.resolve("models"));
        // the operator's own file for io.kinora.rest, there before the first start
        Files.writeString(Files.createDirectories(home.resolve("conf")).resolve("io.kinora.rest.config"), "max.scene.bytes=I\"4096\"\n");
        KinoraFramework.Options options = new KinoraFramework.Options(home, work, KinoraFramework.BOOT_LEVEL, "felix-cache", Map.of());

        Path model;
        try (Stream<Path> s = Files.list(DIST.resolve("models-available"))) {
            model = s.filter(p -> p.getFileName().toString().startsWith("io.kinora.models.parallax-1.1-")).findFirst().orElseThrow();
        }
        KinoraFramework first = KinoraFramework.start(options);
        try {
            assertEquals(List.of(), first.problems());
            BundleContext ctx = first.context();
            // a default from the feature is in force: kinora-base's watcher installs what is dropped into this home's models/
            Map<String, Object> queue = configuration(ctx, "io.kinora.jobs.queue");
            assertEquals(50, queue.get("max.queued"));
            Path tmp = Files.copy(model, home.resolve(model.getFileName() + ".part"));
            Files.move(tmp, models.resolve(model.getFileName()), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            Bundle dropped = awaitBundle(ctx, "/config-it/home/models/" + model.getFileName());
            assertNotNull(dropped, "File Install, configured by the feature's org.apache.felix.fileinstall~models, installs " + model.getFileName());
            assertEquals(8, dropped.adapt(org.osgi.framework.startlevel.BundleStartLevel.class).getStartLevel(),
                    "at the feature's felix.fileinstall.start.level");
            // the operator's conf/ file wins: File Install's values, not merged with the feature's
            Map<String, Object> rest = awaitConfiguration(ctx, "io.kinora.rest", c -> c.containsKey("felix.fileinstall.filename"));
            assertEquals(4096, rest.get("max.scene.bytes"), rest.toString());
            assertFalse(rest.containsKey("anonymous.role"), "the feature's io.kinora.rest default is not applied over conf/: " + rest);
            assertFalse(rest.containsKey(FeatureConfigurations.MARKER), rest.toString());
            assertTrue(first.configurations().contains("io.kinora.rest: the operator's conf/io.kinora.rest.config (default of "
                    + "io.kinora:kinora-features:slingosgifeature:web:" + System.getProperty("kinora.version", "0.1.0-SNAPSHOT") + " not applied)"),
                    first.configurations().toString());
            // the operator changes one value in the console (which keeps the configuration's other properties)
            change(ctx, "io.kinora.jobs.queue", Map.of("max.queued", 7));
        } finally {
            first.close();
        }
        // a new Kinora version changes two defaults: one of a configuration the operator changed, one of an untouched one
        replace(home.resolve("lib/features/kinora-core.json"), "\"max.attempts:Integer\": 3", "\"max.attempts:Integer\": 4");
        replace(home.resolve("lib/features/kinora-base.json"), "\"felix.fileinstall.poll\": \"2000\"", "\"felix.fileinstall.poll\": \"1500\"");
        KinoraFramework second = KinoraFramework.start(options);
        try {
            assertEquals(List.of(), second.problems());
            BundleContext ctx = second.context();
            Map<String, Object> queue = configuration(ctx, "io.kinora.jobs.queue");
            assertEquals(7, queue.get("max.queued"), "the restart keeps the operator's change: " + queue);
            assertEquals(3, queue.get("max.attempts"), "and does not apply a new default to a configuration the operator changed: " + queue);
            assertEquals("1500", configuration(ctx, "org.apache.felix.fileinstall~models").get("felix.fileinstall.poll"),
                    "an untouched default follows the feature");
            assertEquals(4096, configuration(ctx, "io.kinora.rest").get("max.scene.bytes"));
            assertTrue(second.configurations().contains("io.kinora.jobs.queue: changed by the operator since the launcher wrote it; kept"),
                    second.configurations().toString());
            assertNotNull(awaitBundle(ctx, "/config-it/home/models/" + model.getFileName()));
        } finally {
            second.close();
        }
        // deleting the operator's file hands the PID back to the feature at the next start
        Files.delete(home.resolve("conf/io.kinora.rest.config"));
        KinoraFramework third = KinoraFramework.start(options);
        try {
            Map<String, Object> rest = awaitConfiguration(third.context(), "io.kinora.rest", c -> c.containsKey(FeatureConfigurations.MARKER));
            assertEquals(262144, rest.get("max.scene.bytes"), rest.toString());
        } finally {
            third.close();
        }
    }

    static void replace(Path file, String from, String to) throws java.io.IOException {
        String text = Files.readString(file);
        assertTrue(text.contains(from), file + " contains " + from);
        Files.writeString(file, text.replace(from, to));
    }

    static Bundle awaitBundle(BundleContext ctx, String locationPart) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline) {
            for (Bundle b : ctx.getBundles()) if (b.getLocation().contains(locationPart)) return b;
            Thread.sleep(200);
        }
        return null;
    }

    static Map<String, Object> awaitConfiguration(BundleContext ctx, String pid, java.util.function.Predicate<Map<String, Object>> ready) throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        Map<String, Object> c = null;
        while (System.currentTimeMillis() < deadline) {
            c = configuration(ctx, pid);
            if (c != null && ready.test(c)) return c;
            Thread.sleep(200);
        }
        throw new AssertionError("configuration " + pid + " did not become ready within 30 s: " + c);
    }

    /** The properties of a configuration in the framework's Config Admin (reflectively: its API is inside the framework), or null. */
    static Map<String, Object> configuration(BundleContext ctx, String pid) throws Exception {
        return withConfiguration(ctx, pid, null);
    }

    /** Changes values of a configuration as the Web Console does: the other properties stay. */
    static void change(BundleContext ctx, String pid, Map<String, Object> values) throws Exception {
        assertNotNull(withConfiguration(ctx, pid, values), pid + " exists");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> withConfiguration(BundleContext ctx, String pid, Map<String, Object> changes) throws Exception {
        ServiceReference<?> ref = await(ctx, FeatureConfigurations.CM, null);
        assertNotNull(ref, "Config Admin runs");
        Object cm = ctx.getService(ref);
        try {
            Class<?> api = ref.getBundle().loadClass(FeatureConfigurations.CM);
            Class<?> type = ref.getBundle().loadClass("org.osgi.service.cm.Configuration");
            Object[] found = (Object[]) api.getMethod("listConfigurations", String.class).invoke(cm, "(service.pid=" + pid + ")");
            if (found == null || found.length == 0) return null;
            java.util.Dictionary<String, Object> d = (java.util.Dictionary<String, Object>) type.getMethod("getProperties").invoke(found[0]);
            if (changes != null) {
                changes.forEach(d::put);
                type.getMethod("update", java.util.Dictionary.class).invoke(found[0], d);
            }
            Map<String, Object> out = new java.util.TreeMap<>();
            for (java.util.Enumeration<String> k = d.keys(); k.hasMoreElements(); ) {
                String key = k.nextElement();
                out.put(key, d.get(key));
            }
            return out;
        } finally {
            ctx.ungetService(ref);
        }
    }
}
