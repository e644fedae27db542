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
}
