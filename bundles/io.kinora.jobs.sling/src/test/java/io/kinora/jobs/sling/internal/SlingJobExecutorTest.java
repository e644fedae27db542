package io.kinora.jobs.sling.internal;

import io.kinora.api.jobs.JobInfo;
import io.kinora.api.jobs.JobRunner;
import io.kinora.api.jobs.JobState;
import io.kinora.api.media.Cancellation;
import org.apache.sling.event.jobs.Job;
import org.apache.sling.event.jobs.consumer.JobExecutionContext;
import org.apache.sling.event.jobs.consumer.JobExecutionResult;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How Sling's side of a run maps onto Kinora's: the job property, isStopped() as the stop request, progress steps and
 * estimate, and each outcome to Sling's succeeded / cancelled (no retry) / failed (delivered again). The run in a real
 * Sling Starter is checked by hand and by the distribution's host tests.
 */
class SlingJobExecutorTest {
    /** Sling's execution context as the job manager gives it: records progress and builds results. */
    static final class Context implements JobExecutionContext {
        volatile boolean stopped;
        int steps = -1;
        int progressCount;
        final List<Long> etas = new ArrayList<>();

        @Override public void asyncProcessingFinished(JobExecutionResult result) { }
        @Override public boolean isStopped() { return stopped; }
        @Override public void initProgress(int steps, long eta) { this.steps = steps; }
        @Override public void incrementProgressCount(int n) { progressCount += n; }
        @Override public void updateProgress(long eta) { etas.add(eta); }
        @Override public void log(String message, Object... args) { }

        @Override
        public ResultBuilder result() {
            return new ResultBuilder() {
                String message;
                @Override public ResultBuilder message(String m) { message = m; return this; }
                @Override public JobExecutionResult succeeded() { return new Result("succeeded", message, null); }
                @Override public JobExecutionResult failed() { return new Result("failed", message, null); }
                @Override public JobExecutionResult failed(long delay) { return new Result("failed", message, delay); }
                @Override public JobExecutionResult cancelled() { return new Result("cancelled", message, null); }
            };
        }
    }

    record Result(String kind, String getMessage, Long getRetryDelayInMs) implements JobExecutionResult {
        @Override public boolean succeeded() { return kind.equals("succeeded"); }
        @Override public boolean cancelled() { return kind.equals("cancelled"); }
        @Override public boolean failed() { return kind.equals("failed"); }
    }

    static Job job(String kinoraId) {
        Map<String, Object> props = kinoraId == null ? Map.of() : Map.of(SlingJobScheduler.PROP_JOB_ID, kinoraId);
        return (Job) Proxy.newProxyInstance(Job.class.getClassLoader(), new Class<?>[]{Job.class}, (p, m, a) -> switch (m.getName()) {
            case "getId" -> "2026/11/25/1/sling-job-1";
            case "getTopic" -> SlingJobScheduler.TOPIC;
            case "getProperty" -> props.get((String) a[0]);
            default -> throw new UnsupportedOperationException(m.getName());
        });
    }

    static JobInfo info(String id, JobState state, double progress, Double eta, String error, String scheduler) {
        return new JobInfo(id, "ann", state, 0, Instant.EPOCH, null, null, "video", 0.5, progress, eta,
                state == JobState.SUCCEEDED ? List.of("clip.mp4") : List.of(), error, scheduler);
    }

    @Test
    void runsTheKinoraJobWithStopAndProgressAndSucceeds() {
        Context ctx = new Context();
        List<String> ran = new ArrayList<>();
        JobRunner runner = (id, stop, listener) -> {
            ran.add(id);
            assertFalse(stop.isCancelled());
            listener.progress(info(id, JobState.RUNNING, 0.33, 12.4, null, "sling"));
            listener.progress(info(id, JobState.RUNNING, 0.34, 11.0, null, "sling")); // throttled: 1 % later
            ctx.stopped = true;
            assertTrue(stop.isCancelled(), "Sling's isStopped() is the stop request");
            return info(id, JobState.SUCCEEDED, 1, 0.0, null, "sling");
        };
        JobExecutionResult r = new SlingJobExecutor(runner).process(job("job-20261125-0123456789"), ctx);
        assertTrue(r.succeeded());
        assertEquals("results: clip.mp4", r.getMessage());
        assertEquals(List.of("job-20261125-0123456789"), ran);
        assertEquals(100, ctx.steps);
        assertEquals(100, ctx.progressCount, "progress ends at 100 of 100 steps");
        assertEquals(List.of(12L), ctx.etas);
    }

    @Test
    void failuresAndCancelsAreFinalAStopRunsAgain() {
        Context ctx = new Context();
        String id = "job-20261125-0123456789";
        JobExecutionResult failed = new SlingJobExecutor((i, s, l) -> info(i, JobState.FAILED, 0.2, null,
                "image: broken.png is not an image Kinora can read", "sling")).process(job(id), ctx);
        assertTrue(failed.cancelled(), "a deterministic failure is not retried");
        assertEquals("image: broken.png is not an image Kinora can read", failed.getMessage());

        JobExecutionResult cancelled = new SlingJobExecutor((i, s, l) -> info(i, JobState.CANCELLED, 0.2, null,
                "cancelled while video", "sling")).process(job(id), ctx);
        assertTrue(cancelled.cancelled());

        JobExecutionResult stopped = new SlingJobExecutor((i, s, l) -> info(i, JobState.QUEUED, 0, null, null, "sling"))
                .process(job(id), ctx);
        assertTrue(stopped.failed(), "stopped before it ended: Sling delivers it again");
        assertNull(stopped.getRetryDelayInMs());

        JobExecutionResult notOurs = new SlingJobExecutor((i, s, l) -> info(i, JobState.QUEUED, 0, null, null, "local"))
                .process(job(id), ctx);
        assertTrue(notOurs.cancelled(), "a job of Kinora's own queue is dropped by Sling");
    }

    @Test
    void aJobNotInTheFolderOrAServiceRestartingAreReportedClearly() {
        Context ctx = new Context();
        JobExecutionResult missing = new SlingJobExecutor((i, s, l) -> {
            throw new IllegalArgumentException("no job " + i + " in /srv/kinora/jobs");
        }).process(job("job-20261125-0123456789"), ctx);
        assertTrue(missing.cancelled());
        assertTrue(missing.getMessage().contains("the job folder must be shared by every instance"), missing.getMessage());

        JobExecutionResult busy = new SlingJobExecutor((i, s, l) -> {
            throw new IllegalStateException("the job service is stopping");
        }).process(job("job-20261125-0123456789"), ctx);
        assertTrue(busy.failed());
        assertEquals(SlingJobExecutor.RETRY_DELAY_MS, busy.getRetryDelayInMs());

        Cancellation[] seen = new Cancellation[1];
        JobExecutionResult foreign = new SlingJobExecutor((i, s, l) -> {
            seen[0] = s;
            return null;
        }).process(job(null), ctx);
        assertTrue(foreign.cancelled());
        assertTrue(foreign.getMessage().startsWith("not a Kinora job"));
        assertNull(seen[0], "nothing ran");
    }
}
