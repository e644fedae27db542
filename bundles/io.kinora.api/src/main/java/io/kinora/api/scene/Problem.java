package io.kinora.api.scene;

import java.util.Objects;

/** One thing wrong with a SceneSpec: the field (a JSON path such as {@code lines[2].character}) and what is wrong. */
public record Problem(String field, String message) {
    public Problem {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() { return field + ": " + message; }
}
