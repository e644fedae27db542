package io.kinora.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The REST API of a running {@code kinora serve}: authentication and roles, submit → progress → download → verify,
 * a full queue answering 429 with Retry-After, and jobs surviving a graceful restart and a kill -9.
 */
class RestIT {
    static final Path DIST = Path.of(System.getProperty("kinora.dist", "target/kinora")).toAbsolutePath();
    static final Path WORK = Path.of(System.getProperty("kinora.repo", ".")).resolve("target/it-work").toAbsolutePath();
    static final String ALICE = "alice-password-123";
    static final String OLGA = "olga-password-1234";
    static final String TOKEN = "bot-token-" + UUID.randomUUID();
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    final ObjectMapper json = new ObjectMapper();
    Process server;
    int port;
    /** The Web Console's admin password, when this start generated one (no stored console credentials). */
    String consolePassword;

    @BeforeEach
    void configure() throws Exception {
        KinoraFramework.deleteTree(WORK.resolve("jobs"));
        SecureRandom r = new SecureRandom();
        String tokenHash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(TOKEN.getBytes(StandardCharsets.UTF_8)));
        Files.writeString(DIST.resolve("conf/io.kinora.rest.config"),
                "users=[\"alice:creator:" + Main.restPasswordHash(ALICE, r) + "\",\"olga:operator:" + Main.restPasswordHash(OLGA, r) + "\"]\n"
                        + "tokens=[\"" + tokenHash + ":bot:creator\"]\n"
                        + "max.model.bytes=L\"4096\"\n");
        Files.writeString(DIST.resolve("conf/io.kinora.jobs.queue.config"), "max.queued=I\"1\"\n");
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
    }

    @AfterEach
    void cleanUp() throws Exception {
        stop(false);
        Files.deleteIfExists(DIST.resolve("conf/io.kinora.rest.config"));
        Files.deleteIfExists(DIST.resolve("conf/io.kinora.jobs.queue.config"));
        Files.deleteIfExists(DIST.resolve("conf/" + Main.CONSOLE_PID + ".cfg"));
    }

    void start() throws Exception {
        server = new ProcessBuilder(DIST.resolve("bin/kinora").toString(), "--work", WORK.toString(), "serve", "--port", Integer.toString(port))
                .redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        for (String line; (line = out.readLine()) != null; ) {
            seen.append(line).append('\n');
            int i = line.indexOf("is stored): ");
            if (i >= 0) consolePassword = line.substring(i + "is stored): ".length()).trim();
            if (line.contains("Stop: Ctrl-C")) break;
        }
        assertTrue(seen.toString().contains("is running"), seen.toString());
        // the API answers once File Install has applied conf/ and the servlet is registered
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            try {
                if (send("GET", "/jobs", OLGA, null).statusCode() == 200) return;
            } catch (java.io.IOException ignored) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the REST API did not come up");
    }

    void stop(boolean kill) throws Exception {
        if (server == null) return;
        if (kill) server.destroyForcibly();
        else server.destroy();
        assertTrue(server.waitFor(60, TimeUnit.SECONDS));
        server = null;
    }

    HttpResponse<byte[]> send(String method, String path, String password, HttpRequest.BodyPublisher body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/kinora/api/v1" + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : body).timeout(Duration.ofSeconds(60));
        if (password != null) {
            String user = password.equals(ALICE) ? "alice" : "olga";
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
        for (int i = 0; i + 1 < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    JsonNode body(HttpResponse<byte[]> r) throws Exception {
        return json.readTree(r.body());
    }

    HttpResponse<byte[]> submit(String password, String sceneFile) throws Exception {
        return submit(password, DIST.resolve("samples/" + sceneFile));
    }

    HttpResponse<byte[]> submit(String password, Path scene) throws Exception {
        String boundary = "kinora" + UUID.randomUUID();
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        part(b, boundary, "image", "bottle.png", "image/png", Files.readAllBytes(DIST.resolve("samples/bottle.png")));
        part(b, boundary, "scene", "scene.json", "application/json", Files.readAllBytes(scene));
        b.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return send("POST", "/jobs", password, HttpRequest.BodyPublishers.ofByteArray(b.toByteArray()),
                "Content-Type", "multipart/form-data; boundary=" + boundary);
    }

    static void part(ByteArrayOutputStream b, String boundary, String name, String file, String type, byte[] data) throws Exception {
        b.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"; filename=\"" + file
                + "\"\r\nContent-Type: " + type + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        b.write(data);
        b.write("\r\n".getBytes(StandardCharsets.UTF_8));
    }

    JsonNode await(String id, String state) throws Exception {
        long deadline = System.currentTimeMillis() + 180_000;
        JsonNode j = null;
        while (System.currentTimeMillis() < deadline) {
            j = body(send("GET", "/jobs/" + id, OLGA, null));
            if (j.path("state").asText().equals(state)) return j;
            if (j.path("state").asText().matches("FAILED|CANCELLED")) break;
            Thread.sleep(200);
        }
        throw new AssertionError("job " + id + " did not reach " + state + ": " + j);
    }

    @Test
    void submitProgressDownloadVerifyWithRoles() throws Exception {
        start();
        assertEquals(401, send("GET", "/jobs", null, null).statusCode(), "no anonymous access");
        assertEquals(401, send("GET", "/jobs", "wrong-password-000", null).statusCode());
        HttpResponse<byte[]> submitted = submit(ALICE, "bottle-pan.json");
        assertEquals(202, submitted.statusCode(), new String(submitted.body(), StandardCharsets.UTF_8));
        String id = body(submitted).path("id").asText();
        assertTrue(submitted.headers().firstValue("Location").orElse("").endsWith("/jobs/" + id));

        boolean sawProgress = false;
        long deadline = System.currentTimeMillis() + 180_000;
        JsonNode j;
        do {
            j = body(send("GET", "/jobs/" + id, ALICE, null));
            double p = j.path("progress").asDouble();
            if (p > 0 && p < 1) sawProgress = true;
            Thread.sleep(100);
        } while (!j.path("state").asText().equals("SUCCEEDED") && System.currentTimeMillis() < deadline);
        assertEquals("SUCCEEDED", j.path("state").asText(), j.toString());
        assertTrue(sawProgress, "progress was reported while the job ran");

        HttpResponse<byte[]> bot = send("GET", "/jobs/" + id, null, null, "Authorization", "Bearer " + TOKEN);
        assertEquals(404, bot.statusCode(), "a creator cannot see another creator's job");
        assertEquals(0, body(send("GET", "/jobs", null, null, "Authorization", "Bearer " + TOKEN)).path("jobs").size());
        assertEquals(1, body(send("GET", "/jobs", OLGA, null)).path("jobs").size(), "an operator sees every job");

        HttpResponse<byte[]> clip = send("GET", "/jobs/" + id + "/results/clip.mp4", ALICE, null);
        assertEquals(200, clip.statusCode());
        assertEquals("video/mp4", clip.headers().firstValue("Content-Type").orElse(""));
        assertEquals("ftyp", new String(clip.body(), 4, 4, StandardCharsets.ISO_8859_1));
        HttpResponse<byte[]> range = send("GET", "/jobs/" + id + "/results/clip.mp4", ALICE, null, "Range", "bytes=0-99");
        assertEquals(206, range.statusCode());
        assertEquals(100, range.body().length);

        HttpResponse<byte[]> verify = send("POST", "/verify", ALICE, HttpRequest.BodyPublishers.ofByteArray(clip.body()), "Content-Type", "video/mp4");
        assertEquals(200, verify.statusCode());
        assertTrue(new String(verify.body(), StandardCharsets.UTF_8).contains("\"implicit-label\""));
        assertEquals(422, send("POST", "/verify", ALICE, HttpRequest.BodyPublishers.ofString("not a video"), "Content-Type", "video/mp4").statusCode());

        assertEquals(409, send("DELETE", "/jobs/" + id, ALICE, null).statusCode(), "cancelling a finished job");
        assertEquals(404, send("GET", "/jobs/job-unknown", ALICE, null).statusCode());
        assertEquals(415, send("POST", "/jobs", ALICE, HttpRequest.BodyPublishers.ofString("{}"), "Content-Type", "application/json").statusCode());
        JsonNode models = body(send("GET", "/models", ALICE, null));
        assertEquals("READY", models.path("models").get(0).path("state").asText(), models.toString());
        assertEquals("image-to-video", models.path("policies").get(0).path("family").asText(), models.toString());
        assertEquals(403, send("POST", "/models/image-to-video/latest", ALICE, null).statusCode(), "creators cannot change models");
        HttpResponse<byte[]> latest = send("POST", "/models/image-to-video/latest", OLGA, null);
        assertEquals(200, latest.statusCode(), new String(latest.body(), StandardCharsets.UTF_8));
        assertEquals("LATEST", body(latest).path("mode").asText());
        assertEquals(409, send("POST", "/models/image-to-video/activate?version=9.9.9", OLGA, null).statusCode(), "no such version");
        HttpResponse<byte[]> tooBig = send("POST", "/models?name=big.jar", OLGA, HttpRequest.BodyPublishers.ofByteArray(new byte[10_000]),
                "Content-Type", "application/java-archive");
        assertEquals(413, tooBig.statusCode(), new String(tooBig.body(), StandardCharsets.UTF_8));
        assertTrue(body(tooBig).path("error").asText().contains("max.model.bytes"), new String(tooBig.body(), StandardCharsets.UTF_8));
        JsonNode openapi = json.readTree(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/kinora/api/v1/openapi.json")).build(),
                HttpResponse.BodyHandlers.ofByteArray()).body());
        assertEquals("3.0.3", openapi.path("openapi").asText());
    }

    @Test
    void fullQueueAnswers429AndJobsSurviveRestartAndKill() throws Exception {
        start();
        String running = body(submit(OLGA, "two-speakers.json")).path("id").asText();
        await(running, "RUNNING");
        HttpResponse<byte[]> queued = submit(OLGA, "bottle-pan.json");
        assertEquals(202, queued.statusCode());
        String queuedId = body(queued).path("id").asText();
        HttpResponse<byte[]> busy = submit(OLGA, "bottle-pan.json");
        assertEquals(429, busy.statusCode(), new String(busy.body(), StandardCharsets.UTF_8));
        assertTrue(Integer.parseInt(busy.headers().firstValue("Retry-After").orElse("0")) > 0);
        assertTrue(body(busy).path("error").asText().startsWith("busy:"));

        stop(true);  // kill -9 while a job runs and another waits
        start();
        JsonNode resumed = await(running, "SUCCEEDED");
        JsonNode waited = await(queuedId, "SUCCEEDED");
        assertTrue(resumed.path("results").size() >= 2 && waited.path("results").size() >= 2);

        String third = body(submit(OLGA, "bottle-pan.json")).path("id").asText();
        await(third, "RUNNING");
        stop(false);  // a graceful stop puts the running job back in the queue
        start();
        await(third, "SUCCEEDED");
        assertEquals(3, body(send("GET", "/jobs", OLGA, null)).path("jobs").size(), "no job was lost");
    }
}
