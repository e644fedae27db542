package io.kinora.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 7's queue figures, measured against a real {@code kinora serve} (opt-in: {@code -Dkinora.bench=true}):
 * 50 jobs submitted at once with concurrency 2 must all complete with none lost; the queueing overhead per job
 * (the time a job spends in the job service that is neither generation nor waiting for a busy worker) and the
 * latency of the status endpoint while jobs run are measured. Writes {@code bench-results/rest-queue.json} and
 * prints a table.
 *
 * <p>The status latency is measured twice: by this client (round trip; the client shares the machine's cores with the
 * server, so its own scheduling delays are included) and by the server (its {@code Server-Timing: app;dur=} header: from
 * the servlet's entry to the serialised body). {@code -Dkinora.bench.worker.nice=N} sets the job workers' nice value
 * (io.kinora.jobs.queue worker.nice; default: the configuration's default) to compare.
 *
 * <p>Overhead of a job = (started - max(submitted, the moment a worker became free)) + (finished - started - the
 * generation's own wall time from its report). Which worker became free is replayed from the jobs' start and
 * finish times: with the queue never empty, a worker takes the next job when it finishes one.
 */
@EnabledIfSystemProperty(named = "kinora.bench", matches = "true")
class RestQueueBenchIT {
    static final int JOBS = 50;
    static final int CONCURRENCY = 2;
    static final String WORKER_NICE = System.getProperty("kinora.bench.worker.nice");
    final RestIT api = new RestIT();
    final ObjectMapper json = new ObjectMapper();

    @BeforeEach
    void configure() throws Exception {
        api.configure();
        Files.writeString(RestIT.DIST.resolve("conf/io.kinora.jobs.queue.config"),
                "concurrency=I\"" + CONCURRENCY + "\"\nmax.queued=I\"" + (JOBS + 10) + "\"\nmax.active.per.owner=I\"" + (JOBS + 10) + "\"\n"
                        + (WORKER_NICE == null ? "" : "worker.nice=I\"" + Integer.parseInt(WORKER_NICE) + "\"\n"));
    }

    @AfterEach
    void cleanUp() throws Exception {
        api.cleanUp();
    }

    @Test
    void fiftyJobsAtOnce() throws Exception {
        Path scene = Files.createDirectories(RestIT.WORK.resolve("bench")).resolve("short.json");
        Files.writeString(scene, "{\"prompt\": \"A green glass bottle on a wooden table, slow push-in\", \"duration\": 1,"
                + " \"fps\": 12, \"ambience\": \"room\", \"labels\": \"eu\", \"seed\": 3}");
        api.start();

        // 50 submissions at once, from 8 client threads
        ExecutorService clients = Executors.newFixedThreadPool(8);
        List<Future<HttpResponse<byte[]>>> posts = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int i = 0; i < JOBS; i++) posts.add(clients.submit(() -> api.submit(RestIT.OLGA, scene)));
        List<String> ids = new ArrayList<>();
        for (Future<HttpResponse<byte[]>> f : posts) {
            HttpResponse<byte[]> r = f.get();
            assertEquals(202, r.statusCode(), new String(r.body()));
            ids.add(json.readTree(r.body()).path("id").asText());
        }
        double submitAllSeconds = (System.nanoTime() - t0) / 1e9;
        clients.shutdown();

        // the status endpoint, polled while the jobs run
        List<Double> statusMillis = Collections.synchronizedList(new ArrayList<>());
        List<Double> statusServerMillis = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean running = new AtomicBoolean(true);
        Thread poller = new Thread(() -> {
            int k = 0;
            while (running.get()) {
                String id = ids.get(k++ % ids.size());
                long s = System.nanoTime();
                try {
                    HttpResponse<byte[]> r = api.send("GET", "/jobs/" + id, RestIT.OLGA, null);
                    if (r.statusCode() == 200) {
                        statusMillis.add((System.nanoTime() - s) / 1e6);
                        statusServerMillis.add(serverMillis(r));
                    }
                    Thread.sleep(20);
                } catch (Exception e) {
                    return;
                }
            }
        }, "status-poller");
        poller.start();

        List<JsonNode> done = new ArrayList<>();
        for (String id : ids) done.add(awaitFinal(id, Duration.ofMinutes(15)));
        running.set(false);
        poller.join();
        double allSeconds = (System.nanoTime() - t0) / 1e9;
        for (JsonNode j : done) assertEquals("SUCCEEDED", j.path("state").asText(), j.toString());
        assertEquals(JOBS, json.readTree(api.send("GET", "/jobs", RestIT.OLGA, null).body()).path("jobs").size(), "none lost");

        // the same status requests once the jobs are done: what the endpoint costs without competing for the cores
        List<Double> idleMillis = new ArrayList<>();
        List<Double> idleServerMillis = new ArrayList<>();
        for (int k = 0; k < 300; k++) {
            long s = System.nanoTime();
            HttpResponse<byte[]> r = api.send("GET", "/jobs/" + ids.get(k % ids.size()), RestIT.OLGA, null);
            idleMillis.add((System.nanoTime() - s) / 1e6);
            idleServerMillis.add(serverMillis(r));
        }

        // overhead per job
        List<double[]> runs = new ArrayList<>(); // submitted, started, finished, generation seconds (epoch seconds)
        for (JsonNode j : done) {
            JsonNode report = json.readTree(api.send("GET", "/jobs/" + j.path("id").asText() + "/results/clip.report.json", RestIT.OLGA, null).body());
            runs.add(new double[]{epoch(j.path("submitted").asText()), epoch(j.path("started").asText()),
                    epoch(j.path("finished").asText()), report.path("seconds").path("total").asDouble()});
        }
        runs.sort((a, b) -> Double.compare(a[1], b[1]));
        List<Double> freeSince = new ArrayList<>(Collections.nCopies(CONCURRENCY, Double.NEGATIVE_INFINITY));
        List<Double> overheadMillis = new ArrayList<>();
        List<Double> generation = new ArrayList<>();
        for (double[] r : runs) {
            // the worker that took this job: the one that became free last before it started
            int w = 0;
            for (int i = 1; i < freeSince.size(); i++) {
                if (freeSince.get(i) <= r[1] && (freeSince.get(w) > r[1] || freeSince.get(i) > freeSince.get(w))) w = i;
            }
            double ready = Math.max(r[0], freeSince.get(w));
            double dispatch = Math.max(0, r[1] - ready);
            double around = Math.max(0, (r[2] - r[1]) - r[3]);
            overheadMillis.add((dispatch + around) * 1000);
            generation.add(r[3]);
            freeSince.set(w, r[2]);
        }

        ObjectNode out = json.createObjectNode();
        out.put("jobs", JOBS).put("concurrency", CONCURRENCY).put("succeeded", done.size());
        out.put("submitAllSeconds", round(submitAllSeconds)).put("allDoneSeconds", round(allSeconds));
        out.put("generationSecondsMedian", round(pct(generation, 50)));
        out.put("overheadMillisMedian", round(pct(overheadMillis, 50))).put("overheadMillisP90", round(pct(overheadMillis, 90)))
                .put("overheadMillisMax", round(pct(overheadMillis, 100)));
        out.put("statusRequests", statusMillis.size()).put("statusMillisP50", round(pct(statusMillis, 50)))
                .put("statusMillisP95", round(pct(statusMillis, 95)))
                .put("statusMillisP99", round(pct(statusMillis, 99))).put("statusMillisMax", round(pct(statusMillis, 100)));
        out.put("statusServerMillisP50", round(pct(statusServerMillis, 50))).put("statusServerMillisP95", round(pct(statusServerMillis, 95)))
                .put("statusServerMillisP99", round(pct(statusServerMillis, 99))).put("statusServerMillisMax", round(pct(statusServerMillis, 100)));
        out.put("statusIdleMillisP50", round(pct(idleMillis, 50))).put("statusIdleMillisP95", round(pct(idleMillis, 95)))
                .put("statusIdleMillisP99", round(pct(idleMillis, 99)));
        out.put("statusIdleServerMillisP50", round(pct(idleServerMillis, 50))).put("statusIdleServerMillisP95", round(pct(idleServerMillis, 95)))
                .put("statusIdleServerMillisP99", round(pct(idleServerMillis, 99)));
        out.put("workerNice", WORKER_NICE == null ? "default" : WORKER_NICE);
        out.put("loadAverage", Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        Path results = Files.createDirectories(Path.of(System.getProperty("kinora.repo", "..")).resolve("bench-results"));
        Files.writeString(results.resolve("rest-queue.json"), json.writerWithDefaultPrettyPrinter().writeValueAsString(out));
        System.out.printf(Locale.ROOT, "%n| figure | value | floor |%n|---|---|---|%n"
                        + "| jobs submitted at once / succeeded / lost | %d / %d / 0 | all, none lost |%n"
                        + "| median queueing overhead per job | %.1f ms (p90 %.1f, max %.1f) | < 50 ms |%n"
                        + "| status endpoint while jobs run (client round trip) | p50 %.2f ms, p95 %.2f ms, p99 %.2f ms over %d requests | p99 < 10 ms |%n"
                        + "| status endpoint while jobs run (server, Server-Timing) | p50 %.2f ms, p95 %.2f ms, p99 %.2f ms | |%n"
                        + "| status endpoint once the jobs are done (client) | p50 %.2f ms, p95 %.2f ms, p99 %.2f ms | |%n"
                        + "| status endpoint once the jobs are done (server) | p50 %.2f ms, p95 %.2f ms, p99 %.2f ms | |%n"
                        + "| 50 jobs end to end | %.1f s (generation median %.2f s per job) | |%n",
                JOBS, done.size(), pct(overheadMillis, 50), pct(overheadMillis, 90), pct(overheadMillis, 100),
                pct(statusMillis, 50), pct(statusMillis, 95), pct(statusMillis, 99), statusMillis.size(),
                pct(statusServerMillis, 50), pct(statusServerMillis, 95), pct(statusServerMillis, 99),
                pct(idleMillis, 50), pct(idleMillis, 95), pct(idleMillis, 99),
                pct(idleServerMillis, 50), pct(idleServerMillis, 95), pct(idleServerMillis, 99),
                allSeconds, pct(generation, 50));
        assertTrue(statusMillis.size() > 50, "the status endpoint was polled while jobs ran");
    }

    JsonNode awaitFinal(String id, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode j = json.readTree(api.send("GET", "/jobs/" + id, RestIT.OLGA, null).body());
            if (j.path("state").asText().matches("SUCCEEDED|FAILED|CANCELLED")) return j;
            Thread.sleep(250);
        }
        throw new AssertionError("job " + id + " did not finish");
    }

    /** The server's own time for a response, from its {@code Server-Timing: app;dur=<ms>} header. */
    static double serverMillis(HttpResponse<?> r) {
        String h = r.headers().firstValue("Server-Timing").orElseThrow(() -> new AssertionError("no Server-Timing header"));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("app;dur=([0-9.]+)").matcher(h);
        if (!m.find()) throw new AssertionError("Server-Timing without app;dur: " + h);
        return Double.parseDouble(m.group(1));
    }

    static double epoch(String instant) {
        Instant i = Instant.parse(instant);
        return i.getEpochSecond() + i.getNano() / 1e9;
    }

    static double pct(List<Double> values, double p) {
        List<Double> v = new ArrayList<>(values);
        Collections.sort(v);
        if (v.isEmpty()) return Double.NaN;
        int i = (int) Math.ceil(p / 100.0 * v.size()) - 1;
        return v.get(Math.max(0, Math.min(v.size() - 1, i)));
    }

    static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
