package io.kinora.api.jobs;

import io.kinora.api.media.Cancellation;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Runs one stored job in the caller's thread; registered by the job service for {@link JobScheduler}s. The job is read
 * from its folder, so any instance whose job folder is the same shared storage can run a job another instance took.
 */
@ProviderType
public interface JobRunner {
    /** Receives the job's state while it runs (stage, fractions done, estimate of the seconds left). */
    @FunctionalInterface
    interface Listener {
        Listener NONE = info -> { };

        void progress(JobInfo info);
    }

    /**
     * Runs the job {@code jobId} to its end and returns its final snapshot.
     *
     * <ul>
     * <li>{@link JobState#SUCCEEDED}, {@link JobState#FAILED}, {@link JobState#CANCELLED}: the job is finished (a failure
     * is deterministic: running it again gives the same failure, so a host should not retry it);</li>
     * <li>{@link JobState#QUEUED}: the run was stopped by {@code stop} without anyone cancelling the job (the host is
     * shutting down or took it back); the job stays unfinished and the host should deliver it again.</li>
     * </ul>
     * A job that has already finished (or that a previous delivery finished) is not run again: its final snapshot is
     * returned at once.
     *
     * @param stop     the host's request to stop (e.g. Sling's {@code isStopped()}); checked between units of work
     * @param listener progress as the job runs
     * @throws IllegalArgumentException when no job with this id is stored (on a cluster: the job folder is not shared)
     * @throws IllegalStateException     when the job cannot run now (the job service is stopping, or the job already runs
     *                                   on this instance); the host should deliver it again later
     */
    JobInfo run(String jobId, Cancellation stop, Listener listener);
}
