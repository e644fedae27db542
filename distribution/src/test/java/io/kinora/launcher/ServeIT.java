package io.kinora.launcher;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code kinora serve}: HTTP on localhost only, the Web Console protected by a generated password (no default),
 * every bundle active at the server start level.
 */
class ServeIT {
    static final Path DIST = Path.of(System.getProperty("kinora.dist", "target/kinora")).toAbsolutePath();
    static final Path WORK = Path.of(System.getProperty("kinora.repo", ".")).resolve("target/it-work").toAbsolutePath();

    @Test
    void consoleIsUpOnLocalhostAndNeedsTheGeneratedPassword() throws Exception {
        Path credentials = DIST.resolve("conf/" + Main.CONSOLE_PID + ".cfg");
        Files.deleteIfExists(credentials);
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Process p = new ProcessBuilder(DIST.resolve("bin/kinora").toString(), "--work", WORK.toString(), "serve", "--port", Integer.toString(port))
                .redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String password = null;
            StringBuilder seen = new StringBuilder();
            long deadline = System.currentTimeMillis() + 120_000;
            for (String line; System.currentTimeMillis() < deadline && (line = out.readLine()) != null; ) {
                seen.append(line).append('\n');
                int i = line.indexOf("is stored): ");
                if (i >= 0) password = line.substring(i + "is stored): ".length()).trim();
                if (line.contains("Stop: Ctrl-C")) break;
            }
            assertNotNull(password, "a password is generated and shown once:\n" + seen);
            assertTrue(!seen.toString().contains("some bundles are not active"), seen.toString());
            String stored = Files.readString(credentials);
            assertTrue(stored.contains("password={sha-256}") && !stored.contains(password), "only the hash is stored");

            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
            URI bundles = URI.create("http://127.0.0.1:" + port + "/system/console/bundles.json");
            HttpResponse<String> anonymous = awaitResponse(http, HttpRequest.newBuilder(bundles).build());
            assertEquals(401, anonymous.statusCode(), "no anonymous access");
            assertEquals(401, http.send(withAuth(bundles, "admin", "admin"), HttpResponse.BodyHandlers.ofString()).statusCode(),
                    "no default password");
            HttpResponse<String> ok = http.send(withAuth(bundles, "admin", password), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, ok.statusCode());
            assertTrue(ok.body().matches("(?s).*all \\d+ bundles active.*"), ok.body().substring(0, Math.min(300, ok.body().length())));
            for (String bsn : List.of("io.kinora.jobs", "io.kinora.engine", "org.apache.felix.webconsole", "org.apache.felix.http.jetty12",
                    "io.kinora.rest", "io.kinora.webconsole")) {
                assertTrue(ok.body().contains("\"symbolicName\":\"" + bsn + "\""), bsn + " is listed");
            }
            // Kinora's console pages render inside the console frame and serve their data
            for (String page : List.of("kinora-jobs", "kinora-voices", "kinora-models", "kinora-provenance")) {
                URI uri = URI.create("http://127.0.0.1:" + port + "/system/console/" + page);
                HttpResponse<String> html = http.send(withAuth(uri, "admin", password), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, html.statusCode(), page);
                assertTrue(html.body().contains("<title>Apache Felix Web Console - Kinora"), page + " is framed by the console");
                assertEquals(401, http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).statusCode());
                HttpResponse<String> data = http.send(withAuth(URI.create(uri + "/data.json"), "admin", password), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, data.statusCode(), page + "/data.json");
                assertTrue(data.body().startsWith("{"), data.body());
            }
            HttpResponse<String> voicesJson = http.send(withAuth(URI.create("http://127.0.0.1:" + port + "/system/console/kinora-voices/data.json"), "admin", password),
                    HttpResponse.BodyHandlers.ofString());
            assertTrue(voicesJson.body().contains("\"kevin\""), voicesJson.body());
            HttpResponse<String> inventory = http.send(withAuth(URI.create("http://127.0.0.1:" + port + "/system/console/status-kinora.json"), "admin", password),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, inventory.statusCode());
            assertTrue(inventory.body().contains("\"jobCounts\""), inventory.body());
        } finally {
            p.destroy();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "serve stops on SIGTERM");
            Files.deleteIfExists(credentials);
        }
    }

    private static HttpRequest withAuth(URI uri, String user, String password) {
        String token = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return HttpRequest.newBuilder(uri).header("Authorization", "Basic " + token).build();
    }

    private static HttpResponse<String> awaitResponse(HttpClient http, HttpRequest req) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        while (true) {
            try {
                return http.send(req, HttpResponse.BodyHandlers.ofString());
            } catch (java.io.IOException e) {
                if (System.currentTimeMillis() > deadline) throw e;
                Thread.sleep(250);
            }
        }
    }
}
