package io.kinora.launcher;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Kinora's Web Console pages in a real headless browser (Debian's chromium): a job submitted from the Jobs page
 * runs until its progress bar is full, the Voices page lists the catalogue, and a verify upload on the Provenance
 * page shows each layer. Screenshots are kept in target/screenshots.
 */
class ConsoleBrowserIT {
    static final Path DIST = Path.of(System.getProperty("kinora.dist", "target/kinora")).toAbsolutePath();
    static final Path WORK = Path.of(System.getProperty("kinora.repo", ".")).resolve("target/it-work").toAbsolutePath();
    static final Path SHOTS = DIST.getParent().resolve("screenshots");
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    @Test
    void pagesWorkInABrowser() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM), "Debian's chromium is not installed (.ci/run installs it)");
        Path credentials = DIST.resolve("conf/" + Main.CONSOLE_PID + ".cfg");
        Files.deleteIfExists(credentials);
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Process server = new ProcessBuilder(DIST.resolve("bin/kinora").toString(), "--work", WORK.toString(), "serve", "--port", Integer.toString(port))
                .redirectErrorStream(true).start();
        try (Cdp browser = Cdp.launch(CHROMIUM)) {
            BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
            String password = null;
            for (String line; (line = out.readLine()) != null; ) {
                int i = line.indexOf("is stored): ");
                if (i >= 0) password = line.substring(i + 12).trim();
                if (line.contains("Stop: Ctrl-C")) break;
            }
            assertNotNull(password);
            Map<String, String> auth = Map.of("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString(("admin:" + password).getBytes(StandardCharsets.UTF_8)));
            String console = "http://127.0.0.1:" + port + "/system/console/";

            browser.open(console + "kinora-jobs", auth);
            browser.waitFor("document.querySelector('#submit')", 30);
            browser.setFile("#submit input[name=image]", DIST.resolve("samples/bottle.png"));
            browser.setFile("#submit input[name=scene]", DIST.resolve("samples/bottle-pan.json"));
            browser.eval("document.querySelector('#submit button').click()");
            browser.waitFor("/queued job-/.test(document.getElementById('submitResult').textContent)", 30);
            String id = browser.eval("document.getElementById('submitResult').textContent.replace('queued ', '')").asText();
            browser.waitFor("document.querySelector('#job-" + id + " progress') && document.querySelector('#job-" + id + " progress').value > 0", 120);
            browser.screenshot(SHOTS.resolve("kinora-jobs-running.png"));
            browser.waitFor("document.querySelector('#job-" + id + " [data-state]').getAttribute('data-state') === 'SUCCEEDED'", 180);
            assertEquals(1.0, browser.eval("document.querySelector('#job-" + id + " progress').value").asDouble(), "the progress bar is full");
            assertTrue(browser.eval("[...document.querySelectorAll('#job-" + id + " a')].map(a => a.textContent).join(' ')").asText().contains("clip.mp4"));
            browser.eval("[...document.querySelectorAll('#job-" + id + " button')].find(b => b.textContent === 'Play').click()");
            browser.waitFor("document.querySelector('#job-" + id + " video') && document.querySelector('#job-" + id + " video').readyState >= 1", 30);
            assertTrue(browser.eval("document.querySelector('#job-" + id + " video').duration").asDouble() > 4, "the inline player loads the clip");
            browser.screenshot(SHOTS.resolve("kinora-jobs-done.png"));

            // a second job, cancelled with its Cancel button while it runs
            browser.setFile("#submit input[name=image]", DIST.resolve("samples/bottle.png"));
            browser.setFile("#submit input[name=scene]", DIST.resolve("samples/two-speakers.json"));
            browser.eval("document.querySelector('#submit button').click()");
            browser.waitFor("/queued job-/.test(document.getElementById('submitResult').textContent)"
                    + " && !document.getElementById('submitResult').textContent.includes('" + id + "')", 30);
            String second = browser.eval("document.getElementById('submitResult').textContent.replace('queued ', '')").asText();
            String row = "#job-" + second;
            browser.waitFor("document.querySelector('" + row + " [data-state]') && document.querySelector('" + row + " [data-state]').getAttribute('data-state') === 'RUNNING'", 120);
            browser.screenshot(SHOTS.resolve("kinora-jobs-before-cancel.png"));
            browser.eval("[...document.querySelectorAll('" + row + " button')].find(b => b.textContent === 'Cancel').click()");
            browser.waitFor("document.querySelector('" + row + " [data-state]').getAttribute('data-state') === 'CANCELLED'", 60);
            assertTrue(browser.eval("document.querySelector('" + row + " .FAILED').textContent").asText().startsWith("cancelled while"),
                    "the row says why it ended");
            assertEquals(0, browser.eval("[...document.querySelectorAll('" + row + " button')].filter(b => b.textContent === 'Cancel').length").asInt(),
                    "a cancelled job has no Cancel button");
            assertEquals("SUCCEEDED", browser.eval("document.querySelector('#job-" + id + " [data-state]').getAttribute('data-state')").asText(),
                    "the first job is unaffected");
            browser.screenshot(SHOTS.resolve("kinora-jobs-cancelled.png"));

            browser.open(console + "kinora-voices", auth);
            browser.waitFor("document.querySelectorAll('#voices tbody tr').length >= 4", 30);
            // the first voice's preview: an <audio> element whose source the browser loads and can play
            browser.eval("document.querySelector('#voices tbody tr td:last-child button').click()");
            String audio = "document.querySelector('#voices tbody tr td:last-child audio')";
            browser.waitFor(audio + " && (" + audio + ".readyState >= 1 || " + audio + ".error)", 120);
            String audioError = browser.eval(audio + ".error ? 'error ' + " + audio + ".error.code + ': ' + " + audio + ".error.message : ''").asText();
            assertEquals("", audioError, "the preview decodes in the browser");
            assertTrue(browser.eval(audio + ".src").asText().endsWith(".wav"));
            assertTrue(browser.eval(audio + ".duration").asDouble() > 0.3, "the preview has sound to play");
            assertTrue(!browser.eval(audio + ".canPlayType('audio/wav')").asText().isEmpty(), "the browser plays WAV");
            assertEquals("RIFF", browser.eval("fetch(" + audio + ".src).then(r => r.arrayBuffer()).then(b => String.fromCharCode(...new Uint8Array(b).slice(0, 4)))").asText());
            browser.screenshot(SHOTS.resolve("kinora-voices.png"));

            browser.open(console + "kinora-provenance", auth);
            browser.waitFor("document.querySelector('#verify')", 30);
            // the signing identity and the trust anchors, and that the local CA is not a publicly trusted identity
            browser.waitFor("document.querySelector('#identity tr[data-key=\"publiclyTrusted\"]')", 30);
            assertTrue(browser.eval("document.querySelector('#identity tr[data-key=\"publiclyTrusted\"] td').textContent").asText().startsWith("no:"));
            assertTrue(browser.eval("document.querySelector('#identity tr[data-key=\"trustAnchors\"] td').textContent").asText().contains("local Kinora CA"));
            Path clip = WORK.resolve("jobs").resolve(id).resolve("results/clip.mp4");
            browser.setFile("#verify input[name=file]", clip);
            browser.eval("document.querySelector('#verify button').click()");
            browser.waitFor("document.querySelector('#layers tr[data-layer=\"implicit-label\"]')", 30);
            assertEquals("yes", browser.eval("document.querySelector('#layers tr[data-layer=\"implicit-label\"] td:nth-child(2)').textContent").asText());
            // every layer is shown: the visible and audio labels, the implicit label, the C2PA manifest, the watermark
            for (String layer : java.util.List.of("visible-label", "audio-label", "implicit-label", "c2pa", "watermark")) {
                String tr = "document.querySelector('#layers tr[data-layer=\"" + layer + "\"]')";
                assertTrue(browser.eval("!!" + tr).asBoolean(), "the layer " + layer + " is shown");
                assertTrue(browser.eval(tr + ".querySelector('td:nth-child(2)').textContent").asText().matches("yes|no"), layer);
                assertTrue(!browser.eval(tr + ".querySelector('td:nth-child(3)').textContent").asText().isBlank(), "the layer " + layer + " says why");
            }
            assertEquals("yes", browser.eval("document.querySelector('#layers tr[data-layer=\"c2pa\"] td:nth-child(2)').textContent").asText(),
                    "the clip carries its signed C2PA manifest");
            browser.screenshot(SHOTS.resolve("kinora-provenance-verify.png"));

            // Models: upload a second parallax version, give it a 30 % canary, roll it back
            Path v11;
            try (java.util.stream.Stream<Path> jars = Files.list(DIST.resolve("models-available"))) {
                v11 = jars.filter(p -> p.getFileName().toString().startsWith("io.kinora.models.parallax-1.1-")).findFirst().orElseThrow();
            }
            browser.open(console + "kinora-models", auth);
            browser.waitFor("document.querySelector('#models tr[data-key^=\"parallax:\"]')", 60);
            browser.setFile("#upload input[name=file]", v11);
            browser.eval("document.querySelector('#upload button').click()");
            browser.waitFor("document.querySelector('#models tr[data-key=\"parallax:1.1.0\"] td.READY')", 60);
            browser.eval("window.kinoraCanaryPercent = '30'; [...document.querySelectorAll('#models tr[data-key=\"parallax:1.1.0\"] button')].find(b => b.textContent === 'Canary').click()");
            browser.waitFor("/30 % of new jobs to parallax:1.1.0/.test(document.getElementById('policies').textContent)", 30);
            browser.screenshot(SHOTS.resolve("kinora-models-canary.png"));
            browser.eval("[...document.querySelectorAll('#policies button')].find(b => b.textContent === 'Roll back').click()");
            browser.waitFor("!/30 %/.test(document.getElementById('policies').textContent) && document.querySelector('#models tr[data-key=\"parallax:1.1.0\"] td.FAILED')", 30);
            browser.eval("window.kinoraNoConfirm = true; [...document.querySelectorAll('#models tr[data-key=\"parallax:1.1.0\"] button')].find(b => b.textContent === 'Uninstall').click()");
            browser.waitFor("/uninstalled/.test(document.getElementById('status').textContent)", 60);
            browser.eval("[...document.querySelectorAll('#policies button')].find(b => b.textContent === 'Follow latest').click()");
            browser.waitFor("/latest ready version/.test(document.getElementById('policies').textContent)", 30);
        } finally {
            server.destroy();
            server.waitFor(60, TimeUnit.SECONDS);
            Files.deleteIfExists(credentials);
        }
        assertTrue(Files.size(SHOTS.resolve("kinora-jobs-done.png")) > 10_000);
    }
}
