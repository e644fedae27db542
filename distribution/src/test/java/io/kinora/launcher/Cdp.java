package io.kinora.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A headless Chromium driven over the Chrome DevTools Protocol with the JDK's own WebSocket client: enough to open
 * pages, run script in them, set file inputs and take screenshots, with no driver download.
 */
final class Cdp implements AutoCloseable {
    private final Process browser;
    private final Path profile;
    private final WebSocket socket;
    private final ObjectMapper json = new ObjectMapper();
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();

    private Cdp(Process browser, Path profile, WebSocket socket) {
        this.browser = browser;
        this.profile = profile;
        this.socket = socket;
    }

    static Cdp launch(Path chromium) throws Exception {
        Path profile = Files.createTempDirectory("kinora-chromium-");
        Process p = new ProcessBuilder(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--remote-debugging-port=0", "--window-size=1400,1000", "--user-data-dir=" + profile, "about:blank")
                .redirectErrorStream(true).redirectOutput(profile.resolve("chromium.log").toFile()).start();
        Path portFile = profile.resolve("DevToolsActivePort");
        long deadline = System.currentTimeMillis() + 30_000;
        while (!Files.exists(portFile) || Files.readAllLines(portFile).size() < 2) {
            if (System.currentTimeMillis() > deadline || !p.isAlive()) {
                throw new IllegalStateException("chromium did not start: " + Files.readString(profile.resolve("chromium.log")));
            }
            Thread.sleep(100);
        }
        int port = Integer.parseInt(Files.readAllLines(portFile).get(0).trim());
        HttpClient http = HttpClient.newHttpClient();
        JsonNode targets = new ObjectMapper().readTree(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        String ws = null;
        for (JsonNode t : targets) if (t.path("type").asText().equals("page")) ws = t.path("webSocketDebuggerUrl").asText();
        if (ws == null) throw new IllegalStateException("no page target in " + targets);
        Cdp[] self = new Cdp[1];
        StringBuilder buf = new StringBuilder();
        WebSocket socket = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10)).buildAsync(URI.create(ws), new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                buf.append(data);
                if (last) {
                    String msg = buf.toString();
                    buf.setLength(0);
                    self[0].dispatch(msg);
                }
                webSocket.request(1);
                return null;
            }
        }).get(10, TimeUnit.SECONDS);
        self[0] = new Cdp(p, profile, socket);
        return self[0];
    }

    private void dispatch(String message) {
        try {
            JsonNode m = json.readTree(message);
            if (m.has("id")) {
                CompletableFuture<JsonNode> f = pending.remove(m.get("id").asInt());
                if (f != null) {
                    if (m.has("error")) f.completeExceptionally(new IllegalStateException(m.get("error").toString()));
                    else f.complete(m.path("result"));
                }
            }
        } catch (Exception e) {
            pending.values().forEach(f -> f.completeExceptionally(e));
        }
    }

    JsonNode call(String method, Map<String, ?> params) throws Exception {
        int id = ids.incrementAndGet();
        ObjectNode msg = json.createObjectNode().put("id", id).put("method", method);
        msg.set("params", json.valueToTree(params));
        CompletableFuture<JsonNode> f = new CompletableFuture<>();
        pending.put(id, f);
        socket.sendText(json.writeValueAsString(msg), true).get(10, TimeUnit.SECONDS);
        return f.get(60, TimeUnit.SECONDS);
    }

    /** Evaluates a script in the page and returns its value (promises are awaited). */
    JsonNode eval(String script) throws Exception {
        JsonNode r = call("Runtime.evaluate", Map.of("expression", script, "returnByValue", true, "awaitPromise", true));
        if (r.has("exceptionDetails")) throw new IllegalStateException("script failed: " + r.get("exceptionDetails"));
        return r.path("result").path("value");
    }

    void open(String url, Map<String, String> headers) throws Exception {
        call("Network.enable", Map.of());
        call("Network.setExtraHTTPHeaders", Map.of("headers", headers));
        call("Page.enable", Map.of());
        call("Page.navigate", Map.of("url", url));
        waitFor("document.readyState === 'complete'", 30);
    }

    /** Waits until the script is true in the page. */
    void waitFor(String condition, int seconds) throws Exception {
        long deadline = System.currentTimeMillis() + seconds * 1000L;
        while (System.currentTimeMillis() < deadline) {
            JsonNode v = eval("!!(" + condition + ")");
            if (v.asBoolean()) return;
            Thread.sleep(200);
        }
        throw new AssertionError("timed out waiting for " + condition + "; page text: " + eval("document.body ? document.body.innerText.slice(0, 2000) : ''").asText());
    }

    void setFile(String selector, Path file) throws Exception {
        int root = call("DOM.getDocument", Map.of()).path("root").path("nodeId").asInt();
        int node = call("DOM.querySelector", Map.of("nodeId", root, "selector", selector)).path("nodeId").asInt();
        call("DOM.setFileInputFiles", Map.of("nodeId", node, "files", List.of(file.toString())));
    }

    void screenshot(Path png) throws Exception {
        String data = call("Page.captureScreenshot", Map.of("format", "png")).path("data").asText();
        Files.createDirectories(png.getParent());
        Files.write(png, java.util.Base64.getDecoder().decode(data));
    }

    @Override
    public void close() {
        socket.abort();
        browser.destroy();
        try {
            browser.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        browser.destroyForcibly();
        KinoraFramework.deleteTree(profile);
    }
}
