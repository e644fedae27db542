package io.kinora.api.jobs;

import java.time.Instant;
import java.util.List;

/**
 * A snapshot of a job: id, owner, state, priority, when it was submitted/started/finished, the current stage and its
 * fraction done, the job's overall fraction done, an estimate of the seconds left (or {@code null} before it can be
 * estimated), the result files (names inside the job's result folder, primary clip first), and the error when it failed.
 */
public record JobInfo(String id, String owner, JobState state, int priority, Instant submitted, Instant started,
                      Instant finished, String stage, double stageProgress, double progress, Double etaSeconds,
                      List<String> results, String error) {
    public JobInfo {
        results = results == null ? List.of() : List.copyOf(results);
    }
}
