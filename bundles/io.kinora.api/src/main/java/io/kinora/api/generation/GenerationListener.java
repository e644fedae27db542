package io.kinora.api.generation;

/** Receives progress of a job: the stage, that stage's fraction done (0..1) and a short message. */
@FunctionalInterface
public interface GenerationListener {
    GenerationListener NONE = (stage, fraction, message) -> { };

    void progress(Stage stage, double fraction, String message);
}
