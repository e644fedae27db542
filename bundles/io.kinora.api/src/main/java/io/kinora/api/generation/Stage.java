package io.kinora.api.generation;

/** The stages of the main job, in the order they run. */
public enum Stage {
    PLAN("plan", "Voices and timeline"),
    AMBIENCE("ambience", "Ambient sound"),
    MIX("mix", "Audio mix"),
    VIDEO("video", "Rendering and encoding"),
    SIGN("sign", "Provenance");

    private final String id;
    private final String title;

    Stage(String id, String title) {
        this.id = id;
        this.title = title;
    }

    public String id() { return id; }

    public String title() { return title; }
}
