package io.kinora.api.scene;

/**
 * A camera move over the whole clip. {@link #AUTO} lets the model choose from the prompt.
 *
 * <p>Since 1.1: {@link #ARC_LEFT} / {@link #ARC_RIGHT} (orbit around the subject), {@link #DOLLY_ZOOM} (the
 * subject keeps its size while the background changes), {@link #CRANE_UP} / {@link #CRANE_DOWN} (the camera rises
 * or sinks) and {@link #HANDHELD} (a gentle hand-held drift). A model that cannot render a move picks the closest
 * one it can and says so in its report.
 */
public enum CameraMove {
    AUTO("auto"),
    STATIC("static"),
    PUSH_IN("push-in"),
    PULL_OUT("pull-out"),
    PAN_LEFT("pan-left"),
    PAN_RIGHT("pan-right"),
    TILT_UP("tilt-up"),
    TILT_DOWN("tilt-down"),
    /** Orbit: the camera travels to the left around the subject, which stays in place. @since 1.1 */
    ARC_LEFT("arc-left"),
    /** Orbit: the camera travels to the right around the subject. @since 1.1 */
    ARC_RIGHT("arc-right"),
    /** Dolly zoom ("vertigo"): the subject keeps its size while the background stretches away. @since 1.1 */
    DOLLY_ZOOM("dolly-zoom"),
    /** The camera rises (a crane or jib move up, with more parallax than a tilt). @since 1.1 */
    CRANE_UP("crane-up"),
    /** The camera sinks. @since 1.1 */
    CRANE_DOWN("crane-down"),
    /** A gentle, organic hand-held drift (deterministic under the scene's seed). @since 1.1 */
    HANDHELD("handheld");

    private final String id;

    CameraMove(String id) { this.id = id; }

    public String id() { return id; }

    public static CameraMove fromId(String id) {
        for (CameraMove m : values()) if (m.id.equalsIgnoreCase(id)) return m;
        return null;
    }
}
