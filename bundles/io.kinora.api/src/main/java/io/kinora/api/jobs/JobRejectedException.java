package io.kinora.api.jobs;

/**
 * A submission that was not queued: the queue is full ({@link #isBusy()}: retry later, after
 * {@link #retryAfterSeconds()}), the owner has too many jobs, or the input is invalid. The message says which.
 */
public class JobRejectedException extends Exception {
    private static final long serialVersionUID = 1L;
    private final boolean busy;
    private final int retryAfterSeconds;

    public JobRejectedException(String message, boolean busy, int retryAfterSeconds) {
        super(message);
        this.busy = busy;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public boolean isBusy() { return busy; }

    public int retryAfterSeconds() { return retryAfterSeconds; }
}
