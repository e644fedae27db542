package io.kinora.jobs.internal;

import io.kinora.api.jobs.JobInfo;
import io.kinora.api.jobs.JobRejectedException;
import io.kinora.api.jobs.JobRunner;
import io.kinora.api.jobs.JobScheduler;
import io.kinora.api.jobs.JobState;
import io.kinora.api.scene.SceneLimits;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;

import static io.kinora.jobs.internal.JobServiceImplTest.await;
import static io.kinora.jobs.internal.JobServiceImplTest.config;
import static io.kinora.jobs.internal.JobServiceImplTest.job;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The job service with a host {@link JobScheduler}: a second, real implementation of the SPI that keeps its own queue
 * of job ids (outliving the job service, as Sling's persisted jobs do), runs them on its own thread through the
 * {@link JobRunner}, and delivers a job again when the runner says it was stopped before it finished.
 */
class HostSchedulerTest {
    @TempDir
    Path dir;
    final JobServiceImplTest.Gate gate = new JobServiceImplTest.Gate();
    final SceneSpecReaderImpl reader = new SceneSpecReaderImpl(SceneLimits.DEFAULTS, 1 << 16);
    final List<JobServiceImpl> services = new ArrayList<>();
    final ThreadScheduler host = new ThreadScheduler();

    @AfterEach
    void stop() throws InterruptedException {
        gate.open();
        host.close();
        services.forEach(JobServiceImpl::deactivate);
    }

    /** A host job system: a FIFO of ids, one runner thread, re-delivery of jobs that come back unfinished. */
    static final class ThreadScheduler implements JobScheduler, AutoCloseable {
        final LinkedBlockingDeque<String> pending = new LinkedBlockingDeque<>();
        final List<String> cancelled = Collections.synchronizedList(new ArrayList<>());
        final List<JobState> outcomes = Collections.synchronizedList(new ArrayList<>());
        final Map<String, Integer> deliveries = new ConcurrentHashMap<>();
        final List<Double> progress = Collections.synchronizedList(new ArrayList<>());
        volatile JobRunner runner;
        volatile boolean stopRequested;
        volatile boolean refuse;
        volatile boolean open = true;
        final Thread thread = new Thread(this::loop, "test-host-runner");

        ThreadScheduler() {
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public String name() { return "test-host"; }

        @Override
        public void schedule(String jobId, int priority) throws JobRejectedException {
            if (refuse) throw new JobRejectedException("busy: the host's queue is full; retry later", true, 5);
            pending.addLast(jobId);
        }

        @Override
        public void cancel(String jobId) {
            cancelled.add(jobId);
            pending.remove(jobId);
        }

        private void loop() {
            while (open) {
                String id;
                try {
                    id = pending.pollFirst(10, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    return;
                }
                if (id == null) continue;
                JobRunner r = runner;
                if (r == null) {
                    pending.addFirst(id);
                    sleep();
                    continue;
                }
                try {
                    deliveries.merge(id, 1, Integer::sum);
                    JobInfo done = r.run(id, () -> stopRequested, info -> progress.add(info.progress()));
                    outcomes.add(done.state());
                    if (done.state() == JobState.QUEUED) pending.addLast(id); // re-delivery, as Sling retries
                } catch (IllegalStateException e) {
                    pending.addLast(id);
                    sleep();
                }
            }
        }

        private static void sleep() {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void close() throws InterruptedException {
            open = false;
            thread.join(5000);
        }
    }

    static void eventually(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (!condition.getAsBoolean() && System.currentTimeMillis() < deadline) Thread.sleep(10);
        assertTrue(condition.getAsBoolean(), what);
    }

    JobServiceImpl start(String scheduler, int concurrency, JobScheduler hostScheduler) throws Exception {
        JobServiceImpl s = new JobServiceImpl(gate, reader, config(concurrency, 10, 10, 7, 1000, scheduler), dir,
                Clock.systemUTC(), () -> hostScheduler);
        services.add(s);
        return s;
    }

    JobServiceImpl start(String scheduler, int concurrency) throws Exception {
        return start(scheduler, concurrency, null);
    }

    JobServiceImpl startWithHost(String scheduler) throws Exception {
        JobServiceImpl s = start(scheduler, 2, host);
        host.runner = s;
        return s;
    }

    @Test
    void hostJobsRunOnlyOnTheHostNeverOnLocalWorkers() throws Exception {
        JobServiceImpl s = startWithHost("auto");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 4; i++) ids.add(s.submit(job("clip " + i, "ann", i)).id());
        assertEquals("test-host", s.get(ids.get(0)).orElseThrow().scheduler());
        gate.open();
        for (String id : ids) {
            JobInfo done = await(s, id, JobState.SUCCEEDED);
            assertEquals(List.of("clip.mp4", "clip.report.json"), done.results());
            assertEquals("test-host", done.scheduler());
        }
        assertEquals(ids, gate.order, "each job ran exactly once, in the host's order");
        assertEquals(List.of("test-host-runner"), new ArrayList<>(new HashSet<>(gate.threads)), "no local worker ran a host job");
        assertTrue(Files.readString(dir.resolve(ids.get(0)).resolve("job.json")).contains("\"scheduler\" : \"test-host\""));
        assertTrue(host.progress.contains(1.0) || host.progress.stream().anyMatch(p -> p > 0), "progress reached the host");
        // a second delivery of a finished job (a host retrying after a lost acknowledgement) does not run it again
        assertEquals(JobState.SUCCEEDED, s.run(ids.get(0), () -> false, JobRunner.Listener.NONE).state());
        assertEquals(4, gate.order.size());
    }

    @Test
    void localSettingIgnoresTheHostAndAutoFallsBackWithoutOne() throws Exception {
        JobServiceImpl local = startWithHost("local");
        JobInfo j = local.submit(job("mine", "ann", 0));
        assertEquals(JobInfo.SCHEDULER_LOCAL, j.scheduler());
        gate.open();
        await(local, j.id(), JobState.SUCCEEDED);
        assertTrue(gate.threads.get(0).startsWith("kinora-job-worker-"), gate.threads.toString());
        assertTrue(host.deliveries.isEmpty());
        // a host delivering a local job (it should not) gets the snapshot back and nothing runs
        assertEquals(JobState.SUCCEEDED, local.run(j.id(), () -> false, JobRunner.Listener.NONE).state());
        assertEquals(1, gate.order.size());

        JobServiceImpl auto = start("auto", 1);
        JobInfo k = auto.submit(job("no host", "ann", 0));
        assertEquals(JobInfo.SCHEDULER_LOCAL, k.scheduler());
        await(auto, k.id(), JobState.SUCCEEDED);
    }

    @Test
    void hostSettingRefusesWithoutAHostAndAHostRefusalIsTheSubmittersAnswer() throws Exception {
        JobServiceImpl s = start("host", 1);
        JobRejectedException none = assertThrows(JobRejectedException.class, () -> s.submit(job("a", "ann", 0)));
        assertTrue(none.isBusy());
        assertTrue(none.getMessage().startsWith("busy: no host job scheduler is available"), none.getMessage());
        JobServiceImpl h = startWithHost("host");
        host.refuse = true;
        JobRejectedException full = assertThrows(JobRejectedException.class, () -> h.submit(job("b", "ann", 0)));
        assertEquals("busy: the host's queue is full; retry later", full.getMessage());
        assertEquals(0, h.list(null).size(), "a refused job leaves nothing behind");
        try (var files = Files.list(dir)) {
            assertEquals(0, files.count());
        }
        host.refuse = false;
        JobInfo ok = h.submit(job("c", "ann", 0));
        gate.open();
        await(h, ok.id(), JobState.SUCCEEDED);
        assertEquals("test-host", h.get(ok.id()).orElseThrow().scheduler());
    }

    @Test
    void cancelsQueuedAndRunningHostJobs() throws Exception {
        JobServiceImpl s = startWithHost("auto");
        JobInfo running = s.submit(job("a", "ann", 0));
        await(s, running.id(), JobState.RUNNING);
        JobInfo queued = s.submit(job("b", "ann", 0));
        assertEquals(JobState.CANCELLED, s.cancel(queued.id()).orElseThrow().state());
        assertTrue(host.cancelled.contains(queued.id()), "the host was asked to drop it");
        // even if the host delivers it anyway, it does not run
        assertEquals(JobState.CANCELLED, s.run(queued.id(), () -> false, JobRunner.Listener.NONE).state());
        s.cancel(running.id());
        JobInfo c = await(s, running.id(), JobState.CANCELLED);
        assertTrue(c.error().startsWith("cancelled while"), c.error());
        assertEquals(List.of(running.id()), gate.order);
        eventually(() -> host.outcomes.contains(JobState.CANCELLED), "the host's run ended CANCELLED: " + host.outcomes);
    }

    @Test
    void aHostStopIsNotACancelTheHostDeliversTheJobAgain() throws Exception {
        JobServiceImpl s = startWithHost("auto");
        JobInfo j = s.submit(job("a", "ann", 0));
        await(s, j.id(), JobState.RUNNING);
        host.stopRequested = true; // e.g. Sling stopping the job on this instance while it shuts down
        eventually(() -> host.outcomes.contains(JobState.QUEUED), "the stopped run came back unfinished: " + host.outcomes);
        host.stopRequested = false;
        gate.open();
        JobInfo done = await(s, j.id(), JobState.SUCCEEDED);
        assertTrue(host.deliveries.get(j.id()) >= 2, "delivered again: " + host.deliveries);
        assertTrue(Files.readString(dir.resolve(j.id()).resolve("job.json")).contains("\"attempts\" : 1"),
                "a stop by the host is not counted as a crash");
        assertEquals("test-host", done.scheduler());
    }

    @Test
    void aRestartLeavesHostJobsToTheHostAndNeverRunsThemTwice() throws Exception {
        JobServiceImpl first = startWithHost("auto");
        JobInfo interrupted = first.submit(job("interrupted", "ann", 0));
        await(first, interrupted.id(), JobState.RUNNING);
        // killed mid-job: the host still holds the job (Sling persisted it); job.json says RUNNING
        byte[] runningState = Files.readAllBytes(dir.resolve(interrupted.id()).resolve("job.json"));
        host.runner = null;
        first.deactivate();
        services.remove(first);
        Files.write(dir.resolve(interrupted.id()).resolve("job.json"), runningState);
        int runsBefore = gate.order.size();

        JobServiceImpl second = start("auto", 2, host);
        Thread.sleep(300);
        assertEquals(runsBefore, gate.order.size(), "the restarted service's own workers did not pick up the host job");
        host.runner = second;
        gate.open();
        JobInfo done = await(second, interrupted.id(), JobState.SUCCEEDED);
        assertEquals("test-host", done.scheduler());
        assertEquals(runsBefore + 1, gate.order.size(), "re-delivered once by the host, run once");
        assertEquals("test-host-runner", gate.threads.get(gate.threads.size() - 1));
        assertTrue(Files.readString(dir.resolve(interrupted.id()).resolve("job.json")).contains("\"attempts\" : 2"));
    }

    @Test
    void switchedToLocalARestartTakesUnfinishedHostJobsBack() throws Exception {
        JobServiceImpl first = startWithHost("auto");
        host.runner = null; // the host holds the job but has not delivered it yet
        JobInfo j = first.submit(job("waiting at the host", "ann", 0));
        first.deactivate();
        services.remove(first);
        host.pending.clear(); // the host is gone with its queue

        JobServiceImpl local = start("local", 1);
        gate.open();
        JobInfo done = await(local, j.id(), JobState.SUCCEEDED);
        assertEquals(JobInfo.SCHEDULER_LOCAL, done.scheduler());
        assertTrue(gate.threads.get(0).startsWith("kinora-job-worker-"));
    }

    @Test
    void onASharedFolderAnyInstanceSeesAndCancelsAJobAnotherRuns() throws Exception {
        // instance A takes submissions; the host delivers to instance B; both see the same job folder
        JobServiceImpl a = start("auto", 1, host);
        JobServiceImpl b = start("auto", 1, host);
        host.runner = b;
        JobInfo j = a.submit(job("clustered", "ann", 0));
        await(b, j.id(), JobState.RUNNING);
        assertEquals(JobState.RUNNING, await(a, j.id(), JobState.RUNNING).state(), "A reads B's state from the shared folder");
        JobInfo k = a.submit(job("clustered too", "bob", 0));
        a.cancel(j.id());
        JobInfo cancelled = await(b, j.id(), JobState.CANCELLED);
        assertTrue(cancelled.error().startsWith("cancelled while"), cancelled.error());
        assertEquals(JobState.CANCELLED, await(a, j.id(), JobState.CANCELLED).state());
        gate.open();
        await(a, k.id(), JobState.SUCCEEDED);
        assertEquals(List.of("clip.mp4", "clip.report.json"), a.get(k.id()).orElseThrow().results());
        assertTrue(a.result(k.id(), "clip.mp4").isPresent(), "A serves the result B made");
        assertFalse(gate.threads.stream().anyMatch(t -> t.startsWith("kinora-job-worker-")));
        // B never saw the submission but knows the job from the folder
        assertEquals("bob", b.get(k.id()).orElseThrow().owner());
    }

    @Test
    void anInstanceAnnouncesTheStateChangesAnotherInstanceMadeToAHostJob() throws Exception {
        JobServiceImpl a = start("auto", 1, host);
        JobServiceImpl b = start("auto", 1, host);
        host.runner = b;
        JobServiceImplTest.CapturingEvents onA = new JobServiceImplTest.CapturingEvents();
        JobServiceImplTest.CapturingEvents onB = new JobServiceImplTest.CapturingEvents();
        a.bindEvents(onA);
        b.bindEvents(onB);
        JobInfo j = a.submit(job("clustered", "ann", 0));
        await(b, j.id(), JobState.RUNNING);
        await(a, j.id(), JobState.RUNNING); // A reads the state B stored
        gate.open();
        await(b, j.id(), JobState.SUCCEEDED);
        await(a, j.id(), JobState.SUCCEEDED);
        String p = JobServiceImplTest.T;
        List<String> topicsOnA = onA.topics(j.id());
        assertEquals(List.of(p + "QUEUED", p + "RUNNING", p + "SUCCEEDED"), topicsOnA, "A: its submission, then what it saw of B's run");
        org.osgi.service.event.Event running = onA.of(j.id()).get(1);
        assertEquals("test-host", running.getProperty(JobServiceImpl.PROP_SCHEDULER));
        assertEquals("QUEUED", running.getProperty(JobServiceImpl.PROP_PREVIOUS_STATE));
        assertTrue(String.valueOf(running.getProperty(JobServiceImpl.PROP_REASON)).startsWith("seen in the shared job folder"), running.toString());
        assertEquals("RUNNING", onA.of(j.id()).get(2).getProperty(JobServiceImpl.PROP_PREVIOUS_STATE));
        // B announces the run it made itself
        assertEquals(List.of(p + "RUNNING", p + "SUCCEEDED"), onB.topics(j.id()));
        // reading the same state again announces nothing new
        a.get(j.id());
        a.list(null);
        assertEquals(3, onA.of(j.id()).size());
    }
}
