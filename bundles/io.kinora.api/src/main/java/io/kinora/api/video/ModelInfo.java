package io.kinora.api.video;

/**
 * Identity of a video model version: id (e.g. {@code parallax}), version (the model bundle's version),
 * family (models that can stand in for each other), and a one-line description of what it is.
 */
public record ModelInfo(String id, String version, String family, String description) {
    @Override
    public String toString() { return id + " " + version; }
}
