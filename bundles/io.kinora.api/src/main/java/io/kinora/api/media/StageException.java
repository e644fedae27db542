package io.kinora.api.media;

/**
 * A stage could not do its work for a reason a user or operator can act on. The message names the
 * problem (which input, which limit) and is shown as-is; never a stack trace.
 */
public class StageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StageException(String message) { super(message); }

    public StageException(String message, Throwable cause) { super(message, cause); }
}
