package io.kinora.provenance.internal;

/** Layer names used in {@link io.kinora.api.provenance.LayerStatus}. */
public final class Layers {
    public static final String VISIBLE = "visible-label";
    public static final String AUDIO = "audio-label";
    public static final String IMPLICIT = "implicit-label";
    public static final String C2PA = "c2pa";
    public static final String WATERMARK = "watermark";

    private Layers() {
    }
}
