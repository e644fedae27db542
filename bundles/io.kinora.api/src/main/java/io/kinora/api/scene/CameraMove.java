package io.kinora.api.scene;

/** A camera move over the whole clip. {@link #AUTO} lets the model choose from the prompt. */
public enum CameraMove {
    AUTO("auto"),
    STATIC("static"),
    PUSH_IN("push-in"),
    PULL_OUT("pull-out"),
    PAN_LEFT("pan-left"),
    PAN_RIGHT("pan-right"),
    TILT_UP("tilt-up"),
    TILT_DOWN("tilt-down");

    private final String id;

    CameraMove(String id) { this.id = id; }

    public String id() { return id; }

    public static CameraMove fromId(String id) {
        for (CameraMove m : values()) if (m.id.equalsIgnoreCase(id)) return m;
        return null;
    }
}
