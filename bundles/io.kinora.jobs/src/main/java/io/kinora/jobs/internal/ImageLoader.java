package io.kinora.jobs.internal;

import io.kinora.api.media.RgbImage;
import io.kinora.api.media.StageException;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;

/** Decodes the source image with limits checked before any pixel is decoded. */
final class ImageLoader {
    private ImageLoader() {
    }

    static RgbImage load(Path file, long maxPixels, long maxBytes) {
        if (file == null) throw new StageException("image: no image given");
        if (!Files.exists(file)) throw new StageException("image: " + file + " does not exist");
        if (Files.isDirectory(file)) throw new StageException("image: " + file + " is a directory, not an image file");
        if (!Files.isReadable(file)) throw new StageException("image: " + file + " cannot be read (permission denied)");
        try {
            long size = Files.size(file);
            if (size > maxBytes) {
                throw new StageException("image: " + file + " is " + size + " bytes; the limit is " + maxBytes);
            }
            try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
                Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
                if (readers == null || !readers.hasNext()) {
                    throw new StageException("image: " + file + " is not an image Kinora can read (PNG, JPEG, BMP, GIF)");
                }
                ImageReader reader = readers.next();
                try {
                    reader.setInput(in, true, true);
                    int w = reader.getWidth(0);
                    int h = reader.getHeight(0);
                    if ((long) w * h > maxPixels) {
                        throw new StageException("image: " + file + " is " + w + "x" + h + " = " + ((long) w * h)
                                + " pixels; the limit is " + maxPixels);
                    }
                    if (w < 16 || h < 16) {
                        throw new StageException("image: " + file + " is " + w + "x" + h + "; at least 16x16 pixels are needed");
                    }
                    return toRgb(reader.read(0));
                } finally {
                    reader.dispose();
                }
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof StageException se) throw se;
            throw new StageException("image: " + file + " could not be decoded: " + e.getMessage());
        }
    }

    /** RGB bytes; transparent pixels are composed over white, as a product photo on a page would be. */
    static RgbImage toRgb(BufferedImage src) {
        BufferedImage rgb = new BufferedImage(src.getWidth(), src.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = rgb.createGraphics();
        try {
            g.setColor(java.awt.Color.WHITE);
            g.fillRect(0, 0, src.getWidth(), src.getHeight());
            g.drawImage(src, 0, 0, null);
        } finally {
            g.dispose();
        }
        byte[] bgr = ((DataBufferByte) rgb.getRaster().getDataBuffer()).getData();
        byte[] out = new byte[bgr.length];
        for (int i = 0; i < bgr.length; i += 3) {
            out[i] = bgr[i + 2];
            out[i + 1] = bgr[i + 1];
            out[i + 2] = bgr[i];
        }
        return new RgbImage(src.getWidth(), src.getHeight(), out);
    }
}
