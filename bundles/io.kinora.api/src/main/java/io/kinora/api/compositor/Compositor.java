package io.kinora.api.compositor;

/** Mixes a clip's sound and encodes its pictures and sound into MP4 (H.264 + AAC, yuv420p, faststart). */
public interface Compositor {
    /** @throws io.kinora.api.media.StageException when the inputs do not fit together */
    Mix mix(MixRequest request);

    /**
     * Opens an encoder for one MP4.
     *
     * @throws io.kinora.api.media.StageException when the output cannot be written or no suitable encoder exists
     */
    EncodeSession open(EncodeRequest request);
}
