package io.kinora.api.scene;

/** Output resolution, named by the length of the frame's short side. */
public enum Resolution {
    P720("720p", 720),
    P1080("1080p", 1080);

    private final String id;
    private final int shortSide;

    Resolution(String id, int shortSide) {
        this.id = id;
        this.shortSide = shortSide;
    }

    public String id() { return id; }

    public int shortSide() { return shortSide; }

    public static Resolution fromId(String id) {
        for (Resolution r : values()) if (r.id.equalsIgnoreCase(id)) return r;
        return null;
    }
}
