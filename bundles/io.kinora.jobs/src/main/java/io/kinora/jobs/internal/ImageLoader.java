package io.kinora.jobs.internal;

import io.kinora.api.media.RgbImage;
import io.kinora.api.media.StageException;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.FileImageInputStream;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import java.awt.Graphics2D;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorConvertOp;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.DirectColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.zip.ZipException;

/**
 * Decodes the source image into 8-bit sRGB, with every limit checked from the file's header before a pixel is
 * decoded (a decompression bomb is refused from its first bytes).
 *
 * <p>Order of work: file checks (exists, readable, not empty, at most {@code maxBytes}); the format from the
 * content (never the name); the header's width and height against the pixel limit; for JPEG the marker segments
 * up to the first scan (EXIF orientation, Adobe colour transform, component count); the picture as displayed
 * (after the EXIF orientation) against the minimum side and the aspect-ratio limit; only then decoding. Then:
 * <ul>
 *   <li>grayscale, palette, 16-bit and gray+alpha pictures are converted sample by sample (16-bit samples are
 *       rounded to 8 bits; gray samples are taken as they are stored, as browsers show them, not through Java's
 *       linear-gray colour space, which would lighten them);
 *   <li>transparent and translucent pixels are composited over {@link Limits#background()} (white by default:
 *       a cut-out product photo on a page), in stored (sRGB-encoded) values, as a browser composites;
 *   <li>CMYK and YCCK JPEGs are read as raw rasters; YCCK is converted to CMYK, Adobe-inverted samples
 *       (an APP14 "Adobe" segment) are inverted back, and the inks go to sRGB through the file's embedded ICC
 *       profile (APP2 ICC_PROFILE, as Photoshop writes) where it has one, otherwise as
 *       {@code R = 255 (1 - C)(1 - K)} (no colour profile: colours are approximate, the report says so);
 *   <li>pictures with another colour space (an embedded ICC profile) are converted to sRGB by Java 2D;
 *   <li>the EXIF orientation (tag 0x0112, all eight values) is applied last, so the picture is upright.
 * </ul>
 * Every refusal is a {@link StageException} naming the file, what is wrong, the limit and the setting of
 * {@link JobsConfig} that holds it.
 */
final class ImageLoader {
    static final int DEFAULT_MIN_SIDE = 64;
    static final double DEFAULT_MAX_ASPECT = 10.0;
    static final int DEFAULT_BACKGROUND = 0xFFFFFF;
    /** An RGB picture is one Java array: width x height x 3 must stay below 2^31. */
    static final long HARD_MAX_PIXELS = (Integer.MAX_VALUE - 16) / 3;
    private static final Set<String> FORMATS = Set.of("png", "jpeg", "bmp", "gif");
    private static final String SETTINGS = " in the configuration " + JobsConfig.PID;

    private ImageLoader() {
    }

    /**
     * The limits a source image must meet.
     *
     * @param maxPixels  most pixels (width x height), checked from the header
     * @param maxBytes   largest file
     * @param minSide    smallest width or height, as displayed
     * @param maxAspect  longest side / shortest side
     * @param background 0xRRGGBB that transparent pixels are composited over
     */
    record Limits(long maxPixels, long maxBytes, int minSide, double maxAspect, int background) {
        Limits {
            if (maxPixels < 1) throw new StageException("configuration: max.image.pixels" + SETTINGS + " must be positive, is " + maxPixels);
            if (maxBytes < 1) throw new StageException("configuration: max.image.bytes" + SETTINGS + " must be positive, is " + maxBytes);
            if (minSide < 1) throw new StageException("configuration: min.image.side" + SETTINGS + " must be at least 1, is " + minSide);
            if (!(maxAspect >= 1) || Double.isInfinite(maxAspect)) {
                throw new StageException("configuration: max.image.aspect" + SETTINGS + " must be a number of at least 1, is " + maxAspect);
            }
            if ((background & ~0xFFFFFF) != 0) throw new StageException("configuration: background must be 0xRRGGBB");
        }

        /** The other limits at their defaults. */
        static Limits of(long maxPixels, long maxBytes) {
            return new Limits(maxPixels, maxBytes, DEFAULT_MIN_SIDE, DEFAULT_MAX_ASPECT, DEFAULT_BACKGROUND);
        }

        static Limits of(JobsConfig c) {
            return new Limits(c.max_image_pixels(), c.max_image_bytes(), c.min_image_side(), c.max_image_aspect(),
                    parseColour(c.image_background(), "image.background"));
        }
    }

    /**
     * What the header says: the format, the stored size, the size as displayed (after the EXIF orientation), the
     * orientation (1 when there is none) and, for JPEG, the number of colour components and the Adobe transform.
     */
    record Header(String format, int storedWidth, int storedHeight, int width, int height, int orientation,
                  int components, int adobeTransform) {
    }

    /** A decoded picture and one line saying what was done to it, for the job report. */
    record Loaded(RgbImage image, Header header, String summary) {
    }

    /** Decodes with the minimum side, aspect limit and background at their defaults. */
    static RgbImage load(Path file, long maxPixels, long maxBytes) {
        return read(file, Limits.of(maxPixels, maxBytes)).image();
    }

    static RgbImage load(Path file, Limits limits) {
        return read(file, limits).image();
    }

    /** Checks a file's header against the limits without decoding a pixel. */
    static Header check(Path file, Limits limits) {
        Source s = Source.of(file);
        try (ImageInputStream in = s.stream()) {
            return inspect(s, in, limits).header;
        } catch (IOException e) {
            throw new StageException("image: " + s.name + " could not be read: " + e.getMessage());
        }
    }

    /** Checks an uploaded image's header against the limits without decoding a pixel. */
    static Header check(byte[] data, String name, Limits limits) {
        Source s = Source.of(data, name);
        try (ImageInputStream in = s.stream()) {
            return inspect(s, in, limits).header;
        } catch (IOException e) {
            throw new StageException("image: " + s.name + " could not be read: " + e.getMessage());
        }
    }

    /** Checks, decodes, converts to sRGB and turns the picture upright. */
    static Loaded read(Path file, Limits limits) {
        Source s = Source.of(file);
        try (ImageInputStream in = s.stream()) {
            Inspected i = inspect(s, in, limits);
            try {
                return decode(s, i, limits);
            } finally {
                i.reader.dispose();
            }
        } catch (IOException e) {
            throw new StageException("image: " + s.name + " could not be read: " + e.getMessage());
        }
    }

    /** Where the bytes come from: a file or an upload. */
    private record Source(String name, Path file, byte[] data, long size) {
        static Source of(Path file) {
            if (file == null) throw new StageException("image: no image given");
            if (!Files.exists(file)) throw new StageException("image: " + file + " does not exist");
            if (Files.isDirectory(file)) throw new StageException("image: " + file + " is a directory, not an image file");
            if (!Files.isReadable(file)) throw new StageException("image: " + file + " cannot be read (permission denied)");
            try {
                return new Source(file.toString(), file, null, Files.size(file));
            } catch (IOException e) {
                throw new StageException("image: " + file + " cannot be read: " + e.getMessage());
            }
        }

        static Source of(byte[] data, String name) {
            String n = name == null || name.isBlank() ? "the uploaded image" : name;
            if (data == null) throw new StageException("image: no image given");
            return new Source(n, null, data, data.length);
        }

        ImageInputStream stream() throws IOException {
            return file != null ? new FileImageInputStream(file.toFile()) : new MemoryCacheImageInputStream(new ByteArrayInputStream(data));
        }

        InputStream open() throws IOException {
            return file != null ? Files.newInputStream(file) : new ByteArrayInputStream(data);
        }
    }

    private record Inspected(ImageReader reader, Header header, JpegHeader jpeg) {
    }

    private static Inspected inspect(Source s, ImageInputStream in, Limits limits) throws IOException {
        String f = s.name;
        if (s.size == 0) throw new StageException("image: " + f + " is empty (0 bytes)");
        if (s.size > limits.maxBytes()) {
            throw new StageException("image: " + f + " is " + s.size + " bytes; the limit is " + limits.maxBytes()
                    + " (max.image.bytes" + SETTINGS + ")");
        }
        Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
        if (!readers.hasNext()) {
            throw new StageException("image: " + f + " is not an image Kinora can read (PNG, JPEG, BMP, GIF): its content"
                    + " is none of these formats, whatever its name says");
        }
        ImageReader reader = readers.next();
        String format = reader.getFormatName().toLowerCase(Locale.ROOT);
        if (format.equals("jpg")) format = "jpeg";
        if (format.equals("tif")) format = "tiff";
        if (!FORMATS.contains(format)) {
            reader.dispose();
            throw new StageException("image: " + f + " is a " + format.toUpperCase(Locale.ROOT)
                    + " image; Kinora reads PNG, JPEG, BMP and GIF");
        }
        boolean ok = false;
        try {
            reader.setInput(in, true, true);
            int w;
            int h;
            try {
                w = reader.getWidth(0);
                h = reader.getHeight(0);
            } catch (IOException | RuntimeException e) {
                throw new StageException("image: " + f + " is not a readable " + label(format) + " file: its header is"
                        + " damaged or cut short (" + reason(e) + ")");
            }
            if (w < 1 || h < 1) {
                throw new StageException("image: " + f + " has a " + label(format) + " header claiming " + w + "x" + h
                        + " pixels; it is damaged");
            }
            long pixels = (long) w * h;
            long maxPixels = Math.min(limits.maxPixels(), HARD_MAX_PIXELS);
            if (pixels > maxPixels) {
                throw new StageException("image: " + f + " is " + w + "x" + h + " = " + pixels + " pixels; the limit is "
                        + maxPixels + (maxPixels < limits.maxPixels() ? " (the most one picture can hold)"
                        : " (max.image.pixels" + SETTINGS + ")") + "; refused from its header, nothing was decoded");
            }
            JpegHeader jpeg = null;
            int orientation = 1;
            if (format.equals("jpeg")) {
                try (InputStream raw = s.open()) {
                    jpeg = JpegHeader.scan(raw);
                }
                if (jpeg.orientation >= 1 && jpeg.orientation <= 8) orientation = jpeg.orientation;
            }
            boolean swap = orientation >= 5;
            int dw = swap ? h : w;
            int dh = swap ? w : h;
            String shown = dw + "x" + dh + (swap ? " (as displayed: the EXIF orientation turns the stored " + w + "x" + h
                    + " picture)" : "");
            int min = Math.min(dw, dh);
            if (min < limits.minSide()) {
                throw new StageException("image: " + f + " is " + shown + " pixels; the smallest side must be at least "
                        + limits.minSide() + " px (min.image.side" + SETTINGS + "); a picture this small would be"
                        + " enlarged at least " + Math.round(1080.0 / min) + "x for a 1080p frame");
            }
            double aspect = Math.max(dw, dh) / (double) min;
            if (aspect > limits.maxAspect()) {
                throw new StageException(String.format(Locale.ROOT, "image: %s is %s pixels, an aspect ratio of %s:1;"
                        + " the limit is %s:1 (max.image.aspect%s): a clip's frame would show only a sliver of it",
                        f, shown, ratio(aspect), ratio(limits.maxAspect()), SETTINGS));
            }
            Header header = new Header(format, w, h, dw, dh, orientation, jpeg == null ? 0 : jpeg.components,
                    jpeg == null ? -1 : jpeg.adobeTransform);
            ok = true;
            return new Inspected(reader, header, jpeg);
        } finally {
            if (!ok) reader.dispose();
        }
    }

    private static Loaded decode(Source s, Inspected i, Limits limits) {
        String f = s.name;
        Header h = i.header;
        List<String> notes = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        i.reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
        RgbImage rgb;
        try {
            if (h.format.equals("jpeg") && h.components == 4) {
                Raster raster = i.reader.readRaster(0, null);
                checkComplete(f, h, warnings);
                rgb = cmykToRgb(raster, h.adobeTransform, cmykProfile(i.jpeg, notes), notes);
            } else if (h.format.equals("jpeg") && h.components != 0 && h.components != 1 && h.components != 3) {
                throw new StageException("image: " + f + " is a JPEG with " + h.components + " colour components;"
                        + " Kinora decodes grayscale (1), YCbCr/RGB (3) and CMYK/YCCK (4) JPEGs");
            } else {
                BufferedImage img = i.reader.read(0);
                checkComplete(f, h, warnings);
                rgb = convert(img, limits.background(), notes, f);
            }
        } catch (StageException e) {
            throw e;
        } catch (IOException e) {
            throw new StageException("image: " + f + " could not be decoded as " + label(h.format) + ": " + damage(e));
        } catch (OutOfMemoryError e) {
            throw new StageException("image: " + f + " (" + h.storedWidth + "x" + h.storedHeight + ") does not fit in"
                    + " memory; lower max.image.pixels" + SETTINGS + " or give the JVM more heap");
        } catch (RuntimeException e) {
            throw new StageException("image: " + f + " could not be decoded as " + label(h.format) + ": " + reason(e));
        }
        if (h.orientation != 1) {
            rgb = orient(rgb, h.orientation);
            notes.add(0, "EXIF orientation " + h.orientation + " (" + orientationName(h.orientation) + ") applied: stored "
                    + h.storedWidth + "x" + h.storedHeight + ", upright " + h.width + "x" + h.height);
        } else if (i.jpeg != null && i.jpeg.orientation != 0 && i.jpeg.orientation != 1) {
            notes.add("EXIF orientation value " + i.jpeg.orientation + " is not one of 1-8; ignored");
        }
        String summary = label(h.format) + " " + h.width + "x" + h.height + (notes.isEmpty() ? "" : "; " + String.join("; ", notes));
        return new Loaded(rgb, h, summary);
    }

    /** A decoder that ran out of data fills the rest with grey and warns: refuse that picture. */
    private static void checkComplete(String f, Header h, List<String> warnings) {
        for (String w : warnings) {
            String l = w.toLowerCase(Locale.ROOT);
            if (l.contains("premature end") || l.contains("truncated")) {
                throw new StageException("image: " + f + " is truncated: the " + label(h.format) + " data ends before the "
                        + h.storedWidth + "x" + h.storedHeight + " picture is complete (" + w + ")");
            }
        }
    }

    private static String damage(Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof EOFException || t instanceof ZipException
                    || String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT).contains("end of")) {
                return "the file is truncated or corrupt (" + reason(t) + ")";
            }
        }
        return "the file is corrupt (" + reason(e) + ")";
    }

    private static String reason(Throwable e) {
        String m = e.getMessage();
        Throwable c = e.getCause();
        if (c != null && c.getMessage() != null && (m == null || !m.contains(c.getMessage()))) {
            m = (m == null ? "" : m + ": ") + c.getMessage();
        }
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    private static String label(String format) {
        return format.toUpperCase(Locale.ROOT);
    }

    private static String ratio(double r) {
        return r == Math.rint(r) && r < 1e9 ? String.valueOf((long) r) : String.format(Locale.ROOT, "%.1f", r);
    }

    static String hex(int rgb) {
        return String.format(Locale.ROOT, "#%06X", rgb & 0xFFFFFF);
    }

    /** {@code #RRGGBB} (or {@code RRGGBB}) to 0xRRGGBB; a clear error naming the setting otherwise. */
    static int parseColour(String s, String setting) {
        String v = s == null ? "" : s.strip();
        if (v.startsWith("#")) v = v.substring(1);
        if (v.length() == 6) {
            try {
                return Integer.parseInt(v, 16);
            } catch (NumberFormatException e) {
                // fall through
            }
        }
        throw new StageException("configuration: " + setting + SETTINGS + " must be a colour #RRGGBB, is '" + s + "'");
    }

    // ---------------------------------------------------------------- conversion to 8-bit RGB

    /** RGB bytes; transparent pixels are composed over white, as a product photo on a page would be. */
    static RgbImage toRgb(BufferedImage src) {
        return convert(src, DEFAULT_BACKGROUND, new ArrayList<>(), "the image");
    }

    /**
     * 8-bit RGB of any decoded picture, alpha composited over {@code background}; notes what it did (gray,
     * palette, bit depth, how much was transparent).
     */
    static RgbImage convert(BufferedImage src, int background, List<String> notes, String name) {
        int w = src.getWidth();
        int h = src.getHeight();
        byte[] out = new byte[Math.multiplyExact(Math.multiplyExact(w, h), 3)];
        ColorModel cm = src.getColorModel();
        Raster r = src.getRaster();
        ColorSpace cs = cm.getColorSpace();
        boolean gray = cs == ColorSpace.getInstance(ColorSpace.CS_GRAY);
        boolean srgb = cs.isCS_sRGB();
        int transferType = r.getTransferType();
        boolean integral = transferType == DataBuffer.TYPE_BYTE || transferType == DataBuffer.TYPE_USHORT
                || transferType == DataBuffer.TYPE_INT;
        for (int b = 0; b < cm.getNumComponents(); b++) integral &= cm.getComponentSize(b) <= 16;
        long translucent;
        if (src.getType() == BufferedImage.TYPE_3BYTE_BGR && r.getParent() == null
                && r.getDataBuffer() instanceof DataBufferByte db && db.getNumBanks() == 1
                && db.getData().length == out.length) {
            byte[] bgr = db.getData();
            for (int i = 0; i < bgr.length; i += 3) {
                out[i] = bgr[i + 2];
                out[i + 1] = bgr[i + 1];
                out[i + 2] = bgr[i];
            }
            translucent = 0;
        } else if (cm instanceof IndexColorModel icm) {
            translucent = fromPalette(icm, r, background, out);
            notes.add(icm.hasAlpha() ? "palette with transparency" : "palette");
        } else if ((cm instanceof ComponentColorModel || cm instanceof DirectColorModel) && (gray || srgb) && integral) {
            translucent = fromSamples(cm, r, gray, background, out);
            int bits = cm.getComponentSize(0);
            if (gray) notes.add("grayscale");
            if (bits > 8) notes.add(bits + " bits per sample, rounded to 8");
        } else {
            translucent = viaJava2d(src, background, out, name, cs);
            notes.add("colour space " + colourSpaceName(cs) + " converted to sRGB"
                    + (cs.getType() == ColorSpace.TYPE_RGB || cs.getType() == ColorSpace.TYPE_GRAY ? " with its ICC profile" : ""));
        }
        if (cm.hasAlpha()) {
            notes.add(translucent == 0 ? "alpha channel fully opaque"
                    : String.format(Locale.ROOT, "alpha: %.1f %% of the pixels transparent or translucent, composited over %s",
                    100.0 * translucent / ((double) w * h), hex(background)));
        }
        return new RgbImage(w, h, out);
    }

    private static long fromPalette(IndexColorModel icm, Raster r, int background, byte[] out) {
        int n = icm.getMapSize();
        int[] rgb = new int[n];
        boolean[] partial = new boolean[n];
        for (int i = 0; i < n; i++) {
            int a = icm.getAlpha(i);
            partial[i] = a < 255;
            rgb[i] = (over(icm.getRed(i), a, 255, 255, background >> 16) << 16)
                    | (over(icm.getGreen(i), a, 255, 255, background >> 8) << 8)
                    | over(icm.getBlue(i), a, 255, 255, background);
        }
        int w = r.getWidth();
        int[] row = new int[w];
        long translucent = 0;
        for (int y = 0; y < r.getHeight(); y++) {
            r.getSamples(r.getMinX(), r.getMinY() + y, w, 1, 0, row);
            int o = y * w * 3;
            for (int x = 0; x < w; x++) {
                int idx = Math.min(Math.max(row[x], 0), n - 1);
                int c = rgb[idx];
                if (partial[idx]) translucent++;
                out[o++] = (byte) (c >> 16);
                out[o++] = (byte) (c >> 8);
                out[o++] = (byte) c;
            }
        }
        return translucent;
    }

    /** Samples of an sRGB or (stored-value) gray picture of any integer bit depth, alpha composited. */
    private static long fromSamples(ColorModel cm, Raster r, boolean gray, int background, byte[] out) {
        int w = r.getWidth();
        int h = r.getHeight();
        int colours = cm.getNumColorComponents();
        boolean alpha = cm.hasAlpha();
        boolean pre = cm.isAlphaPremultiplied();
        int bands = r.getNumBands();
        long[] max = new long[bands];
        for (int b = 0; b < bands; b++) max[b] = (1L << cm.getComponentSize(b)) - 1;
        long amax = alpha ? max[colours] : 1;
        int[] bg = {(background >> 16) & 0xff, (background >> 8) & 0xff, background & 0xff};
        int[] px = new int[w * bands];
        long translucent = 0;
        for (int y = 0; y < h; y++) {
            r.getPixels(r.getMinX(), r.getMinY() + y, w, 1, px);
            int o = y * w * 3;
            for (int x = 0, p = 0; x < w; x++, p += bands) {
                long a = alpha ? Math.min(px[p + colours] & 0xffffffffL, amax) : amax;
                if (a < amax) translucent++;
                for (int c = 0; c < 3; c++) {
                    int band = gray ? 0 : c;
                    long v = Math.min(px[p + band] & 0xffffffffL, max[band]);
                    out[o++] = (byte) (pre ? overPremultiplied(v, a, max[band], amax, bg[c]) : over(v, a, max[band], amax, bg[c]));
                }
            }
        }
        return translucent;
    }

    /** {@code v / vmax} at opacity {@code a / amax} over the 8-bit background {@code bg}, rounded to 8 bits. */
    static int over(long v, long a, long vmax, long amax, int bg) {
        long num = v * 255 * a + (long) (bg & 0xff) * vmax * (amax - a);
        long den = vmax * amax;
        return (int) ((num + den / 2) / den);
    }

    private static int overPremultiplied(long v, long a, long vmax, long amax, int bg) {
        long num = v * 255 * amax + (long) (bg & 0xff) * vmax * (amax - a);
        long den = vmax * amax;
        return (int) Math.min(255, (num + den / 2) / den);
    }

    /** Colour-managed conversion (an ICC profile), in strips so a large picture needs no second full copy. */
    private static long viaJava2d(BufferedImage src, int background, byte[] out, String name, ColorSpace cs) {
        int w = src.getWidth();
        int h = src.getHeight();
        boolean alpha = src.getColorModel().hasAlpha();
        int strip = Math.max(1, Math.min(h, (1 << 20) / w));
        BufferedImage dst = new BufferedImage(w, strip, alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
        int[] argb = new int[w];
        long translucent = 0;
        try {
            for (int y0 = 0; y0 < h; y0 += strip) {
                int sh = Math.min(strip, h - y0);
                BufferedImage part = src.getSubimage(0, y0, w, sh);
                BufferedImage target = sh == strip ? dst : dst.getSubimage(0, 0, w, sh);
                if (cs.getType() == ColorSpace.TYPE_RGB || cs.getType() == ColorSpace.TYPE_GRAY) {
                    new ColorConvertOp(null).filter(part, target);
                } else {
                    Graphics2D g = target.createGraphics();
                    try {
                        g.setComposite(java.awt.AlphaComposite.Src);
                        g.drawImage(part, 0, 0, null);
                    } finally {
                        g.dispose();
                    }
                }
                for (int y = 0; y < sh; y++) {
                    target.getRGB(0, y, w, 1, argb, 0, w);
                    int o = (y0 + y) * w * 3;
                    for (int x = 0; x < w; x++) {
                        int c = argb[x];
                        int a = alpha ? c >>> 24 : 255;
                        if (a < 255) translucent++;
                        out[o++] = (byte) over((c >> 16) & 0xff, a, 255, 255, background >> 16);
                        out[o++] = (byte) over((c >> 8) & 0xff, a, 255, 255, background >> 8);
                        out[o++] = (byte) over(c & 0xff, a, 255, 255, background);
                    }
                }
            }
        } catch (RuntimeException e) {
            throw new StageException("image: " + name + " uses the colour space " + colourSpaceName(cs)
                    + ", which Kinora cannot convert to RGB (" + reason(e) + ")");
        }
        return translucent;
    }

    private static String colourSpaceName(ColorSpace cs) {
        return switch (cs.getType()) {
            case ColorSpace.TYPE_RGB -> "RGB";
            case ColorSpace.TYPE_GRAY -> "gray";
            case ColorSpace.TYPE_CMYK -> "CMYK";
            case ColorSpace.TYPE_YCbCr -> "YCbCr";
            case ColorSpace.TYPE_Lab -> "Lab";
            case ColorSpace.TYPE_XYZ -> "XYZ";
            default -> "type " + cs.getType() + " with " + cs.getNumComponents() + " components";
        };
    }

    /**
     * A four-component JPEG's raw samples to RGB. {@code adobeTransform}: -1 no Adobe segment (plain CMYK,
     * not inverted), 0 Adobe CMYK (inverted), 2 Adobe YCCK (inverted CMYK whose C, M and Y were stored as YCbCr).
     */
    static RgbImage cmykToRgb(Raster r, int adobeTransform, List<String> notes) {
        return cmykToRgb(r, adobeTransform, null, notes);
    }

    /** The embedded CMYK ICC profile as a colour space, or null (with a note) when there is none usable. */
    private static ColorSpace cmykProfile(JpegHeader jpeg, List<String> notes) {
        byte[] bytes = jpeg == null ? null : jpeg.iccProfile();
        if (bytes == null) return null;
        try {
            java.awt.color.ICC_Profile p = java.awt.color.ICC_Profile.getInstance(bytes);
            if (p.getColorSpaceType() != ColorSpace.TYPE_CMYK) {
                notes.add("the embedded ICC profile is not a CMYK profile; ignored");
                return null;
            }
            return new java.awt.color.ICC_ColorSpace(p);
        } catch (RuntimeException e) {
            notes.add("the embedded ICC profile is damaged (" + reason(e) + "); ignored");
            return null;
        }
    }

    /**
     * As {@link #cmykToRgb(Raster, int, List)}, converting the inks through {@code profile} (an embedded CMYK ICC
     * profile, colour-managed by Java 2D) when there is one, with the plain formula when there is none or it fails.
     */
    static RgbImage cmykToRgb(Raster r, int adobeTransform, ColorSpace profile, List<String> notes) {
        if (profile != null) {
            try {
                RgbImage managed = cmykThroughProfile(r, adobeTransform, profile);
                notes.add((adobeTransform == 2 ? "YCCK" : "CMYK") + (adobeTransform >= 0 ? " (Adobe, inverted)" : "")
                        + " converted to sRGB with its embedded ICC profile");
                return managed;
            } catch (RuntimeException e) {
                notes.add("the embedded ICC profile could not convert the picture (" + reason(e) + ")");
            }
        }
        int w = r.getWidth();
        int h = r.getHeight();
        if (r.getNumBands() != 4) throw new StageException("a CMYK JPEG must have 4 components, has " + r.getNumBands());
        boolean ycck = adobeTransform == 2;
        boolean inverted = adobeTransform >= 0;
        byte[] out = new byte[Math.multiplyExact(Math.multiplyExact(w, h), 3)];
        int[] px = new int[w * 4];
        for (int y = 0; y < h; y++) {
            r.getPixels(r.getMinX(), r.getMinY() + y, w, 1, px);
            inks(px, ycck, inverted);
            int o = y * w * 3;
            for (int p = 0; p < px.length; p += 4) {
                int c = px[p];
                int m = px[p + 1];
                int ye = px[p + 2];
                int k = px[p + 3];
                int kk = 255 - k;
                out[o++] = (byte) (((255 - c) * kk + 127) / 255);
                out[o++] = (byte) (((255 - m) * kk + 127) / 255);
                out[o++] = (byte) (((255 - ye) * kk + 127) / 255);
            }
        }
        notes.add((ycck ? "YCCK" : "CMYK") + (inverted ? " (Adobe, inverted)" : "")
                + " converted to RGB without a colour profile (R = 255 (1 - C)(1 - K)): colours are approximate");
        return new RgbImage(w, h, out);
    }

    /** Ink amounts (0 none .. 255 full) of one raw raster row, written into {@code px} in place. */
    private static void inks(int[] px, boolean ycck, boolean inverted) {
        for (int p = 0; p < px.length; p += 4) {
            int c = px[p];
            int m = px[p + 1];
            int ye = px[p + 2];
            if (ycck) {
                double yy = c;
                double cb = m - 128.0;
                double cr = ye - 128.0;
                c = 255 - clamp(yy + 1.402 * cr);
                m = 255 - clamp(yy - 0.344136 * cb - 0.714136 * cr);
                ye = 255 - clamp(yy + 1.772 * cb);
            }
            int k = px[p + 3];
            if (inverted) {
                c = 255 - c;
                m = 255 - m;
                ye = 255 - ye;
                k = 255 - k;
            }
            px[p] = c;
            px[p + 1] = m;
            px[p + 2] = ye;
            px[p + 3] = k;
        }
    }

    private static RgbImage cmykThroughProfile(Raster r, int adobeTransform, ColorSpace profile) {
        int w = r.getWidth();
        int h = r.getHeight();
        byte[] out = new byte[Math.multiplyExact(Math.multiplyExact(w, h), 3)];
        int strip = Math.max(1, Math.min(h, (1 << 18) / w));
        java.awt.image.WritableRaster ink = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, w, strip, 4, null);
        java.awt.image.WritableRaster rgb = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, w, strip, 3, null);
        ColorConvertOp op = new ColorConvertOp(profile, ColorSpace.getInstance(ColorSpace.CS_sRGB), null);
        int[] px = new int[w * 4];
        int[] o3 = new int[w * 3];
        for (int y0 = 0; y0 < h; y0 += strip) {
            int sh = Math.min(strip, h - y0);
            for (int y = 0; y < sh; y++) {
                r.getPixels(r.getMinX(), r.getMinY() + y0 + y, w, 1, px);
                inks(px, adobeTransform == 2, adobeTransform >= 0);
                ink.setPixels(0, y, w, 1, px);
            }
            op.filter(ink, rgb);
            for (int y = 0; y < sh; y++) {
                rgb.getPixels(0, y, w, 1, o3);
                int o = (y0 + y) * w * 3;
                for (int k = 0; k < o3.length; k++) out[o + k] = (byte) o3[k];
            }
        }
        return new RgbImage(w, h, out);
    }

    private static int clamp(double v) {
        return v <= 0 ? 0 : v >= 255 ? 255 : (int) Math.round(v);
    }

    // ---------------------------------------------------------------- orientation

    /**
     * The upright picture for an EXIF orientation: each output pixel (x, y) takes the stored pixel given by the
     * orientation's mapping (1 identity, 2 mirror left-right, 3 rotate 180, 4 mirror top-bottom, 5 transpose,
     * 6 rotate 90 clockwise, 7 transverse, 8 rotate 90 counter-clockwise).
     */
    static RgbImage orient(RgbImage img, int orientation) {
        if (orientation == 1) return img;
        if (orientation < 1 || orientation > 8) throw new IllegalArgumentException("orientation " + orientation);
        int w = img.width();
        int h = img.height();
        boolean swap = orientation >= 5;
        int ow = swap ? h : w;
        int oh = swap ? w : h;
        byte[] src = img.rgb();
        byte[] dst = new byte[src.length];
        int o = 0;
        for (int oy = 0; oy < oh; oy++) {
            for (int ox = 0; ox < ow; ox++) {
                int sx;
                int sy;
                switch (orientation) {
                    case 2 -> { sx = w - 1 - ox; sy = oy; }
                    case 3 -> { sx = w - 1 - ox; sy = h - 1 - oy; }
                    case 4 -> { sx = ox; sy = h - 1 - oy; }
                    case 5 -> { sx = oy; sy = ox; }
                    case 6 -> { sx = oy; sy = h - 1 - ox; }
                    case 7 -> { sx = w - 1 - oy; sy = h - 1 - ox; }
                    default -> { sx = w - 1 - oy; sy = ox; } // 8
                }
                int s = (sy * w + sx) * 3;
                dst[o++] = src[s];
                dst[o++] = src[s + 1];
                dst[o++] = src[s + 2];
            }
        }
        return new RgbImage(ow, oh, dst);
    }

    static String orientationName(int o) {
        return switch (o) {
            case 1 -> "upright";
            case 2 -> "mirrored left to right";
            case 3 -> "rotated 180°";
            case 4 -> "mirrored top to bottom";
            case 5 -> "transposed: mirrored and rotated 90° counter-clockwise";
            case 6 -> "rotated 90° clockwise";
            case 7 -> "transversed: mirrored and rotated 90° clockwise";
            case 8 -> "rotated 90° counter-clockwise";
            default -> "invalid";
        };
    }

    /**
     * Enlargement note for one rendition: the cover fit scales the picture by {@code max(outW / w, outH / h)};
     * beyond 4x the frame will look soft, which the job report says (null when the fit is 4x or less).
     */
    static String enlargement(int w, int h, int outW, int outH) {
        double s = Math.max(outW / (double) w, outH / (double) h);
        if (s <= 4) return null;
        int cw = (int) Math.round(outW / s);
        int ch = (int) Math.round(outH / s);
        return String.format(Locale.ROOT, "the %dx%d frame shows a %dx%d px part of the %dx%d picture enlarged %.1fx:"
                + " expect a soft picture", outW, outH, cw, ch, w, h, s);
    }

    // ---------------------------------------------------------------- JPEG marker segments

    /**
     * What a JPEG's marker segments before the first scan say: component count (SOF), Adobe transform
     * (APP14, -1 when there is none) and the EXIF orientation (APP1, 0 when there is none). Every length is
     * bounds-checked; nothing past the start of scan is read.
     */
    static final class JpegHeader {
        int components;
        int adobeTransform = -1;
        int orientation;

        static JpegHeader scan(InputStream in) throws IOException {
            JpegHeader j = new JpegHeader();
            if (in.read() != 0xFF || in.read() != 0xD8) return j;
            while (true) {
                int b = in.read();
                if (b < 0) return j;
                if (b != 0xFF) continue; // tolerate garbage between segments, as decoders do
                int marker;
                do {
                    marker = in.read();
                } while (marker == 0xFF);
                if (marker < 0 || marker == 0xD9 || marker == 0xDA) return j; // end of image or start of scan
                if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) continue; // no length
                int hi = in.read();
                int lo = in.read();
                if (hi < 0 || lo < 0) return j;
                int len = (hi << 8) | lo;
                if (len < 2) return j;
                boolean sof = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
                boolean wanted = sof || marker == 0xE1 || marker == 0xEE || marker == 0xE2;
                if (!wanted) {
                    skip(in, len - 2);
                    continue;
                }
                byte[] seg = in.readNBytes(len - 2);
                if (seg.length < len - 2) return j;
                if (sof && seg.length >= 6 && j.components == 0) {
                    j.components = seg[5] & 0xff;
                } else if (marker == 0xEE && seg.length >= 12 && new String(seg, 0, 5, java.nio.charset.StandardCharsets.ISO_8859_1).equals("Adobe")) {
                    j.adobeTransform = seg[11] & 0xff;
                } else if (marker == 0xE1 && j.orientation == 0) {
                    j.orientation = exifOrientation(seg);
                } else if (marker == 0xE2 && seg.length > 14 && new String(seg, 0, 12, java.nio.charset.StandardCharsets.ISO_8859_1).equals("ICC_PROFILE\0")) {
                    j.iccChunk(seg[12] & 0xff, seg[13] & 0xff, Arrays.copyOfRange(seg, 14, seg.length));
                }
            }
        }

        private final java.util.TreeMap<Integer, byte[]> icc = new java.util.TreeMap<>();
        private int iccCount = -1;

        /** ICC profiles are split over APP2 segments numbered 1..count. */
        private void iccChunk(int seq, int count, byte[] data) {
            if (iccCount < 0) iccCount = count;
            if (count == iccCount && seq >= 1 && seq <= count) icc.putIfAbsent(seq, data);
        }

        /** The embedded ICC profile's bytes, or null when there is none or a chunk is missing. */
        byte[] iccProfile() {
            if (iccCount < 1 || icc.size() != iccCount) return null;
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            icc.values().forEach(out::writeBytes);
            return out.toByteArray();
        }

        private static void skip(InputStream in, long n) throws IOException {
            while (n > 0) {
                long s = in.skip(n);
                if (s <= 0) {
                    if (in.read() < 0) return;
                    s = 1;
                }
                n -= s;
            }
        }
    }

    /**
     * The orientation (tag 0x0112 in IFD0) of an APP1 segment's payload ({@code "Exif\0\0"} then a TIFF
     * structure); 0 when the segment is not EXIF, has no orientation or is malformed. Offsets are never trusted:
     * every read is checked against the segment's length.
     */
    static int exifOrientation(byte[] app1) {
        if (app1 == null || app1.length < 14) return 0;
        if (app1[0] != 'E' || app1[1] != 'x' || app1[2] != 'i' || app1[3] != 'f' || app1[4] != 0 || app1[5] != 0) return 0;
        int t = 6;
        boolean little;
        if (app1[t] == 'I' && app1[t + 1] == 'I') little = true;
        else if (app1[t] == 'M' && app1[t + 1] == 'M') little = false;
        else return 0;
        if (u16(app1, t + 2, little) != 42) return 0;
        long ifd = u32(app1, t + 4, little);
        if (ifd < 8 || t + ifd + 2 > app1.length) return 0;
        int at = (int) (t + ifd);
        int count = u16(app1, at, little);
        for (int i = 0; i < count; i++) {
            long e = at + 2L + 12L * i;
            if (e + 12 > app1.length) return 0;
            int tag = u16(app1, (int) e, little);
            if (tag != 0x0112) continue;
            int type = u16(app1, (int) e + 2, little);
            long n = u32(app1, (int) e + 4, little);
            if (n < 1) return 0;
            if (type == 3) return u16(app1, (int) e + 8, little); // SHORT, the value itself in the entry
            if (type == 4 || type == 9) { // LONG: tolerated, some writers use it
                long v = u32(app1, (int) e + 8, little);
                return v > 0 && v < 0xFFFF ? (int) v : 0;
            }
            return 0;
        }
        return 0;
    }

    private static int u16(byte[] b, int i, boolean little) {
        int a = b[i] & 0xff;
        int c = b[i + 1] & 0xff;
        return little ? (c << 8) | a : (a << 8) | c;
    }

    private static long u32(byte[] b, int i, boolean little) {
        long v = 0;
        for (int k = 0; k < 4; k++) {
            int s = little ? 3 - k : k;
            v = (v << 8) | (b[i + s] & 0xff);
        }
        return v;
    }
}
