package io.kinora.api.generation;

/**
 * A job failed. The message says what went wrong in terms a user can act on (which input, which limit,
 * which stage); it is meant to be shown as it is. Nothing partial was left at the output paths.
 */
public class GenerationException extends Exception {
    private static final long serialVersionUID = 1L;

    public GenerationException(String message) { super(message); }

    public GenerationException(String message, Throwable cause) { super(message, cause); }
}
