package io.kinora.features.internal;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Installs Kinora into Apache Karaf 4.4 the way an operator does: the generated features XML is added as a repository
 * ({@code feature:repo-add}) and {@code kinora-core} is installed ({@code feature:install}) from a Maven-layout
 * repository the build made from the reactor (Karaf runs offline: no remote repositories). Asserts every Kinora bundle
 * of the feature is Active, the services are registered, the model registry took the default model, and a signed
 * clip is made and verified through Kinora's CLI service from Karaf's shell.
 * Karaf listens on 127.0.0.1 on free ports (SSH, JMX) and is stopped, or killed, after the test.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KarafIT {
    static Path karaf;
    static Process process;
    static int sshPort;
    static int httpPort;
    /** An operator's bearer token for Kinora's REST API (only its SHA-256 goes into the configuration). */
    static final String TOKEN = "karaf-it-" + Long.toHexString(System.nanoTime());
    static String version;
    static Path log;

    @BeforeAll
    static void startKaraf() throws Exception {
        Path unpacked = Path.of(System.getProperty("kinora.karaf.unpacked"));
        Path repo = Path.of(System.getProperty("kinora.repository")).toAbsolutePath();
        Path featuresXml = Path.of(System.getProperty("kinora.karaf.features"));
        version = System.getProperty("kinora.version");
        Path runs = Path.of(System.getProperty("kinora.karaf.runs"));
        deleteTree(runs); // an earlier run's copy (its Karaf was stopped or killed at its end)
        karaf = runs.resolve("karaf-" + System.currentTimeMillis());
        copyTree(unpacked, karaf);
        Files.walk(karaf.resolve("bin")).filter(Files::isRegularFile).forEach(p -> p.toFile().setExecutable(true));

        // the features XML goes where a Maven deployment puts it: mvn:io.kinora/kinora-features/<v>/xml/features
        Path xmlInRepo = repo.resolve("io/kinora/kinora-features/" + version + "/kinora-features-" + version + "-features.xml");
        Files.createDirectories(xmlInRepo.getParent());
        Files.copy(featuresXml, xmlInRepo, StandardCopyOption.REPLACE_EXISTING);

        Path etc = karaf.resolve("etc");
        Files.writeString(etc.resolve("org.ops4j.pax.url.mvn.cfg"), String.join("\n",
                "# written by KarafIT: offline, the build's repository and Karaf's own system folder only",
                "org.ops4j.pax.url.mvn.useFallbackRepositories=false",
                "org.ops4j.pax.url.mvn.offline=true",
                "org.ops4j.pax.url.mvn.localRepository=" + karaf.resolve("m2"),
                "org.ops4j.pax.url.mvn.defaultRepositories=${karaf.home.uri}${karaf.default.repository}@id=system.repository@snapshots, "
                        + repo.toUri() + "@id=kinora@snapshots",
                "org.ops4j.pax.url.mvn.repositories=", ""));
        sshPort = freePort();
        replace(etc.resolve("org.apache.karaf.shell.cfg"), "(?m)^sshPort\\s*=.*$", "sshPort = " + sshPort);
        replace(etc.resolve("org.apache.karaf.shell.cfg"), "(?m)^sshHost\\s*=.*$", "sshHost = 127.0.0.1");
        replace(etc.resolve("org.apache.karaf.management.cfg"), "(?m)^rmiRegistryPort\\s*=.*$", "rmiRegistryPort = " + freePort());
        replace(etc.resolve("org.apache.karaf.management.cfg"), "(?m)^rmiServerPort\\s*=.*$", "rmiServerPort = " + freePort());
        Files.writeString(etc.resolve("users.properties"),
                "karaf = karaf,_g_:admingroup\n_g_\\:admingroup = group,admin,manager,viewer,systembundles,ssh\n");
        Files.writeString(etc.resolve("system.properties"), "\nkinora.work=" + karaf.resolve("kinora-work") + "\n",
                java.nio.file.StandardOpenOption.APPEND);
        // Pax Web (installed later by kinora-web) on a free port; an existing configuration wins over the feature's default
        httpPort = freePort();
        Files.writeString(etc.resolve("org.ops4j.pax.web.cfg"), String.join("\n",
                "org.osgi.service.http.enabled = true",
                "org.osgi.service.http.port = " + httpPort,
                "org.osgi.service.http.secure.enabled = false",
                "javax.servlet.context.tempdir = ${karaf.data}/pax-web/tmp", ""));

        log = karaf.resolve("karaf-console.log");
        ProcessBuilder pb = new ProcessBuilder(karaf.resolve("bin/karaf").toString(), "server")
                .directory(karaf.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("JAVA_MAX_MEM", "2048M");
        pb.environment().put("EXTRA_JAVA_OPTS", "-Xss2m");
        pb.environment().put("OMP_WAIT_POLICY", "PASSIVE");
        process = pb.start();

        // the SSH console answers once Karaf's shell is up
        String out = client(120, "bundle:list -s -t 0 --no-format");
        assertTrue(out.contains("org.apache.karaf.features.core"), out);
        String repoUrl = "mvn:io.kinora/kinora-features/" + version + "/xml/features";
        client(5, "feature:repo-add " + repoUrl);
        client(5, "feature:install kinora-core");
    }

    @AfterAll
    static void stopKaraf() throws Exception {
        if (process == null) return;
        try {
            if (process.isAlive()) {
                try {
                    run(60, karaf.resolve("bin/stop").toString());
                } catch (Exception e) {
                    // fall through to the kill below
                }
                if (!process.waitFor(60, TimeUnit.SECONDS)) kill();
            }
        } finally {
            kill();
        }
    }

    private static void kill() throws InterruptedException {
        if (!process.isAlive()) return;
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Test
    @Order(1)
    void everyKinoraBundleIsActive() throws Exception {
        String xml = Files.readString(Path.of(System.getProperty("kinora.karaf.features")));
        List<String> expected = new ArrayList<>();
        Matcher m = Pattern.compile("<bundle[^>]*>mvn:io\\.kinora/([^/]+)/").matcher(
                xml.substring(xml.indexOf("name=\"kinora-core\""), xml.indexOf("\n  </feature>", xml.indexOf("name=\"kinora-core\""))));
        while (m.find()) expected.add(m.group(1));
        assertTrue(expected.size() >= 9, expected.toString());

        long deadline = System.currentTimeMillis() + 150_000;
        String list = "";
        List<String> notActive = expected;
        while (System.currentTimeMillis() < deadline) {
            list = client(3, "bundle:list -l -t 0 --no-format"); // with locations: mvn:io.kinora/<artifactId>/<version>
            String snapshot = list;
            notActive = expected.stream().filter(a -> !Pattern.compile("(?m)\\bActive\\b.*mvn:io\\.kinora/" + Pattern.quote(a) + "/")
                    .matcher(snapshot).find()).toList();
            if (notActive.isEmpty()) break;
            Thread.sleep(3000);
        }
        assertEquals(List.of(), notActive, "Kinora bundles not Active in Karaf:\n" + list);
    }

    @Test
    @Order(2)
    void servicesAndComponentsAreUp() throws Exception {
        long deadline = System.currentTimeMillis() + 150_000;
        String models = "";
        while (System.currentTimeMillis() < deadline) {
            String services = client(3, "service:list io.kinora.api.generation.GenerationService");
            String jobs = client(3, "service:list io.kinora.api.jobs.JobService");
            models = client(3, "kinora:models");
            if (services.contains("io.kinora.api.generation.GenerationService") && services.contains("io.kinora.jobs.internal.GenerationServiceImpl")
                    && jobs.contains("io.kinora.jobs.internal.JobServiceImpl") && Pattern.compile("(?m)^.*parallax.*\\bREADY\\b").matcher(models).find()) {
                return;
            }
            Thread.sleep(3000);
        }
        fail("GenerationService, its components and the parallax model did not come up in Karaf; kinora:models says:\n" + models
                + "\nKaraf log tail:\n" + tail(karaf.resolve("data/log/karaf.log"), 60));
    }

    @Test
    @Order(3)
    void aSignedClipIsMadeInsideKaraf() throws Exception {
        // Kinora's CLI is a service (java.util.function.Function, kinora.cli=main); Karaf's Gogo shell calls it directly
        Path scene = Path.of(System.getProperty("kinora.samples"), "two-speakers.json").toAbsolutePath();
        Path clip = karaf.resolve("clips/two-speakers.mp4");
        Files.createDirectories(clip.getParent());
        String cli = "cli = ($.context getService ($.context getServiceReference java.util.function.Function))\n";
        String generate = client(3, cli + "echo ($cli apply (\"generate --scene " + scene + " --out " + clip + "\" split \" \"))");
        assertEquals("0", generate.trim(), "kinora generate exit code");
        assertTrue(Files.size(clip) > 100_000, clip + " has " + Files.size(clip) + " bytes");
        String report = Files.readString(karaf.resolve("clips/two-speakers.report.json"));
        assertTrue(report.contains("\"parallax\""), report);
        // verify reads back every provenance layer (C2PA manifest, labels, watermark): 0 = present and valid
        String verify = client(3, cli + "echo ($cli apply (\"verify " + clip + "\" split \" \"))");
        assertEquals("0", verify.trim(), "kinora verify exit code");
    }

    @Test
    @Order(4)
    void hostConfigurationsFromTheFeatureAreApplied() throws Exception {
        String cfg = client(3, "config:property-list --pid io.kinora.jobs.queue");
        assertTrue(cfg.contains("concurrency") && cfg.contains("max.queued"), cfg);
    }

    @Test
    @Order(5)
    void aHostWithoutAnHttpWhiteboardGetsOneMessageNamingIt() throws Exception {
        // The REST bundle alone, in a Karaf that has no HTTP service yet: it cannot resolve, and Kinora's core says why.
        client(3, "bundle:install mvn:io.kinora/io.kinora.rest/" + version);
        Path karafLog = karaf.resolve("data/log/karaf.log");
        long deadline = System.currentTimeMillis() + 60_000;
        List<String> warnings = List.of();
        while (System.currentTimeMillis() < deadline) {
            // the whole line (the log may be read while the line is half written)
            warnings = Files.readAllLines(karafLog).stream().filter(l -> l.contains("Kinora REST API (io.kinora.rest")).toList();
            if (!warnings.isEmpty() && warnings.get(0).endsWith(").")) break;
            Thread.sleep(1000);
        }
        assertEquals(1, warnings.size(), "one warning for the REST bundle; log tail:\n" + tail(karafLog, 40));
        String w = warnings.get(0);
        for (String expected : List.of("WARN", "is off, the rest of Kinora keeps running: this host lacks",
                "an OSGi HTTP Whiteboard (osgi.implementation=osgi.http", "the Servlet API (javax.servlet, javax.servlet.http")) {
            assertTrue(w.contains(expected), "'" + expected + "' in: " + w);
        }
        // ... and the rest keeps running: the models still answer, the core bundles are still Active
        assertTrue(Pattern.compile("(?m)^.*parallax.*\\bREADY\\b").matcher(client(3, "kinora:models")).find());
        Thread.sleep(HOST_CHECK_SETTLE_MILLIS + 2000);
        assertEquals(1, Files.readAllLines(karafLog).stream().filter(l -> l.contains("Kinora REST API (io.kinora.rest")).count(),
                "the warning is not repeated");
        // the operator removes the bundle again; the kinora feature installs it with what it needs
        client(3, "bundle:uninstall io.kinora.rest");
    }

    @Test
    @Order(6)
    void theKinoraFeatureServesTheRestApiAndTheConsolePagesThroughPaxWeb() throws Exception {
        String sha = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(TOKEN.getBytes(StandardCharsets.UTF_8)));
        client(3, "config:edit io.kinora.rest\nconfig:property-set tokens " + sha + ":ops:operator\nconfig:update");
        // kinora = kinora-core + kinora-web (Karaf's http-whiteboard on Pax Web 8 / Jetty 9.4, and Karaf's Web Console)
        client(3, "feature:install kinora");
        Path karafLog = karaf.resolve("data/log/karaf.log");
        java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder().connectTimeout(java.time.Duration.ofSeconds(5)).build();
        String base = "http://127.0.0.1:" + httpPort;
        long deadline = System.currentTimeMillis() + 120_000;
        java.net.http.HttpResponse<String> api = null;
        while (System.currentTimeMillis() < deadline) {
            try {
                api = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/kinora/api/v1/voices"))
                        .header("Authorization", "Bearer " + TOKEN).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
                if (api.statusCode() == 200) break;
            } catch (IOException notYet) {
                // Pax Web not listening yet
            }
            Thread.sleep(2000);
        }
        assertTrue(api != null && api.statusCode() == 200 && api.body().contains("\"slt\""),
                "the REST API answers with the voice catalogue: " + (api == null ? "no answer" : api.statusCode() + " " + api.body())
                        + "\nKaraf log tail:\n" + tail(karafLog, 40));
        java.net.http.HttpResponse<String> anonymous = http.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(base + "/kinora/api/v1/jobs")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(401, anonymous.statusCode(), "no credentials, no access");
        // the clip made in Karaf earlier, verified through the REST API: a valid C2PA manifest
        byte[] clip = Files.readAllBytes(karaf.resolve("clips/two-speakers.mp4"));
        java.net.http.HttpResponse<String> verify = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/kinora/api/v1/verify"))
                .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "video/mp4")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(clip)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(200, verify.statusCode(), verify.body());
        assertTrue(verify.body().contains("valid manifest"), verify.body());
        // Kinora's pages inside Karaf's Web Console (JAAS realm karaf, role admin)
        String basic = "Basic " + java.util.Base64.getEncoder().encodeToString("karaf:karaf".getBytes(StandardCharsets.UTF_8));
        for (String[] page : new String[][]{{"kinora-jobs", "Kinora Jobs"}, {"kinora-models", "Kinora Models"},
                {"kinora-voices", "Kinora Voices"}, {"kinora-provenance", "Kinora Provenance"}}) {
            java.net.http.HttpResponse<String> r = null;
            long until = System.currentTimeMillis() + 60_000;
            while (System.currentTimeMillis() < until) {
                r = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/system/console/" + page[0]))
                        .header("Authorization", basic).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) break;
                Thread.sleep(2000);
            }
            assertTrue(r != null && r.statusCode() == 200 && r.body().contains(page[1]),
                    page[0] + ": " + (r == null ? "no answer" : r.statusCode() + "\n" + r.body().substring(0, Math.min(500, r.body().length()))));
        }
    }

    /** {@code io.kinora.jobs.internal.HostCheck.SETTLE_MILLIS}. */
    static final long HOST_CHECK_SETTLE_MILLIS = 5_000;

    /**
     * One command through Karaf's SSH console (bin/client in batch mode, the command on stdin), retrying the connection
     * {@code retries} times. The output is piped through the shell's {@code cat}: Karaf 4.4's client otherwise loses
     * the output of commands that print to the session without a pipe.
     */
    static String client(int retries, String command) throws Exception {
        String line = command.contains("|") || command.contains("echo (") ? command : command + " | cat";
        return runWithInput(240, line + "\n", karaf.resolve("bin/client").toString(), "-a", Integer.toString(sshPort), "-h", "127.0.0.1",
                "-u", "karaf", "-p", "karaf", "-r", Integer.toString(retries), "-d", "2", "-b");
    }

    static String run(int timeoutSeconds, String... cmd) throws Exception {
        return runWithInput(timeoutSeconds, null, cmd);
    }

    static String runWithInput(int timeoutSeconds, String stdin, String... cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(karaf.toFile()).redirectErrorStream(true);
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Path out = Files.createTempFile(karaf, "client", ".out");
        pb.redirectOutput(out.toFile());
        if (stdin == null) pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p = pb.start();
        if (stdin != null) {
            try (var in = p.getOutputStream()) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            fail(String.join(" ", cmd) + " did not finish within " + timeoutSeconds + " s");
        }
        String text = Files.readString(out, StandardCharsets.UTF_8);
        Files.delete(out);
        if (p.exitValue() != 0) fail(String.join(" ", cmd) + " exited " + p.exitValue() + ":\n" + text
                + "\nKaraf console:\n" + tail(log, 40));
        return text;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static void replace(Path file, String regex, String replacement) throws IOException {
        String s = Files.readString(file);
        String r = s.replaceAll(regex, Matcher.quoteReplacement(replacement));
        if (r.equals(s)) throw new IllegalStateException(regex + " not found in " + file);
        Files.writeString(file, r);
    }

    static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no " + file + ")";
        }
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(t);
                else Files.copy(p, t, StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) Files.deleteIfExists(p);
        }
    }
}
