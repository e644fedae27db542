package io.kinora.api.media;

/** Receives progress of one long-running step as a fraction from 0 to 1. */
@FunctionalInterface
public interface ProgressListener {
    ProgressListener NONE = (fraction, message) -> { };

    void progress(double fraction, String message);
}
