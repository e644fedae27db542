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
    /** A real 16x16 PNG (the queue reads its header at submission). */
    static final byte[] PNG = png(16, 16);

    static byte[] png(int w, int h) {
        try {
            java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(w, h, java.awt.image.BufferedImage.TYPE_BYTE_BINARY);
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            if (!javax.imageio.ImageIO.write(img, "png", out)) throw new IllegalStateException("no PNG writer");
            return out.toByteArray();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

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
            public long max_image_pixels() { return 10_000; }
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
    void aStageThatGoesAwayWhileTheFrameworkStopsInterruptsTheJobInsteadOfFailingIt() throws Exception {
        JobServiceImpl first = start(config(1, 10, 10, 7, 1000));
        java.util.concurrent.atomic.AtomicBoolean stopping = new java.util.concurrent.atomic.AtomicBoolean();
        first.frameworkStoppingWhen(stopping::get);
        JobInfo j = first.submit(job("swept", "ann", 0));
        await(first, j.id(), JobState.RUNNING);
        // the framework stops its bundles one by one: the model closes under the job before the queue is deactivated
        stopping.set(true);
        gate.fail = true;
        gate.permits.release();
        JobInfo back = await(first, j.id(), JobState.QUEUED);
        assertEquals(null, back.error(), "an interruption is not the job's failure");
        first.deactivate();
        services.remove(first);

        gate.fail = false;
        JobServiceImpl second = start(config(1, 10, 10, 7, 1000));
        gate.open();
        JobInfo done = await(second, j.id(), JobState.SUCCEEDED);
        assertEquals(List.of("clip.mp4", "clip.report.json"), done.results());
        assertEquals(List.of(j.id(), j.id()), gate.order, "it ran again after the restart");
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

    /** A clock the test moves by hand. */
    static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant now) { this.now = now; }

        void set(Instant t) { now = t; }

        void advance(Duration d) { now = now.plus(d); }

        @Override
        public java.time.ZoneId getZone() { return ZoneOffset.UTC; }

        @Override
        public Clock withZone(java.time.ZoneId zone) { return this; }

        @Override
        public Instant instant() { return now; }
    }

    /** Event Admin as the OSGi contract defines it, keeping what is posted and sent, in order. */
    static final class CapturingEvents implements org.osgi.service.event.EventAdmin {
        final List<org.osgi.service.event.Event> events = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void postEvent(org.osgi.service.event.Event event) { events.add(event); }

        @Override
        public void sendEvent(org.osgi.service.event.Event event) { events.add(event); }

        /** The events about one job, in order. */
        List<org.osgi.service.event.Event> of(String id) {
            synchronized (events) {
                return events.stream().filter(e -> id.equals(e.getProperty(io.kinora.api.jobs.JobService.PROP_JOB_ID))).toList();
            }
        }

        List<String> topics(String id) {
            return of(id).stream().map(org.osgi.service.event.Event::getTopic).toList();
        }
    }

    static void eventually(java.util.function.BooleanSupplier condition, java.util.function.Supplier<String> what) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (!condition.getAsBoolean() && System.currentTimeMillis() < deadline) Thread.sleep(10);
        assertTrue(condition.getAsBoolean(), what);
    }

    static final String T = io.kinora.api.jobs.JobService.TOPIC_PREFIX;

    static void assertEvent(org.osgi.service.event.Event e, String id, String owner, JobState state, JobState previous) {
        assertEquals(T + state.name(), e.getTopic());
        assertEquals(id, e.getProperty(io.kinora.api.jobs.JobService.PROP_JOB_ID));
        assertEquals(owner, e.getProperty(io.kinora.api.jobs.JobService.PROP_OWNER));
        assertEquals(state.name(), e.getProperty(io.kinora.api.jobs.JobService.PROP_STATE));
        assertEquals(previous == null ? null : previous.name(), e.getProperty(JobServiceImpl.PROP_PREVIOUS_STATE), "previous state of " + e);
        assertEquals(JobInfo.SCHEDULER_LOCAL, e.getProperty(JobServiceImpl.PROP_SCHEDULER));
    }

    @Test
    void everyStateChangeIsPostedOnEventAdmin() throws Exception {
        JobServiceImpl s = start(config(1, 10, 10, 7, 1000));
        CapturingEvents ea = new CapturingEvents();
        s.bindEvents(ea);

        JobInfo ok = s.submit(job("ok", "ann", 0));
        gate.permits.release();
        await(s, ok.id(), JobState.SUCCEEDED);
        eventually(() -> ea.of(ok.id()).size() == 3, () -> "QUEUED, RUNNING, SUCCEEDED: " + ea.topics(ok.id()));
        List<org.osgi.service.event.Event> e = ea.of(ok.id());
        assertEvent(e.get(0), ok.id(), "ann", JobState.QUEUED, null);
        assertEvent(e.get(1), ok.id(), "ann", JobState.RUNNING, JobState.QUEUED);
        assertEvent(e.get(2), ok.id(), "ann", JobState.SUCCEEDED, JobState.RUNNING);
        assertEquals(null, e.get(2).getProperty(JobServiceImpl.PROP_ERROR));

        JobInfo running = s.submit(job("running", "bob", 0));
        await(s, running.id(), JobState.RUNNING);
        JobInfo queued = s.submit(job("queued", "carl", 0));
        s.cancel(queued.id());
        s.cancel(running.id());
        await(s, running.id(), JobState.CANCELLED);
        eventually(() -> ea.of(running.id()).size() == 3, () -> "running job: " + ea.topics(running.id()));
        e = ea.of(running.id());
        assertEvent(e.get(0), running.id(), "bob", JobState.QUEUED, null);
        assertEvent(e.get(1), running.id(), "bob", JobState.RUNNING, JobState.QUEUED);
        assertEvent(e.get(2), running.id(), "bob", JobState.CANCELLED, JobState.RUNNING);
        assertEquals("cancelled while video", e.get(2).getProperty(JobServiceImpl.PROP_ERROR));
        e = ea.of(queued.id());
        assertEquals(2, e.size(), ea.topics(queued.id()).toString());
        assertEvent(e.get(0), queued.id(), "carl", JobState.QUEUED, null);
        assertEvent(e.get(1), queued.id(), "carl", JobState.CANCELLED, JobState.QUEUED);
        assertEquals("cancelled before it started", e.get(1).getProperty(JobServiceImpl.PROP_ERROR));

        gate.fail = true;
        JobInfo failing = s.submit(job("failing", "dan", 0));
        gate.permits.release();
        await(s, failing.id(), JobState.FAILED);
        eventually(() -> ea.of(failing.id()).size() == 3, () -> "failed job: " + ea.topics(failing.id()));
        e = ea.of(failing.id());
        assertEvent(e.get(2), failing.id(), "dan", JobState.FAILED, JobState.RUNNING);
        assertEquals("image: broken.png is not an image Kinora can read", e.get(2).getProperty(JobServiceImpl.PROP_ERROR));
        // cancelling a finished job changes nothing and announces nothing
        s.cancel(ok.id());
        Thread.sleep(50);
        assertEquals(3, ea.of(ok.id()).size());
        assertEquals(11, ea.events.size(), "no other events: " + ea.events);
    }

    @Test
    void aRestartsRecoveryIsPostedOnceEventAdminIsBound() throws Exception {
        JobServiceImpl first = start(config(2, 10, 10, 7, 1000));
        JobInfo again = first.submit(job("runs again", "ann", 0));
        JobInfo gaveUp = first.submit(job("gives up", "bob", 0));
        await(first, again.id(), JobState.RUNNING);
        await(first, gaveUp.id(), JobState.RUNNING);
        byte[] againState = Files.readAllBytes(dir.resolve(again.id()).resolve("job.json"));
        String gaveUpState = Files.readString(dir.resolve(gaveUp.id()).resolve("job.json")).replace("\"attempts\" : 1", "\"attempts\" : 3");
        first.deactivate();
        services.remove(first);
        // as a kill -9 leaves them: RUNNING on disk
        Files.write(dir.resolve(again.id()).resolve("job.json"), againState);
        Files.writeString(dir.resolve(gaveUp.id()).resolve("job.json"), gaveUpState);

        JobServiceImpl second = start(config(1, 10, 10, 7, 1000));
        await(second, again.id(), JobState.RUNNING); // taken by a worker before any Event Admin is bound
        CapturingEvents ea = new CapturingEvents();
        second.bindEvents(ea);
        List<org.osgi.service.event.Event> e = ea.of(again.id());
        assertEquals(List.of(T + "QUEUED", T + "RUNNING"), ea.topics(again.id()), "the recovery first, then the new run");
        assertEvent(e.get(0), again.id(), "ann", JobState.QUEUED, JobState.RUNNING);
        assertTrue(String.valueOf(e.get(0).getProperty(JobServiceImpl.PROP_REASON)).startsWith("recovered after a restart"), e.get(0).toString());
        assertEvent(e.get(1), again.id(), "ann", JobState.RUNNING, JobState.QUEUED);
        e = ea.of(gaveUp.id());
        assertEquals(1, e.size(), ea.topics(gaveUp.id()).toString());
        assertEvent(e.get(0), gaveUp.id(), "bob", JobState.FAILED, JobState.RUNNING);
        assertTrue(String.valueOf(e.get(0).getProperty(JobServiceImpl.PROP_ERROR)).startsWith("interrupted by a restart 3 times"));
        gate.open();
        await(second, again.id(), JobState.SUCCEEDED);
        eventually(() -> ea.topics(again.id()).size() == 3, () -> ea.topics(again.id()).toString());
        assertEquals(T + "SUCCEEDED", ea.topics(again.id()).get(2));
    }

    @Test
    void retentionDeletesFinishedJobsPastTheAgeAndKeepsYoungAndUnfinishedOnes() throws Exception {
        Instant t0 = Instant.parse("2026-11-24T12:00:00Z");
        MutableClock clock = new MutableClock(t0);
        JobServiceImpl s = start(config(1, 10, 10, 7, 1000), clock);
        CapturingEvents ea = new CapturingEvents();
        s.bindEvents(ea);
        JobInfo old = s.submit(job("old", "ann", 0));
        gate.permits.release();
        await(s, old.id(), JobState.SUCCEEDED);
        clock.advance(Duration.ofDays(5));
        JobInfo young = s.submit(job("young", "ann", 0));
        gate.permits.release();
        await(s, young.id(), JobState.SUCCEEDED);
        JobInfo running = s.submit(job("running", "ann", 0));
        await(s, running.id(), JobState.RUNNING);
        JobInfo queued = s.submit(job("queued", "ann", 0));
        assertTrue(old.id().startsWith("job-20261124-"));

        clock.set(t0.plus(Duration.ofDays(8))); // old finished 8 days ago, young 3 days ago
        s.retain();
        assertTrue(s.get(old.id()).isEmpty(), "a job finished 8 days ago is deleted (retention 7 days)");
        assertFalse(Files.exists(dir.resolve(old.id())), "with its folder and results");
        assertEquals(JobState.SUCCEEDED, s.get(young.id()).orElseThrow().state(), "a job finished 3 days ago is kept");
        assertTrue(s.result(young.id(), "clip.mp4").isPresent());
        List<org.osgi.service.event.Event> deleted = ea.events.stream().filter(e -> e.getTopic().equals(JobServiceImpl.TOPIC_DELETED)).toList();
        assertEquals(1, deleted.size(), deleted.toString());
        assertEquals(old.id(), deleted.get(0).getProperty(io.kinora.api.jobs.JobService.PROP_JOB_ID));
        assertEquals("SUCCEEDED", deleted.get(0).getProperty(io.kinora.api.jobs.JobService.PROP_STATE), "the state it had");
        assertTrue(String.valueOf(deleted.get(0).getProperty(JobServiceImpl.PROP_REASON)).startsWith("older than 7 days"), deleted.toString());

        clock.set(t0.plus(Duration.ofDays(30)));
        s.retain();
        assertTrue(s.get(young.id()).isEmpty(), "past the age too now");
        assertEquals(JobState.RUNNING, s.get(running.id()).orElseThrow().state(), "a running job is never deleted, however old");
        assertEquals(JobState.QUEUED, s.get(queued.id()).orElseThrow().state(), "nor a queued one");
        assertTrue(Files.exists(dir.resolve(running.id()).resolve("job.json")) && Files.exists(dir.resolve(queued.id()).resolve("scene.json")));
        gate.open();
        assertEquals(List.of("clip.mp4", "clip.report.json"), await(s, queued.id(), JobState.SUCCEEDED).results(), "and runs to its end");
    }

    @Test
    void overTheResultsBudgetTheOldestFinishedJobsGoFirst() throws Exception {
        Instant t0 = Instant.parse("2026-11-24T12:00:00Z");
        MutableClock clock = new MutableClock(t0);
        JobServiceImpl s = start(config(1, 10, 10, 7, 1), clock); // a budget of 1 MiB
        CapturingEvents ea = new CapturingEvents();
        s.bindEvents(ea);
        List<String> done = new ArrayList<>();
        for (String name : List.of("first", "second", "third")) {
            JobInfo j = s.submit(job(name, "ann", 0));
            gate.permits.release();
            await(s, j.id(), JobState.SUCCEEDED);
            // results of 400 KiB each: together 1.2 MiB, over the budget
            Files.write(dir.resolve(j.id()).resolve("results").resolve("stem.wav"), new byte[400 * 1024]);
            done.add(j.id());
            clock.advance(Duration.ofMinutes(1));
        }
        JobInfo running = s.submit(job("running", "ann", 0));
        await(s, running.id(), JobState.RUNNING);
        JobInfo queued = s.submit(job("queued", "ann", 0));
        // unfinished jobs' files do not count and are never deleted
        Files.write(dir.resolve(running.id()).resolve("results").resolve("big.partial"), new byte[3 << 20]);
        Files.write(dir.resolve(queued.id()).resolve("big.bin"), new byte[3 << 20]);

        s.retain();
        assertTrue(s.get(done.get(0)).isEmpty(), "the oldest finished job goes first");
        assertFalse(Files.exists(dir.resolve(done.get(0))));
        assertTrue(s.get(done.get(1)).isPresent() && s.get(done.get(2)).isPresent(), "0.8 MiB left: the newer ones stay");
        assertTrue(Files.exists(dir.resolve(done.get(1)).resolve("results").resolve("stem.wav")));
        List<org.osgi.service.event.Event> deleted = ea.events.stream().filter(e -> e.getTopic().equals(JobServiceImpl.TOPIC_DELETED)).toList();
        assertEquals(1, deleted.size());
        assertEquals(done.get(0), deleted.get(0).getProperty(io.kinora.api.jobs.JobService.PROP_JOB_ID));
        assertTrue(String.valueOf(deleted.get(0).getProperty(JobServiceImpl.PROP_REASON)).contains("over the budget of 1 MiB"), deleted.toString());

        // the newest grows past the budget together with the middle one: the middle (older) one goes, the newest stays
        Files.write(dir.resolve(done.get(2)).resolve("results").resolve("extra.wav"), new byte[300 * 1024]);
        s.retain();
        assertTrue(s.get(done.get(1)).isEmpty(), "the older of the two");
        assertTrue(s.get(done.get(2)).isPresent(), "the newest is kept once the rest fits the budget");
        assertEquals(JobState.RUNNING, s.get(running.id()).orElseThrow().state());
        assertEquals(JobState.QUEUED, s.get(queued.id()).orElseThrow().state());
        assertTrue(Files.exists(dir.resolve(running.id()).resolve("results").resolve("big.partial")));
        assertTrue(Files.exists(dir.resolve(queued.id()).resolve("big.bin")));
    }

    /** Reports the given progress steps one at a time, each when the test releases it. */
    static final class Steps implements GenerationService {
        final List<Object[]> steps;
        final Semaphore next = new Semaphore(0);

        Steps(Object[]... steps) { this.steps = List.of(steps); }

        @Override
        public GenerationResult generate(GenerationRequest request, io.kinora.api.generation.GenerationListener listener,
                                         io.kinora.api.media.Cancellation cancellation) throws GenerationException {
            try {
                for (Object[] step : steps) {
                    while (!next.tryAcquire(20, TimeUnit.MILLISECONDS)) cancellation.check();
                    listener.progress((Stage) step[0], (Double) step[1], "step");
                }
                while (!next.tryAcquire(20, TimeUnit.MILLISECONDS)) cancellation.check();
                Files.writeString(request.output(), "mp4");
            } catch (InterruptedException | java.io.IOException e) {
                throw new GenerationException(e.toString());
            }
            Timeline t = new Timeline(1, 24, 24, List.of(), List.of());
            return new GenerationResult(request.jobId(), List.of(request.output()), t,
                    new JobReport(Map.of(), Map.of(), new ModelInfo("m", "1", "f", "d"), Map.of(), Map.of()));
        }
    }

    @Test
    void theEtaIsGivenWhileTheJobRunsAndShrinksWithItsProgress() throws Exception {
        Instant t0 = Instant.parse("2026-11-24T12:00:00Z");
        MutableClock clock = new MutableClock(t0);
        Steps render = new Steps(new Object[]{Stage.PLAN, 0.5}, new Object[]{Stage.VIDEO, 0.2}, new Object[]{Stage.VIDEO, 0.9},
                new Object[]{Stage.SIGN, 0.5});
        JobServiceImpl s = new JobServiceImpl(render, reader, config(1, 10, 10, 7, 1000), dir, clock);
        services.add(s);
        JobInfo j = s.submit(job("eta", "ann", 0));
        await(s, j.id(), JobState.RUNNING);
        assertEquals(null, s.get(j.id()).orElseThrow().etaSeconds(), "nothing done yet: no estimate");
        // seconds since the job started -> the expected ETA: elapsed * (1 - done) / done, done from the stage weights
        double[][] expected = {{1, Double.NaN}, {10, 10 * 0.65 / 0.35}, {20, 20 * 0.125 / 0.875}, {22, 22 * 0.025 / 0.975}};
        String[] stages = {"plan", "video", "video", "sign"};
        double last = Double.MAX_VALUE;
        for (int i = 0; i < expected.length; i++) {
            clock.set(t0.plus(Duration.ofMillis((long) (expected[i][0] * 1000))));
            render.next.release();
            double fraction = (Double) render.steps.get(i)[1];
            String stage = stages[i];
            eventually(() -> {
                JobInfo k = s.get(j.id()).orElseThrow();
                return stage.equals(k.stage()) && k.stageProgress() == fraction;
            }, () -> "step " + stage + " " + fraction + ": " + s.get(j.id()));
            JobInfo k = s.get(j.id()).orElseThrow();
            assertEquals(JobState.RUNNING, k.state());
            if (Double.isNaN(expected[i][1])) {
                assertEquals(null, k.etaSeconds(), "under a tenth done: no estimate yet");
                continue;
            }
            assertTrue(k.etaSeconds() != null, "an ETA while it runs: " + k);
            assertEquals(expected[i][1], k.etaSeconds(), 1e-6, "ETA at " + stage + " " + fraction);
            assertTrue(k.etaSeconds() < last, "the ETA shrinks: " + k.etaSeconds() + " after " + last);
            last = k.etaSeconds();
        }
        render.next.release();
        JobInfo done = await(s, j.id(), JobState.SUCCEEDED);
        assertEquals(0.0, done.etaSeconds());
    }

    @Test
    void withConcurrencyTwoTwoJobsRunAtOnceAndAThirdWaits() throws Exception {
        JobServiceImpl s = start(config(2, 10, 10, 7, 1000));
        JobInfo a = s.submit(job("a", "ann", 0));
        JobInfo b = s.submit(job("b", "bob", 0));
        JobInfo c = s.submit(job("c", "carl", 0));
        await(s, a.id(), JobState.RUNNING);
        await(s, b.id(), JobState.RUNNING);
        Thread.sleep(200);
        assertEquals(JobState.QUEUED, s.get(c.id()).orElseThrow().state(), "a third job waits while two run");
        assertEquals(JobState.RUNNING, s.get(a.id()).orElseThrow().state());
        assertEquals(JobState.RUNNING, s.get(b.id()).orElseThrow().state());
        assertEquals(2, new java.util.HashSet<>(gate.threads).size(), "on two workers: " + gate.threads);
        gate.permits.release(); // one of the two ends: the third takes its worker
        await(s, c.id(), JobState.RUNNING);
        assertEquals(1, s.list(null).stream().filter(i -> i.state() == JobState.SUCCEEDED).count());
        gate.open();
        for (JobInfo j : List.of(a, b, c)) await(s, j.id(), JobState.SUCCEEDED);
    }

    @Test
    void anImageOverThePixelLimitOrUnreadableIsRefusedAtSubmission() throws Exception {
        JobServiceImpl s = start(config(1, 10, 10, 7, 1000)); // 10 000 pixels at most
        JobSubmission huge = new JobSubmission(job("x", "ann", 0).scene(), png(200, 100), "huge.png", "ann", 0);
        JobRejectedException e = assertThrows(JobRejectedException.class, () -> s.submit(huge));
        assertEquals("image: 'huge.png' is 200x100 = 20000 pixels; the limit is 10000 (io.kinora.jobs.queue, max.image.pixels)", e.getMessage());
        assertFalse(e.isBusy());
        JobSubmission junk = new JobSubmission(job("x", "ann", 0).scene(), "not an image".getBytes(StandardCharsets.UTF_8), "junk.png", "ann", 0);
        assertTrue(assertThrows(JobRejectedException.class, () -> s.submit(junk)).getMessage()
                .startsWith("image: 'junk.png' is not an image Kinora can read"));
        JobSubmission tiny = new JobSubmission(job("x", "ann", 0).scene(), png(8, 8), "tiny.png", "ann", 0);
        assertTrue(assertThrows(JobRejectedException.class, () -> s.submit(tiny)).getMessage().contains("at least 16x16"));
        assertEquals(0, s.list(null).size(), "nothing was stored");
        try (java.util.stream.Stream<Path> dirs = Files.list(dir)) {
            assertEquals(0, dirs.count());
        }
        JobInfo fits = s.submit(job("fits", "ann", 0));
        assertEquals(List.of(fits.id()), s.list(null).stream().map(JobInfo::id).toList(), "an image within the limits is taken");
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
