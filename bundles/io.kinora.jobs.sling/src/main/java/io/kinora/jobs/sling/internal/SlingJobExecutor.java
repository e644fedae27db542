package io.kinora.jobs.sling.internal;

import io.kinora.api.jobs.JobInfo;
import io.kinora.api.jobs.JobRunner;
import org.apache.sling.event.jobs.Job;
import org.apache.sling.event.jobs.consumer.JobExecutionContext;
import org.apache.sling.event.jobs.consumer.JobExecutionResult;
import org.apache.sling.event.jobs.consumer.JobExecutor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the Sling jobs of the topic {@link SlingJobScheduler#TOPIC} on this instance: reads the Kinora job from the job
 * folder (shared storage on a cluster) and runs it through Kinora's {@link JobRunner}, with Sling's
 * {@code isStopped()} as the stop request and the job's progress (percent and estimate) reported to Sling.
 *
 * <p>Outcomes: succeeded; a failed or cancelled Kinora job is {@code cancelled} for Sling (a generation failure is
 * deterministic, so retrying would only repeat it; the reason is the result message); a run stopped before it ended
 * (instance shutting down, job stopped) is {@code failed}, so Sling delivers it again.
 */
@Component(service = JobExecutor.class, property = JobExecutor.PROPERTY_TOPICS + "=" + SlingJobScheduler.TOPIC)
public final class SlingJobExecutor implements JobExecutor {
    private static final Logger LOG = LoggerFactory.getLogger(SlingJobExecutor.class);
    /** Progress goes to Sling (a repository write) at most this often, or when the percentage moves by {@link #MIN_STEP}. */
    private static final long PROGRESS_INTERVAL_NANOS = 2_000_000_000L;
    private static final int MIN_STEP = 5;
    /** After a run that could not start (e.g. Kinora's job service is restarting), Sling tries again after this long. */
    static final long RETRY_DELAY_MS = 10_000;

    private final JobRunner runner;

    @Activate
    public SlingJobExecutor(@Reference JobRunner runner) {
        this.runner = runner;
    }

    @Override
    public JobExecutionResult process(Job job, JobExecutionContext context) {
        String id = job.getProperty(SlingJobScheduler.PROP_JOB_ID, String.class);
        if (id == null) {
            return context.result().message("not a Kinora job: no " + SlingJobScheduler.PROP_JOB_ID + " property").cancelled();
        }
        context.initProgress(100, -1);
        Progress progress = new Progress(context);
        JobInfo done;
        try {
            done = runner.run(id, context::isStopped, progress);
        } catch (IllegalArgumentException e) {
            LOG.error("Sling job {}: Kinora job {} is not in this instance's job folder; on a cluster, the job folder "
                    + "(configuration io.kinora.jobs.queue, folder) must be storage every instance shares", job.getId(), id);
            return context.result().message(e.getMessage() + " (the job folder must be shared by every instance)").cancelled();
        } catch (IllegalStateException e) {
            LOG.info("Sling job {}: Kinora job {} cannot run now ({}); Sling tries again", job.getId(), id, e.getMessage());
            return context.result().message(e.getMessage()).failed(RETRY_DELAY_MS);
        }
        return switch (done.state()) {
            case SUCCEEDED -> {
                progress.finish();
                yield context.result().message("results: " + String.join(", ", done.results())).succeeded();
            }
            case FAILED -> context.result().message(done.error()).cancelled();
            case CANCELLED -> context.result().message(done.error() == null ? "cancelled" : done.error()).cancelled();
            case QUEUED -> SlingJobScheduler.NAME.equals(done.scheduler())
                    ? context.result().message("stopped before it ended; it runs again").failed()
                    : context.result().message("job " + id + " runs on Kinora's own queue, not as a Sling job").cancelled();
            case RUNNING -> context.result().message("job " + id + " is running elsewhere").failed(RETRY_DELAY_MS);
        };
    }

    /** Turns Kinora's progress into Sling's steps (percent) and estimate, throttled. */
    static final class Progress implements JobRunner.Listener {
        private final JobExecutionContext context;
        private int reported;
        private long lastNanos = System.nanoTime();

        Progress(JobExecutionContext context) { this.context = context; }

        @Override
        public synchronized void progress(JobInfo info) {
            int percent = (int) Math.floor(Math.max(0, Math.min(1, info.progress())) * 100);
            long now = System.nanoTime();
            if (percent - reported < MIN_STEP && now - lastNanos < PROGRESS_INTERVAL_NANOS) return;
            lastNanos = now;
            if (percent > reported) {
                context.incrementProgressCount(percent - reported);
                reported = percent;
            }
            if (info.etaSeconds() != null) context.updateProgress(Math.round(info.etaSeconds()));
        }

        synchronized void finish() {
            if (reported < 100) context.incrementProgressCount(100 - reported);
            reported = 100;
        }
    }
}
