package io.kinora.api.scene;

/** Frame aspect ratio of one rendition. */
public enum Aspect {
    LANDSCAPE("16:9", 16, 9),
    PORTRAIT("9:16", 9, 16),
    SQUARE("1:1", 1, 1);

    private final String id;
    private final int w;
    private final int h;

    Aspect(String id, int w, int h) {
        this.id = id;
        this.w = w;
        this.h = h;
    }

    public String id() { return id; }

    /** Frame width for a resolution; always even, as H.264 with 4:2:0 chroma requires. */
    public int width(Resolution r) {
        return w >= h ? even(r.shortSide() * (double) w / h) : r.shortSide();
    }

    /** Frame height for a resolution; always even. */
    public int height(Resolution r) {
        return h >= w ? even(r.shortSide() * (double) h / w) : r.shortSide();
    }

    private static int even(double v) { return (int) Math.round(v / 2.0) * 2; }

    public static Aspect fromId(String id) {
        for (Aspect a : values()) if (a.id.equals(id)) return a;
        return null;
    }
}
