package io.kinora.api.media;

/** Asked by long-running stages between units of work; a stage stops with {@link CancelledException}. */
@FunctionalInterface
public interface Cancellation {
    Cancellation NEVER = () -> false;

    boolean isCancelled();

    default void check() {
        if (isCancelled()) throw new CancelledException();
    }

    /** Thrown by a stage that noticed its job was cancelled. */
    final class CancelledException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public CancelledException() { super("cancelled"); }
    }
}
