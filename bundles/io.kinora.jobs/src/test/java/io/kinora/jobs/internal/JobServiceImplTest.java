package io.kinora.jobs.internal;

import io.kinora.api.generation.GenerationException;
import io.kinora.api.generation.GenerationRequest;
import io.kinora.api.generation.GenerationResult;
import io.kinora.api.generation.GenerationService;
import io.kinora.api.generation.JobReport;
import io.kinora.api.generation.Stage;
import io.kinora.api.jobs.JobInfo;
import io.kinora.api.jobs.JobRejectedException;
import io.kinora.api.jobs.JobState;
import io.kinora.api.jobs.JobSubmission;
import io.kinora.api.scene.SceneLimits;
import io.kinora.api.scene.SceneSpec;
import io.kinora.api.timeline.Timeline;
import io.kinora.api.video.ModelInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.annotation.Annotation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The queue's own behaviour (order, bounds, cancel, persistence, recovery, retention). The generation it drives is a
 * small controllable implementation that writes files the way the real one does; the real flow is covered by the
 * distribution's integration tests.
 */
class JobServiceImplTest {
    @TempDir
    Path dir;
    final List<JobServiceImpl> services = new ArrayList<>();
    final Gate gate = new Gate();
    final SceneSpecReaderImpl reader = new SceneSpecReaderImpl(SceneLimits.DEFAULTS, 1 << 16);
    static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G'};

    @AfterEach
    void stop() {
        gate.open();
        services.forEach(JobServiceImpl::deactivate);
    }

    /** Generation that waits at a gate, honours cancellation and stages its output like the real service. */
    static final class Gate implements GenerationService {
        final Semaphore permits = new Semaphore(0);
        final List<String> order = Collections.synchronizedList(new ArrayList<>());
        /** The thread each run of {@link #order} ran on. */
        final List<String> threads = Collections.synchronizedList(new ArrayList<>());
        /** The nice value of the thread each run ran on, and of a thread that run started (-1: unknown). */
        final List<int[]> nices = Collections.synchronizedList(new ArrayList<>());
        volatile boolean fail;

        void open() { permits.release(1000); }

        @Override
        public GenerationResult generate(GenerationRequest request, io.kinora.api.generation.GenerationListener listener,
                                         io.kinora.api.media.Cancellation cancellation) throws GenerationException {
            order.add(request.jobId());
            threads.add(Thread.currentThread().getName());
            int[] child = {-1};
            Thread probe = new Thread(() -> child[0] = WorkerPriority.currentNice().orElse(-1));
            probe.start();
            try {
                probe.join();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            nices.add(new int[]{WorkerPriority.currentNice().orElse(-1), child[0]});
            listener.progress(Stage.VIDEO, 0.5, "half");
            try {
                while (!permits.tryAcquire(20, TimeUnit.MILLISECONDS)) cancellation.check();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            cancellation.check();
            if (fail) throw new GenerationException("image: broken.png is not an image Kinora can read");
            try {
                Path staged = request.output().resolveSibling("." + request.output().getFileName() + ".partial");
                Files.writeString(staged, "mp4 of " + request.scene().prompt());
                Files.move(staged, request.output());
                Files.writeString(request.output().resolveSibling("clip.report.json"), "{}");
            } catch (java.io.IOException e) {
                throw new GenerationException(e.toString());
            }
            Timeline t = new Timeline(1, 24, 24, List.of(), List.of());
            return new GenerationResult(request.jobId(), List.of(request.output()), t,
                    new JobReport(Map.of(), Map.of(), new ModelInfo("m", "1", "f", "d"), Map.of(), Map.of()));
        }
    }

    static JobQueueConfig config(int concurrency, int maxQueued, int perOwner, int retentionDays, long budgetMib) {
        return config(concurrency, maxQueued, perOwner, retentionDays, budgetMib, "auto");
    }

    static JobQueueConfig config(int concurrency, int maxQueued, int perOwner, int retentionDays, long budgetMib, String scheduler) {
        return config(concurrency, maxQueued, perOwner, retentionDays, budgetMib, scheduler, 0);
    }

    static JobQueueConfig config(int concurrency, int maxQueued, int perOwner, int retentionDays, long budgetMib, String scheduler,
                                 int workerNice) {
        return new JobQueueConfig() {
            public Class<? extends Annotation> annotationType() { return JobQueueConfig.class; }
            public int concurrency() { return concurrency; }
            public int max_queued() { return maxQueued; }
            public int max_active_per_owner() { return perOwner; }
            public long max_image_bytes() { return 1024; }
            public int retention_days() { return retentionDays; }
            public long max_results_mib() { return budgetMib; }
            public int max_attempts() { return 3; }
            public String folder() { return ""; }
            public String scheduler() { return scheduler; }
            public int worker_nice() { return workerNice; }
        };
    }

    JobServiceImpl start(JobQueueConfig c, Clock clock) throws Exception {
        JobServiceImpl s = new JobServiceImpl(gate, reader, c, dir, clock);
        services.add(s);
        return s;
    }

    JobServiceImpl start(JobQueueConfig c) throws Exception {
        return start(c, Clock.systemUTC());
    }

    static JobSubmission job(String prompt, String owner, int priority) {
        return new JobSubmission(new SceneSpec(null, prompt, null, 24, null, null, null, null, null, null, null, null, null, 1),
                PNG, "in.png", owner, priority);
    }

    static JobInfo await(JobServiceImpl s, String id, JobState state) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline) {
            JobInfo i = s.get(id).orElseThrow();
            if (i.state() == state) return i;
            Thread.sleep(10);
        }
        throw new AssertionError(id + " did not reach " + state + ": " + s.get(id));
    }

    @Test
    void statusAndListNeverWaitForTheQueueLock() throws Exception {
        JobServiceImpl s = start(config(1, 10, 10, 7, 1000));
        JobInfo running = s.submit(job("running", "ann", 0));
        JobInfo queued = s.submit(job("queued", "bob", 0));
        long deadline = System.currentTimeMillis() + 10_000;
        while (!"video".equals(s.get(running.id()).orElseThrow().stage()) && System.currentTimeMillis() < deadline) Thread.sleep(10);
        assertEquals(0.5, s.get(running.id()).orElseThrow().stageProgress(), "the snapshot follows the job's progress");
        // a worker storing a job on disk, or a submission writing its image, holds the queue's lock: status must not wait
        java.lang.reflect.Field f = JobServiceImpl.class.getDeclaredField("lock");
        f.setAccessible(true);
        Object lock = f.get(s);
        java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        Thread holder = new Thread(() -> {
            synchronized (lock) {
                held.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        holder.start();
        try {
            assertTrue(held.await(5, TimeUnit.SECONDS));
            org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(2), () -> {
                assertEquals(JobState.RUNNING, s.get(running.id()).orElseThrow().state());
                assertEquals(JobState.QUEUED, s.get(queued.id()).orElseThrow().state());
                assertTrue(s.get("job-20990101-0000000000").isEmpty(), "an unknown id");
                assertEquals(List.of(queued.id(), running.id()), s.list(null).stream().map(JobInfo::id).toList(), "newest first");
                assertEquals(List.of(queued.id()), s.list("bob").stream().map(JobInfo::id).toList());
            });
        } finally {
            release.countDown();
            holder.join();
        }
        gate.open();
        JobInfo done = await(s, running.id(), JobState.SUCCEEDED);
        assertEquals(1.0, done.progress());
        assertEquals(List.of("clip.mp4", "clip.report.json"), s.get(running.id()).orElseThrow().results());
    }

    @Test
    void concurrentSubmissionsRespectTheQueueBoundAndRefusedOnesLeaveNothingOnDisk() throws Exception {
        JobServiceImpl s = start(config(1, 5, 100, 7, 1000));
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        List<java.util.concurrent.Future<Object>> results = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            int n = i;
            results.add(pool.submit(() -> {
                try {
                    return s.submit(job("job " + n, "ann", 0));
                } catch (JobRejectedException e) {
                    return e;
                }
            }));
        }
        int accepted = 0;
        for (java.util.concurrent.Future<Object> f : results) {
            Object o = f.get(30, TimeUnit.SECONDS);
            if (o instanceof JobInfo) accepted++;
            else assertTrue(((JobRejectedException) o).isBusy(), String.valueOf(o));
        }
        pool.shutdown();
        // five waiting, plus at most the one the worker took (its generation waits at the gate)
        assertTrue(accepted >= 5 && accepted <= 6, "accepted " + accepted);
        assertEquals(accepted, s.list(null).size());
        try (java.util.stream.Stream<Path> dirs = Files.list(dir)) {
            assertEquals(accepted, dirs.filter(Files::isDirectory).count(), "a refused submission leaves no folder");
        }
    }

    @Test
    void workersRunAtTheConfiguredNiceValueAndTheirThreadsInheritIt() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(WorkerPriority.currentNice().isPresent(), "needs Linux /proc/thread-self");
        int base = WorkerPriority.currentNice().getAsInt();
        org.junit.jupiter.api.Assumptions.assumeTrue(base < 7, "this JVM already runs at nice " + base);
        boolean renice;
        try {
            renice = new ProcessBuilder("renice", "--version").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor() == 0;
        } catch (java.io.IOException e) {
            renice = false;
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(renice, "renice is not installed");
        JobServiceImpl s = start(config(1, 10, 10, 7, 1000, "auto", 7));
        gate.open();
        await(s, s.submit(job("nice", "ann", 0)).id(), JobState.SUCCEEDED);
        int[] n = gate.nices.get(0);
        assertEquals(7, n[0], "the worker thread's nice value");
        assertEquals(7, n[1], "a thread the worker started inherits it");
        assertEquals(base, WorkerPriority.currentNice().getAsInt(), "other threads keep theirs");
    }

    @Test
    void workerNiceZeroLeavesThePriorityAlone() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(WorkerPriority.currentNice().isPresent(), "needs Linux /proc/thread-self");
        int base = WorkerPriority.currentNice().getAsInt();
        JobServiceImpl s = start(config(1, 10, 10, 7, 1000, "auto", 0));
        gate.open();
        await(s, s.submit(job("not nice", "ann", 0)).id(), JobState.SUCCEEDED);
        assertEquals(base, gate.nices.get(0)[0]);
    }

    @Test
    void runsJobsByPriorityThenSubmissionOrderAndKeepsResults() throws Exception {
        JobServiceImpl s = start(config(1, 10, 10, 7, 1000));
        JobInfo first = s.submit(job("first", "ann", 0));
        await(s, first.id(), JobState.RUNNING);
        JobInfo low = s.submit(job("low", "ann", 0));
        JobInfo high = s.submit(job("high", "bob", 5));
        assertEquals(JobState.QUEUED, s.get(low.id()).orElseThrow().state());
        gate.open();
        await(s, low.id(), JobState.SUCCEEDED);
        assertEquals(List.of(first.id(), high.id(), low.id()), gate.order);
        JobInfo done = s.get(low.id()).orElseThrow();
        assertEquals(List.of("clip.mp4", "clip.report.json"), done.results());
        assertEquals(1.0, done.progress());
        assertEquals("mp4 of low", Files.readString(s.result(low.id(), "clip.mp4").orElseThrow()));
        assertTrue(s.result(low.id(), "../job.json").isEmpty(), "no path escapes the result folder");
        assertEquals(List.of(low.id(), first.id()).size(), s.list("ann").size());
        assertEquals(3, s.list(null).size());
    }

    @Test
    void fullQueueSaysBusyRetryLater() throws Exception {
        JobServiceImpl s = start(config(1, 2, 10, 7, 1000));
        JobInfo running = s.submit(job("a", "ann", 0));
        await(s, running.id(), JobState.RUNNING);
        s.submit(job("b", "ann", 0));
        s.submit(job("c", "ann", 0));
        JobRejectedException e = assertThrows(JobRejectedException.class, () -> s.submit(job("d", "ann", 0)));
        assertTrue(e.isBusy());
        assertTrue(e.retryAfterSeconds() > 0);
        assertTrue(e.getMessage().startsWith("busy: 2 jobs are waiting"), e.getMessage());
    }

    @Test
    void perOwnerLimitAndInputChecks() throws Exception {
        JobServiceImpl s = start(config(1, 10, 1, 7, 1000));
        s.submit(job("a", "ann", 0));
        assertTrue(assertThrows(JobRejectedException.class, () -> s.submit(job("b", "ann", 0))).getMessage().contains("ann already has 1 active"));
        s.submit(job("c", "bob", 0));
        JobSubmission noPrompt = job("", "carl", 0);
        assertTrue(assertThrows(JobRejectedException.class, () -> s.submit(noPrompt)).getMessage().contains("prompt: is required"));
        JobSubmission big = new JobSubmission(job("x", "dan", 0).scene(), new byte[2000], "in.png", "dan", 0);
        assertTrue(assertThrows(JobRejectedException.class, () -> s.submit(big)).getMessage().contains("the limit is 1024"));
        JobSubmission exe = new JobSubmission(job("x", "eve", 0).scene(), PNG, "in.exe", "eve", 0);
        assertTrue(assertThrows(JobRejectedException.class, () -> s.submit(exe)).getMessage().startsWith("image: 'in.exe' must be one of"));
    }

    @Test
    void cancelsQueuedAndRunningJobsAndIgnoresFinishedOnes() throws Exception {
        JobServiceImpl s = start(config(1, 10, 10, 7, 1000));
        JobInfo running = s.submit(job("a", "ann", 0));
        await(s, running.id(), JobState.RUNNING);
        JobInfo queued = s.submit(job("b", "ann", 0));
        assertEquals(JobState.CANCELLED, s.cancel(queued.id()).orElseThrow().state());
        s.cancel(running.id());
        JobInfo cancelled = await(s, running.id(), JobState.CANCELLED);
        assertTrue(cancelled.error().startsWith("cancelled while"), cancelled.error());
        assertEquals(JobState.CANCELLED, s.cancel(running.id()).orElseThrow().state(), "cancelling a finished job changes nothing");
        assertTrue(s.cancel("job-unknown").isEmpty());
        assertEquals(List.of(running.id()), gate.order, "the cancelled queued job never ran");
    }

    @Test
    void failedJobKeepsItsReason() throws Exception {
        gate.fail = true;
        JobServiceImpl s = start(config(1, 10, 10, 7, 1000));
        JobInfo j = s.submit(job("a", "ann", 0));
        gate.open();
        JobInfo failed = await(s, j.id(), JobState.FAILED);
        assertEquals("image: broken.png is not an image Kinora can read", failed.error());
        assertEquals(List.of(), failed.results());
    }

    @Test
    void aRestartRunsInterruptedAndQueuedJobsAgainAndKeepsFinishedOnes() throws Exception {
        JobServiceImpl first = start(config(1, 10, 10, 7, 1000));
        JobInfo done = first.submit(job("done", "ann", 0));
        gate.permits.release();
        await(first, done.id(), JobState.SUCCEEDED);
        JobInfo interrupted = first.submit(job("interrupted", "ann", 0));
        await(first, interrupted.id(), JobState.RUNNING);
        JobInfo waiting = first.submit(job("waiting", "ann", 0));
        // a node killed mid-job: its state on disk says RUNNING; simulate by copying the folder state before stop
        byte[] runningState = Files.readAllBytes(dir.resolve(interrupted.id()).resolve("job.json"));
        first.deactivate();
        services.remove(first);
        Files.write(dir.resolve(interrupted.id()).resolve("job.json"), runningState);
        Files.writeString(dir.resolve(interrupted.id()).resolve("results").resolve(".clip.mp4.partial"), "half");

        JobServiceImpl second = start(config(1, 10, 10, 7, 1000));
        assertEquals(JobState.SUCCEEDED, second.get(done.id()).orElseThrow().state());
        assertEquals(List.of("clip.mp4", "clip.report.json"), second.get(done.id()).orElseThrow().results());
        gate.open();
        JobInfo resumed = await(second, interrupted.id(), JobState.SUCCEEDED);
        await(second, waiting.id(), JobState.SUCCEEDED);
        assertFalse(resumed.results().contains(".clip.mp4.partial"));
        assertFalse(Files.exists(dir.resolve(interrupted.id()).resolve("results").resolve(".clip.mp4.partial")),
                "a half-written file of the interrupted run is gone");
    }

    @Test
    void aJobInterruptedTooOftenFailsWithTheReason() throws Exception {
        JobServiceImpl first = start(config(1, 10, 10, 7, 1000));
        JobInfo j = first.submit(job("crashy", "ann", 0));
        await(first, j.id(), JobState.RUNNING);
        Path state = dir.resolve(j.id()).resolve("job.json");
        String running = Files.readString(state).replace("\"attempts\" : 1", "\"attempts\" : 3");
        first.deactivate();
        services.remove(first);
        Files.writeString(state, running);
        JobServiceImpl second = start(config(1, 10, 10, 7, 1000));
        JobInfo failed = second.get(j.id()).orElseThrow();
        assertEquals(JobState.FAILED, failed.state());
        assertTrue(failed.error().startsWith("interrupted by a restart 3 times"), failed.error());
    }

    @Test
    void retentionDeletesOldJobsThenOldestOverBudget() throws Exception {
        Instant now = Instant.parse("2026-11-24T12:00:00Z");
        JobServiceImpl s = start(config(1, 10, 10, 7, 0), Clock.fixed(now, ZoneOffset.UTC));
        JobInfo a = s.submit(job("a", "ann", 0));
        gate.open();
        await(s, a.id(), JobState.SUCCEEDED);
        JobInfo b = s.submit(job("b", "ann", 0));
        JobInfo queued = b;
        await(s, b.id(), JobState.SUCCEEDED);
        s.retain();
        assertTrue(s.get(a.id()).isEmpty() && s.get(b.id()).isEmpty(), "a zero budget removes every finished job");
        assertFalse(Files.exists(dir.resolve(a.id())));
        assertTrue(queued.id().startsWith("job-20261124-"));

        JobServiceImpl aged = start(config(1, 10, 10, 7, 1000), Clock.fixed(now.plus(Duration.ofDays(8)), ZoneOffset.UTC));
        assertEquals(0, aged.list(null).size());
    }

    @Test
    void sceneIsStoredReadably() throws Exception {
        JobServiceImpl s = start(config(1, 10, 10, 7, 1000));
        JobInfo j = s.submit(job("stored prompt", "ann", 0));
        String scene = Files.readString(dir.resolve(j.id()).resolve("scene.json"), StandardCharsets.UTF_8);
        assertTrue(scene.contains("stored prompt"));
        assertTrue(Files.exists(dir.resolve(j.id()).resolve("image.png")));
    }
}
