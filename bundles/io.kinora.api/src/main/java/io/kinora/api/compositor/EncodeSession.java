package io.kinora.api.compositor;

import io.kinora.api.media.RgbImage;

/**
 * An MP4 being written. Frames go in order; {@link #finish()} completes the file. {@link #close()} without a
 * successful finish deletes whatever was written: a partial file is never left behind.
 */
public interface EncodeSession extends AutoCloseable {
    void write(RgbImage frame);

    EncodeResult finish();

    @Override
    void close();
}
