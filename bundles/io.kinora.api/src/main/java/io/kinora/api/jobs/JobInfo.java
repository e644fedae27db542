package io.kinora.api.jobs;

import java.time.Instant;
import java.util.List;

/**
 * A snapshot of a job: id, owner, state, priority, when it was submitted/started/finished, the current stage and its
 * fraction done, the job's overall fraction done, an estimate of the seconds left (or {@code null} before it can be
 * estimated), the result files (names inside the job's result folder, primary clip first), the error when it failed,
 * and which scheduler runs it: {@link #SCHEDULER_LOCAL} for the job service's own workers, otherwise the
 * {@link JobScheduler#name() name} of the host scheduler it was handed to (e.g. {@code "sling"}).
 */
public record JobInfo(String id, String owner, JobState state, int priority, Instant submitted, Instant started,
                      Instant finished, String stage, double stageProgress, double progress, Double etaSeconds,
                      List<String> results, String error, String scheduler) {
    /** The scheduler name of jobs run by the job service's own workers. */
    public static final String SCHEDULER_LOCAL = "local";

    public JobInfo {
        results = results == null ? List.of() : List.copyOf(results);
        scheduler = scheduler == null || scheduler.isBlank() ? SCHEDULER_LOCAL : scheduler;
    }

    /** A job run by the job service's own workers (the 1.0 form). */
    public JobInfo(String id, String owner, JobState state, int priority, Instant submitted, Instant started,
                   Instant finished, String stage, double stageProgress, double progress, Double etaSeconds,
                   List<String> results, String error) {
        this(id, owner, state, priority, submitted, started, finished, stage, stageProgress, progress, etaSeconds,
                results, error, SCHEDULER_LOCAL);
    }
}
