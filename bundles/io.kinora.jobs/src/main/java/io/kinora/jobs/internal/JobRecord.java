package io.kinora.jobs.internal;

import io.kinora.api.jobs.JobInfo;
import io.kinora.api.jobs.JobState;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The stored, mutable state of one job; guarded by the owning queue's lock. */
final class JobRecord {
    String id;
    String owner;
    JobState state = JobState.QUEUED;
    int priority;
    long sequence;
    Instant submitted;
    Instant started;
    Instant finished;
    String imageName;
    String stage;
    double stageProgress;
    double progress;
    Double etaSeconds;
    int attempts;
    List<String> results = new ArrayList<>();
    String error;
    /** The host scheduler that holds this job (its name), or null when the local workers run it. */
    String scheduler;

    JobInfo info() {
        return new JobInfo(id, owner, state, priority, submitted, started, finished, stage, stageProgress, progress,
                etaSeconds, results, error, scheduler);
    }
}
