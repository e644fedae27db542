package io.kinora.api.jobs;

/** Where a job is. {@link #SUCCEEDED}, {@link #FAILED} and {@link #CANCELLED} are final. */
public enum JobState {
    QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED;

    public boolean isFinal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }
}
