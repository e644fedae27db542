package io.kinora.jobs.internal;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.Optional;

/**
 * The checks a submitted image gets before its job is stored: that some ImageIO reader recognises it, and its size
 * from the header (no pixel is decoded, so a huge image costs nothing to refuse). The job's run decodes the image
 * with {@link ImageLoader}, which checks its own configured limits again.
 */
final class ImageHeader {
    private ImageHeader() {
    }

    /** The problem with an uploaded image, naming the file and the limit, or empty when it may be queued. */
    static Optional<String> check(byte[] image, String name, long maxPixels) {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(image))) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                return Optional.of("image: '" + name + "' is not an image Kinora can read (PNG, JPEG, BMP, GIF)");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                int w = reader.getWidth(0);
                int h = reader.getHeight(0);
                long pixels = (long) w * h;
                if (pixels > maxPixels) {
                    return Optional.of("image: '" + name + "' is " + w + "x" + h + " = " + pixels + " pixels; the limit is "
                            + maxPixels + " (" + JobQueueConfig.PID + ", max.image.pixels)");
                }
                if (w < 16 || h < 16) {
                    return Optional.of("image: '" + name + "' is " + w + "x" + h + "; at least 16x16 pixels are needed");
                }
                return Optional.empty();
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            return Optional.of("image: '" + name + "' could not be read: " + e.getMessage());
        }
    }
}
