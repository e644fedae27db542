package io.kinora.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad input against a running {@code kinora serve} (issue 7, "Bad input"): malformed JSON, a wrong content type,
 * uploads over each limit, an image over the pixel limit, model jars whose entries escape their folder, unknown job
 * ids, cancelling a finished job, and concurrent cancels of a running and of a queued job. Each gets a clear 4xx
 * naming the problem; afterwards the server still serves and every stored job is still there.
 */
class RestBadInputIT {
    static final long MAX_UPLOAD = 300_000;
    static final int MAX_SCENE = 2048;
    final RestIT api = new RestIT();

    @BeforeEach
    void configure() throws Exception {
        api.configure();
        Files.writeString(RestIT.DIST.resolve("conf/io.kinora.rest.config"),
                Files.readString(RestIT.DIST.resolve("conf/io.kinora.rest.config")).replace("max.model.bytes=L\"4096\"", "max.model.bytes=L\"1000000\"")
                        + "osgi.http.whiteboard.servlet.multipart.maxRequestSize=L\"" + MAX_UPLOAD + "\"\n"
                        + "max.scene.bytes=I\"" + MAX_SCENE + "\"\n");
        Files.writeString(RestIT.DIST.resolve("conf/io.kinora.jobs.queue.config"), "concurrency=I\"1\"\nmax.queued=I\"10\"\n");
        Files.deleteIfExists(RestIT.DIST.resolve("conf/" + Main.CONSOLE_PID + ".cfg")); // a fresh console password, to list bundles
    }

    @AfterEach
    void cleanUp() throws Exception {
        api.cleanUp();
    }

    HttpResponse<byte[]> multipart(List<Object[]> parts) throws Exception {
        String boundary = "kinora" + UUID.randomUUID();
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (Object[] p : parts) RestIT.part(b, boundary, (String) p[0], (String) p[1], (String) p[2], (byte[]) p[3]);
        b.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return api.send("POST", "/jobs", RestIT.OLGA, HttpRequest.BodyPublishers.ofByteArray(b.toByteArray()),
                "Content-Type", "multipart/form-data; boundary=" + boundary);
    }

    static byte[] bottle() throws Exception {
        return Files.readAllBytes(RestIT.DIST.resolve("samples/bottle.png"));
    }

    static byte[] scene() throws Exception {
        return Files.readAllBytes(RestIT.DIST.resolve("samples/bottle-pan.json"));
    }

    static String text(HttpResponse<byte[]> r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    JsonNode error(HttpResponse<byte[]> r, int status) throws Exception {
        assertEquals(status, r.statusCode(), text(r));
        assertEquals("application/json", r.headers().firstValue("Content-Type").orElse("").split(";")[0], text(r));
        JsonNode body = api.body(r);
        assertEquals(status, body.path("status").asInt(), text(r));
        assertFalse(text(r).contains("Exception") || text(r).contains("\tat "), "no stack trace: " + text(r));
        return body;
    }

    /** A model bundle jar (manifest and descriptor as a real one has) with one more entry of the given name. */
    static byte[] modelJar(String id, String evilEntry) throws Exception {
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        m.getMainAttributes().putValue("Bundle-ManifestVersion", "2");
        m.getMainAttributes().putValue("Bundle-SymbolicName", id);
        m.getMainAttributes().putValue("Bundle-Version", "1.0.0");
        m.getMainAttributes().putValue("Kinora-Model", id);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(b, m)) {
            jar.putNextEntry(new ZipEntry("META-INF/kinora/model.json"));
            jar.write(("{\"id\": \"" + id + "\", \"version\": \"1.0.0\", \"family\": \"image-to-video\", \"description\": \"evil\"}")
                    .getBytes(StandardCharsets.UTF_8));
            jar.closeEntry();
            jar.putNextEntry(new ZipEntry(evilEntry));
            jar.write("overwrite me".getBytes(StandardCharsets.UTF_8));
            jar.closeEntry();
        }
        return b.toByteArray();
    }

    /** The symbolic names of the bundles installed in the running framework (the Web Console's bundle list). */
    Set<String> bundles() throws Exception {
        assertNotNull(api.consolePassword, "the console password was shown at start");
        HttpResponse<byte[]> r = api.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port + "/system/console/bundles.json"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(("admin:" + api.consolePassword).getBytes(StandardCharsets.UTF_8)))
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode(), text(r));
        Set<String> names = new TreeSet<>();
        for (JsonNode b : api.body(r).path("data")) names.add(b.path("symbolicName").asText());
        assertTrue(names.contains("io.kinora.rest"), names.toString());
        return names;
    }

    Map<String, String> jobStates() throws Exception {
        HttpResponse<byte[]> r = api.send("GET", "/jobs", RestIT.OLGA, null);
        assertEquals(200, r.statusCode(), text(r));
        Map<String, String> states = new TreeMap<>();
        for (JsonNode j : api.body(r).path("jobs")) states.put(j.path("id").asText(), j.path("state").asText());
        return states;
    }

    @Test
    void badInputGetsAClear4xxAndNoStoredJobIsLost() throws Exception {
        api.start();
        HttpResponse<byte[]> first = multipart(List.of(new Object[]{"image", "bottle.png", "image/png", bottle()},
                new Object[]{"scene", "scene.json", "application/json", scene()}));
        assertEquals(202, first.statusCode(), text(first));
        String finished = api.body(first).path("id").asText();
        api.await(finished, "SUCCEEDED");
        Map<String, String> before = jobStates();
        assertEquals(Map.of(finished, "SUCCEEDED"), before);
        Set<String> bundlesBefore = bundles();
        JsonNode modelsBefore = api.body(api.send("GET", "/models", RestIT.OLGA, null)).path("models");

        // malformed scene JSON: 400 naming the line and the column
        byte[] malformed = "{\n  \"prompt\": \"a bottle\",\n  \"fps\": 24,,\n  \"seed\": 1\n}".getBytes(StandardCharsets.UTF_8);
        JsonNode bad = error(multipart(List.of(new Object[]{"image", "bottle.png", "image/png", bottle()},
                new Object[]{"scene", "scene.json", "application/json", malformed})), 400);
        String problem = bad.path("problems").get(0).path("message").asText();
        assertTrue(problem.matches("(?s)is not valid JSON at line 3, column \\d+: .+"), bad.toString());

        // a wrong content type, a missing part
        assertTrue(error(api.send("POST", "/jobs", RestIT.OLGA, HttpRequest.BodyPublishers.ofString("{}"), "Content-Type", "application/json"), 415)
                .path("error").asText().contains("multipart/form-data"));
        assertTrue(error(multipart(List.<Object[]>of(new Object[]{"image", "bottle.png", "image/png", bottle()})), 400)
                .path("error").asText().contains("'scene'"));

        // the whole upload over the limit: 413 naming the limit
        byte[] big = new byte[(int) MAX_UPLOAD + 50_000];
        new java.util.Random(1).nextBytes(big);
        JsonNode tooBig = error(multipart(List.of(new Object[]{"image", "big.png", "image/png", big},
                new Object[]{"scene", "scene.json", "application/json", scene()})), 413);
        assertTrue(tooBig.path("error").asText().contains(Long.toString(MAX_UPLOAD)), tooBig.toString());

        // a scene over its limit: 413 naming the limit
        byte[] longScene = ("{\"prompt\": \"" + "a bottle ".repeat(300) + "\"}").getBytes(StandardCharsets.UTF_8);
        JsonNode sceneTooBig = error(multipart(List.of(new Object[]{"image", "bottle.png", "image/png", bottle()},
                new Object[]{"scene", "scene.json", "application/json", longScene})), 413);
        assertTrue(sceneTooBig.path("error").asText().contains("the limit is " + MAX_SCENE), sceneTooBig.toString());

        // an image over the pixel limit (42 megapixels in a few kilobytes): refused at submission, never queued
        BufferedImage huge = new BufferedImage(7000, 6000, BufferedImage.TYPE_BYTE_BINARY);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        assertTrue(ImageIO.write(huge, "png", png));
        assertTrue(png.size() < MAX_UPLOAD, "the huge image is small in bytes: " + png.size());
        JsonNode pixels = error(multipart(List.of(new Object[]{"image", "huge.png", "image/png", png.toByteArray()},
                new Object[]{"scene", "scene.json", "application/json", scene()})), 400);
        assertEquals("image: 'huge.png' is 7000x6000 = 42000000 pixels; the limit is 40000000 (io.kinora.jobs.queue, max.image.pixels)",
                pixels.path("error").asText());
        JsonNode notImage = error(multipart(List.of(new Object[]{"image", "fake.png", "image/png", "not a picture".getBytes(StandardCharsets.UTF_8)},
                new Object[]{"scene", "scene.json", "application/json", scene()})), 400);
        assertTrue(notImage.path("error").asText().startsWith("image: 'fake.png' is not an image Kinora can read"), notImage.toString());

        // model jars whose entries escape their folder: refused, nothing installed
        for (String evil : List.of("../escaped.txt", "/etc/kinora-escaped.txt", "lib/../../escaped.txt")) {
            HttpResponse<byte[]> raw = api.send("POST", "/models?name=evil.jar", RestIT.OLGA,
                    HttpRequest.BodyPublishers.ofByteArray(modelJar("io.kinora.models.evil", evil)), "Content-Type", "application/java-archive");
            JsonNode refused = error(raw, 422);
            assertTrue(refused.path("error").asText().contains("archive entry \"" + evil + "\" escapes its folder"), refused.toString());
        }
        String boundary = "kinora" + UUID.randomUUID();
        ByteArrayOutputStream form = new ByteArrayOutputStream();
        RestIT.part(form, boundary, "file", "evil.jar", "application/java-archive", modelJar("io.kinora.models.evil", "../escaped.txt"));
        form.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        JsonNode viaForm = error(api.send("POST", "/models", RestIT.OLGA, HttpRequest.BodyPublishers.ofByteArray(form.toByteArray()),
                "Content-Type", "multipart/form-data; boundary=" + boundary), 422);
        assertTrue(viaForm.path("error").asText().contains("escapes its folder"), viaForm.toString());
        assertEquals(bundlesBefore, bundles(), "no bundle was installed");
        assertEquals(modelsBefore, api.body(api.send("GET", "/models", RestIT.OLGA, null)).path("models"), "no model version was added");
        assertFalse(Files.exists(RestIT.DIST.resolve("escaped.txt")) || Files.exists(Path.of("/etc/kinora-escaped.txt")));

        // unknown job ids, cancelling a finished job
        assertTrue(error(api.send("GET", "/jobs/job-20990101-0000000000", RestIT.OLGA, null), 404).path("error").asText()
                .contains("no job job-20990101-0000000000"));
        error(api.send("POST", "/jobs/job-20990101-0000000000/cancel", RestIT.OLGA, null), 404);
        error(api.send("GET", "/jobs/" + finished + "/results/nothing.mp4", RestIT.OLGA, null), 404);
        assertTrue(error(api.send("DELETE", "/jobs/" + finished, RestIT.OLGA, null), 409).path("error").asText()
                .contains("has already ended (SUCCEEDED)"));
        assertEquals(before, jobStates(), "no refused submission was stored");

        // two cancels at once of a running job and of a queued one
        String running = api.body(api.submit(RestIT.OLGA, "two-speakers.json")).path("id").asText();
        api.await(running, "RUNNING");
        HttpResponse<byte[]> q = api.submit(RestIT.OLGA, "bottle-pan.json");
        assertEquals(202, q.statusCode(), text(q));
        String queued = api.body(q).path("id").asText();
        assertEquals("QUEUED", jobStates().get(queued));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<HttpResponse<byte[]>>> cancels = new ArrayList<>();
        for (String id : List.of(running, running, queued, queued)) {
            cancels.add(pool.submit(() -> {
                go.await();
                return id.equals(running) ? api.send("POST", "/jobs/" + id + "/cancel", RestIT.OLGA, null)
                        : api.send("DELETE", "/jobs/" + id, RestIT.OLGA, null);
            }));
        }
        go.countDown();
        int[] accepted = new int[2];
        for (int i = 0; i < cancels.size(); i++) {
            HttpResponse<byte[]> r = cancels.get(i).get();
            assertTrue(r.statusCode() == 200 || r.statusCode() == 409, r.statusCode() + " " + text(r));
            if (r.statusCode() == 409) assertTrue(api.body(r).path("error").asText().contains("has already ended (CANCELLED)"), text(r));
            else accepted[i / 2]++;
        }
        pool.shutdown();
        assertTrue(accepted[0] >= 1 && accepted[1] >= 1, "each job's cancel was taken at least once");
        assertEquals("CANCELLED", api.body(api.send("GET", "/jobs/" + queued, RestIT.OLGA, null)).path("state").asText());
        long deadline = System.currentTimeMillis() + 120_000;
        String state;
        do {
            state = api.body(api.send("GET", "/jobs/" + running, RestIT.OLGA, null)).path("state").asText();
            if (!state.equals("CANCELLED")) Thread.sleep(100);
        } while (!state.equals("CANCELLED") && System.currentTimeMillis() < deadline);
        assertEquals("CANCELLED", state, "the running job ends CANCELLED");

        // the server still serves, and every stored job is still there
        Map<String, String> after = jobStates();
        assertEquals(Map.of(finished, "SUCCEEDED", running, "CANCELLED", queued, "CANCELLED"), after);
        HttpResponse<byte[]> clip = api.send("GET", "/jobs/" + finished + "/results/clip.mp4", RestIT.OLGA, null);
        assertEquals(200, clip.statusCode());
        assertEquals("ftyp", new String(clip.body(), 4, 4, StandardCharsets.ISO_8859_1));
        try (java.util.stream.Stream<Path> dirs = Files.list(RestIT.WORK.resolve("jobs"))) {
            assertEquals(Set.of(finished, running, queued), dirs.filter(Files::isDirectory).map(p -> p.getFileName().toString())
                    .collect(java.util.stream.Collectors.toSet()), "refused submissions left no folder");
        }
    }
}
