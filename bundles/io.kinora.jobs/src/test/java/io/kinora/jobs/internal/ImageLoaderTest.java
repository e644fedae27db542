package io.kinora.jobs.internal;

import io.kinora.api.media.RgbImage;
import io.kinora.api.media.StageException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.RenderedImage;
import java.awt.image.WritableRaster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Every test picture is made here (ImageIO writers, and bytes written by hand where ImageIO has no writer: EXIF
 * segments, Adobe CMYK markers, lying headers); each is decoded by {@link ImageLoader} and its RGB values checked.
 */
class ImageLoaderTest {
    static final ImageLoader.Limits LIMITS = ImageLoader.Limits.of(40_000_000L, 64L * 1024 * 1024);
    // quadrant colours of the orientation pictures: top-left, top-right, bottom-left, bottom-right
    static final int[][] QUAD = {{220, 30, 30}, {30, 200, 30}, {30, 30, 220}, {230, 220, 40}};

    @TempDir
    Path dir;

    // ------------------------------------------------------------------ pixel formats

    @Test
    void rgbPngIsExact() throws IOException {
        BufferedImage img = new BufferedImage(80, 70, BufferedImage.TYPE_INT_RGB);
        Random rnd = new Random(1);
        for (int y = 0; y < 70; y++) for (int x = 0; x < 80; x++) img.setRGB(x, y, rnd.nextInt(1 << 24));
        ImageLoader.Loaded l = ImageLoader.read(png(img, "rgb.png"), LIMITS);
        for (int y = 0; y < 70; y++) for (int x = 0; x < 80; x++) assertRgb(l.image(), x, y, img.getRGB(x, y), 0);
        assertEquals("PNG 80x70", l.summary());
    }

    @Test
    void grayscalePngKeepsItsStoredValues() throws IOException {
        BufferedImage img = new BufferedImage(256, 64, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 64; y++) for (int x = 0; x < 256; x++) img.getRaster().setSample(x, y, 0, x);
        Path f = png(img, "gray.png");
        assertEquals(0, pngColourType(f));
        ImageLoader.Loaded l = ImageLoader.read(f, LIMITS);
        // gray 128 stays 128 (Java's linear CS_GRAY would make it about 188)
        for (int x = 0; x < 256; x++) assertRgb(l.image(), x, 10, x * 0x010101, 0);
        assertTrue(l.summary().contains("grayscale"), l.summary());
    }

    @Test
    void sixteenBitGrayPngIsRoundedTo8Bits() throws IOException {
        BufferedImage img = new BufferedImage(64, 64, BufferedImage.TYPE_USHORT_GRAY);
        int[] values = {0, 127, 128, 257 * 100, 32768, 40000, 65407, 65535};
        for (int y = 0; y < 64; y++) for (int x = 0; x < 64; x++) img.getRaster().setSample(x, y, 0, values[x % values.length]);
        Path f = png(img, "gray16.png");
        assertEquals(16, pngBitDepth(f));
        ImageLoader.Loaded l = ImageLoader.read(f, LIMITS);
        for (int x = 0; x < 64; x++) {
            int v = values[x % values.length];
            int e = (int) Math.round(v * 255.0 / 65535);
            assertRgb(l.image(), x, 5, e * 0x010101, 0);
        }
        assertTrue(l.summary().contains("16 bits per sample"), l.summary());
    }

    @Test
    void sixteenBitRgbAndRgbaPngs() throws IOException {
        for (boolean alpha : new boolean[] {false, true}) {
            ColorModel cm = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB), alpha, false,
                    alpha ? Transparency.TRANSLUCENT : Transparency.OPAQUE, DataBuffer.TYPE_USHORT);
            WritableRaster r = cm.createCompatibleWritableRaster(64, 64);
            Random rnd = new Random(7);
            for (int y = 0; y < 64; y++) for (int x = 0; x < 64; x++) {
                for (int b = 0; b < r.getNumBands(); b++) r.setSample(x, y, b, rnd.nextInt(65536));
                if (alpha && x < 8) r.setSample(x, y, 3, 65535);
                if (alpha && x >= 8 && x < 16) r.setSample(x, y, 3, 0);
            }
            BufferedImage img = new BufferedImage(cm, r, false, null);
            Path f = png(img, "rgb16" + alpha + ".png");
            assertEquals(16, pngBitDepth(f));
            assertEquals(alpha ? 6 : 2, pngColourType(f));
            ImageLoader.Loaded l = ImageLoader.read(f, new ImageLoader.Limits(40_000_000L, 1 << 26, 64, 10, 0x204060));
            int[] bg = {0x20, 0x40, 0x60};
            for (int y = 0; y < 64; y++) for (int x = 0; x < 64; x++) {
                double a = alpha ? r.getSample(x, y, 3) / 65535.0 : 1;
                for (int c = 0; c < 3; c++) {
                    double v = r.getSample(x, y, c) / 65535.0 * 255;
                    int e = (int) Math.round(v * a + bg[c] * (1 - a));
                    assertEquals(e, l.image().sample(x, y, c), 1, "(" + x + "," + y + ") channel " + c);
                    if (x >= 8 && x < 16 && alpha) assertEquals(bg[c], l.image().sample(x, y, c));
                }
            }
            if (alpha) assertTrue(l.summary().contains("composited over #204060"), l.summary());
        }
    }

    @Test
    void rgbaPngIsCompositedOverTheConfiguredBackground() throws IOException {
        BufferedImage img = new BufferedImage(100, 64, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < 64; y++) for (int x = 0; x < 100; x++) {
            int a = x < 25 ? 255 : x < 50 ? 0 : x < 75 ? 128 : 64;
            img.setRGB(x, y, (a << 24) | 0x10C050);
        }
        Path f = png(img, "rgba.png");
        assertEquals(6, pngColourType(f));
        ImageLoader.Loaded white = ImageLoader.read(f, LIMITS);
        assertRgb(white.image(), 10, 10, 0x10C050, 0);
        assertRgb(white.image(), 30, 10, 0xFFFFFF, 0);
        // 128/255 of (16, 192, 80) over 255: 16*0.502 + 255*0.498 = 135.0, 223.4, 167.2
        assertRgb(white.image(), 60, 10, (135 << 16) | (223 << 8) | 167, 1);
        assertTrue(white.summary().contains("alpha: 75.0 % of the pixels transparent or translucent, composited over #FFFFFF"),
                white.summary());
        ImageLoader.Loaded grey = ImageLoader.read(f, new ImageLoader.Limits(40_000_000L, 1 << 26, 64, 10, 0x808080));
        assertRgb(grey.image(), 30, 10, 0x808080, 0);
        assertRgb(grey.image(), 10, 10, 0x10C050, 0);
        assertTrue(grey.summary().contains("over #808080"), grey.summary());
    }

    @Test
    void grayWithAlphaPng() throws IOException {
        ColorModel cm = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_GRAY), true, false,
                Transparency.TRANSLUCENT, DataBuffer.TYPE_BYTE);
        WritableRaster r = cm.createCompatibleWritableRaster(64, 64);
        for (int y = 0; y < 64; y++) for (int x = 0; x < 64; x++) {
            r.setSample(x, y, 0, 100);
            r.setSample(x, y, 1, x < 32 ? 255 : 0);
        }
        Path f = png(new BufferedImage(cm, r, false, null), "ga.png");
        assertEquals(4, pngColourType(f));
        RgbImage img = ImageLoader.read(f, new ImageLoader.Limits(40_000_000L, 1 << 26, 64, 10, 0x000000)).image();
        assertRgb(img, 5, 5, 100 * 0x010101, 0);
        assertRgb(img, 40, 5, 0, 0);
    }

    @Test
    void palettePngWithTransparency() throws IOException {
        byte[] red = {(byte) 255, 0, 0, (byte) 200};
        byte[] green = {0, (byte) 255, 0, (byte) 100};
        byte[] blue = {0, 0, (byte) 255, 50};
        byte[] alpha = {(byte) 255, 0, (byte) 128, (byte) 255};
        IndexColorModel icm = new IndexColorModel(8, 4, red, green, blue, alpha);
        BufferedImage img = new BufferedImage(64, 64, BufferedImage.TYPE_BYTE_INDEXED, icm);
        for (int y = 0; y < 64; y++) for (int x = 0; x < 64; x++) img.getRaster().setSample(x, y, 0, x / 16);
        Path f = png(img, "palette.png");
        assertEquals(3, pngColourType(f));
        ImageLoader.Loaded l = ImageLoader.read(f, LIMITS);
        assertRgb(l.image(), 3, 3, 0xFF0000, 0);
        assertRgb(l.image(), 20, 3, 0xFFFFFF, 0);
        // 128/255 of blue over white: 255 * (1 - 0.502) = 127.0 in red and green
        assertRgb(l.image(), 40, 3, (127 << 16) | (127 << 8) | 255, 1);
        assertRgb(l.image(), 60, 3, (200 << 16) | (100 << 8) | 50, 0);
        assertTrue(l.summary().contains("palette with transparency"), l.summary());
        assertTrue(l.summary().contains("50.0 % of the pixels"), l.summary());
    }

    @Test
    void gifAndBmpDecode() throws IOException {
        BufferedImage img = quadrants(96, 64, BufferedImage.TYPE_3BYTE_BGR);
        for (String format : new String[] {"gif", "bmp"}) {
            Path f = dir.resolve("q." + format);
            assertTrue(ImageIO.write(img, format, f.toFile()));
            RgbImage out = ImageLoader.read(f, LIMITS).image();
            // GIF quantises to its palette, exact for these four colours
            assertQuadrants(out, QUAD, 0);
        }
    }

    @Test
    void rgbAndGrayJpegs() throws IOException {
        RgbImage rgb = ImageLoader.read(jpeg(quadrants(96, 64, BufferedImage.TYPE_3BYTE_BGR), List.of(), true), LIMITS).image();
        assertQuadrants(rgb, QUAD, 8);
        BufferedImage g = new BufferedImage(64, 64, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 64; y++) for (int x = 0; x < 64; x++) g.getRaster().setSample(x, y, 0, x < 32 ? 60 : 200);
        RgbImage gray = ImageLoader.read(jpeg(g, List.of(), true), LIMITS).image();
        assertRgb(gray, 10, 10, 60 * 0x010101, 3);
        assertRgb(gray, 50, 10, 200 * 0x010101, 3);
    }

    @Test
    void iccColourSpacesAreConvertedToSrgb() {
        ColorModel cm = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_LINEAR_RGB), false, false,
                Transparency.OPAQUE, DataBuffer.TYPE_BYTE);
        WritableRaster r = cm.createCompatibleWritableRaster(64, 64);
        for (int y = 0; y < 64; y++) for (int x = 0; x < 64; x++) r.setPixel(x, y, new int[] {0, 128, 255});
        List<String> notes = new ArrayList<>();
        RgbImage out = ImageLoader.convert(new BufferedImage(cm, r, false, null), 0xFFFFFF, notes, "linear");
        // linear 128/255 = 0.502 is sRGB 0.735 = 188
        assertRgb(out, 7, 7, (0 << 16) | (188 << 8) | 255, 2);
        assertTrue(notes.get(0).contains("converted to sRGB with its ICC profile"), notes.toString());
    }

    // ------------------------------------------------------------------ CMYK / YCCK JPEG

    // inks C, M, Y, K per quadrant and the RGB expected from R = 255 (1 - C)(1 - K)
    static final int[][] INKS = {{255, 0, 0, 0}, {0, 0, 255, 0}, {0, 0, 0, 128}, {64, 128, 0, 32}};

    static int[][] expectedFromInks() {
        int[][] e = new int[4][3];
        for (int q = 0; q < 4; q++) {
            for (int c = 0; c < 3; c++) e[q][c] = (int) Math.round((255 - INKS[q][c]) * (255 - INKS[q][3]) / 255.0);
        }
        return e;
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 0, 2})
    void cmykAndYcckJpegsDecode(int adobeTransform) throws IOException {
        Path f = cmykJpeg(96, 64, adobeTransform);
        ImageLoader.Header h = ImageLoader.check(f, LIMITS);
        assertEquals(4, h.components());
        assertEquals(adobeTransform, h.adobeTransform());
        ImageLoader.Loaded l = ImageLoader.read(f, LIMITS);
        assertQuadrants(l.image(), expectedFromInks(), 6);
        String kind = adobeTransform == 2 ? "YCCK (Adobe, inverted)" : adobeTransform == 0 ? "CMYK (Adobe, inverted)" : "CMYK converted";
        assertTrue(l.summary().contains(kind) && l.summary().contains("without a colour profile"), l.summary());
    }

    /** The JDK's own decoder (where it reads CMYK at all) must see the same inks as our raw-raster path. */
    @ParameterizedTest
    @ValueSource(ints = {0, 2})
    void cmykInksAgreeWithTheJdksDecoder(int adobeTransform) throws IOException {
        Path f = cmykJpeg(96, 64, adobeTransform);
        ImageReader reader = ImageIO.getImageReadersByFormatName("jpeg").next();
        BufferedImage jdk;
        try (var in = ImageIO.createImageInputStream(f.toFile())) {
            reader.setInput(in);
            jdk = reader.read(0);
        } catch (IOException e) {
            jdk = null; // older JDKs: "Unsupported Image Type"
        } finally {
            reader.dispose();
        }
        assumeTrue(jdk != null && jdk.getRaster().getNumBands() == 4, "this JDK cannot decode CMYK JPEGs itself");
        int[][] at = {{8, 8}, {88, 8}, {8, 56}, {88, 56}};
        for (int q = 0; q < 4; q++) {
            int[] ink = jdk.getRaster().getPixel(at[q][0], at[q][1], (int[]) null);
            for (int c = 0; c < 4; c++) assertEquals(INKS[q][c], ink[c], 6, "quadrant " + q + " ink " + c);
        }
    }

    /**
     * A CMYK JPEG carrying its ICC profile (APP2 ICC_PROFILE, split over two segments as large profiles are) is
     * converted through that profile. The profile, built here, maps inks to colours no plain formula would give
     * (cyan ink to yellow, yellow ink to magenta), so the result proves the profile was used.
     */
    @ParameterizedTest
    @ValueSource(ints = {0, 2})
    void cmykJpegsWithAnEmbeddedProfileAreColourManaged(int adobeTransform) throws IOException {
        int[][] inks = {{255, 0, 0, 0}, {0, 0, 255, 0}, {0, 0, 0, 255}, {0, 0, 0, 0}};
        int[][] expected = {{255, 255, 0}, {255, 0, 255}, {0, 0, 0}, {255, 255, 255}};
        byte[] profile = rotatingCmykProfile();
        int half = profile.length / 2;
        List<byte[]> app2 = List.of(iccSegment(1, 2, Arrays.copyOfRange(profile, 0, half)),
                iccSegment(2, 2, Arrays.copyOfRange(profile, half, profile.length)));
        Path f = cmykJpeg(96, 64, adobeTransform, inks, app2);
        ImageLoader.Loaded l = ImageLoader.read(f, LIMITS);
        // YCCK's chroma rounding leaves an ink of a few levels where none was; near black in linear light the sRGB
        // curve magnifies that (linear 0.4 % is sRGB 13), so the bound is wider than the plain formula's
        assertQuadrants(l.image(), expected, 16);
        assertTrue(l.summary().contains("converted to sRGB with its embedded ICC profile"), l.summary());
        // a damaged profile is named and the plain formula used
        byte[] broken = profile.clone();
        broken[36] = 'x';
        Path g = cmykJpeg(96, 64, adobeTransform, inks, List.of(iccSegment(1, 1, broken)));
        ImageLoader.Loaded p = ImageLoader.read(g, LIMITS);
        assertQuadrants(p.image(), new int[][] {{0, 255, 255}, {255, 255, 0}, {0, 0, 0}, {255, 255, 255}}, 6);
        assertTrue(p.summary().contains("the embedded ICC profile is damaged") && p.summary().contains("without a colour profile"),
                p.summary());
    }

    static byte[] iccSegment(int seq, int count, byte[] chunk) {
        byte[] payload = new byte[14 + chunk.length];
        System.arraycopy("ICC_PROFILE\0".getBytes(StandardCharsets.ISO_8859_1), 0, payload, 0, 12);
        payload[12] = (byte) seq;
        payload[13] = (byte) count;
        System.arraycopy(chunk, 0, payload, 14, chunk.length);
        return segment(0xE2, payload);
    }

    /**
     * An ICC v2 output profile (CMYK to XYZ) whose A2B0 table, a 2-point grid per ink, gives each corner the
     * linear sRGB colour ((1 - M)(1 - K), (1 - Y)(1 - K), (1 - C)(1 - K)), in D50 XYZ.
     */
    static byte[] rotatingCmykProfile() {
        ByteBuffer lut = ByteBuffer.allocate(52 + 4 * 2 * 2 + 16 * 3 * 2 + 3 * 2 * 2);
        lut.put("mft2".getBytes(StandardCharsets.US_ASCII)).putInt(0).put((byte) 4).put((byte) 3).put((byte) 2).put((byte) 0);
        for (int i = 0; i < 9; i++) lut.putInt(i % 4 == 0 ? 0x10000 : 0);
        lut.putShort((short) 2).putShort((short) 2);
        for (int i = 0; i < 4; i++) lut.putShort((short) 0).putShort((short) 0xFFFF);
        double[][] m = {{0.4360747, 0.3850649, 0.1430804}, {0.2225045, 0.7168786, 0.0606169}, {0.0139322, 0.0971045, 0.7141733}};
        for (int c = 0; c < 2; c++) for (int mm = 0; mm < 2; mm++) for (int y = 0; y < 2; y++) for (int k = 0; k < 2; k++) {
            double[] rgb = {(1 - mm) * (1 - k), (1 - y) * (1 - k), (1 - c) * (1 - k)};
            for (int o = 0; o < 3; o++) {
                double xyz = m[o][0] * rgb[0] + m[o][1] * rgb[1] + m[o][2] * rgb[2];
                lut.putShort((short) Math.round(xyz * 32768));
            }
        }
        for (int i = 0; i < 3; i++) lut.putShort((short) 0).putShort((short) 0xFFFF);
        byte[] a2b0 = lut.array();
        byte[] name = "Kinora test CMYK\0".getBytes(StandardCharsets.US_ASCII);
        ByteBuffer desc = ByteBuffer.allocate(12 + name.length + 4 + 4 + 2 + 1 + 67);
        desc.put("desc".getBytes(StandardCharsets.US_ASCII)).putInt(0).putInt(name.length).put(name);
        byte[] wtpt = ByteBuffer.allocate(20).put("XYZ ".getBytes(StandardCharsets.US_ASCII)).putInt(0)
                .putInt(0xF6D6).putInt(0x10000).putInt(0xD32D).array();
        byte[] cprt = ByteBuffer.allocate(16).put("text".getBytes(StandardCharsets.US_ASCII)).putInt(0)
                .put("none\0\0\0\0".getBytes(StandardCharsets.US_ASCII)).array();
        byte[][] tags = {desc.array(), wtpt, cprt, a2b0};
        String[] sigs = {"desc", "wtpt", "cprt", "A2B0"};
        int offset = 128 + 4 + 12 * tags.length;
        int[] at = new int[tags.length];
        for (int i = 0; i < tags.length; i++) {
            at[i] = offset;
            offset += (tags[i].length + 3) & ~3;
        }
        ByteBuffer b = ByteBuffer.allocate(offset);
        b.putInt(offset).putInt(0).putInt(0x02100000).put("prtrCMYKXYZ ".getBytes(StandardCharsets.US_ASCII));
        b.position(36);
        b.put("acsp".getBytes(StandardCharsets.US_ASCII));
        b.position(68);
        b.putInt(0xF6D6).putInt(0x10000).putInt(0xD32D);
        b.position(128);
        b.putInt(tags.length);
        for (int i = 0; i < tags.length; i++) b.put(sigs[i].getBytes(StandardCharsets.US_ASCII)).putInt(at[i]).putInt(tags[i].length);
        for (int i = 0; i < tags.length; i++) {
            b.position(at[i]);
            b.put(tags[i]);
        }
        return b.array();
    }

    // ------------------------------------------------------------------ EXIF orientation

    /**
     * The picture as displayed, from the EXIF specification's words for each value (which stored corner is
     * shown at the top-left, top-right and bottom-left), not from the loader's index mapping.
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
    void exifOrientationIsApplied(int orientation) throws IOException {
        // corners: 0 TL, 1 TR, 2 BL, 3 BR; rows: displayed TL, TR, BL for orientations 1..8
        int[][] shown = {{0, 1, 2}, {1, 0, 3}, {3, 2, 1}, {2, 3, 0}, {0, 2, 1}, {2, 0, 3}, {3, 1, 2}, {1, 3, 0}};
        for (boolean little : new boolean[] {true, false}) {
            Path f = jpeg(quadrants(96, 64, BufferedImage.TYPE_3BYTE_BGR), List.of(app1(exif(orientation, little))), false);
            ImageLoader.Loaded l = ImageLoader.read(f, LIMITS);
            RgbImage img = l.image();
            boolean swap = orientation >= 5;
            assertEquals(swap ? 64 : 96, img.width());
            assertEquals(swap ? 96 : 64, img.height());
            int w = img.width();
            int h = img.height();
            int[] s = shown[orientation - 1];
            assertColour(img, 6, 6, QUAD[s[0]], 10, "top-left, orientation " + orientation);
            assertColour(img, w - 7, 6, QUAD[s[1]], 10, "top-right, orientation " + orientation);
            assertColour(img, 6, h - 7, QUAD[s[2]], 10, "bottom-left, orientation " + orientation);
            if (orientation == 1) {
                assertEquals("JPEG 96x64", l.summary());
            } else {
                assertTrue(l.summary().contains("EXIF orientation " + orientation + " ("
                        + ImageLoader.orientationName(orientation) + ") applied"), l.summary());
            }
        }
    }

    @Test
    void orientationIsNamedInTheReport() throws IOException {
        Path f = jpeg(quadrants(96, 64, BufferedImage.TYPE_3BYTE_BGR), List.of(app1(exif(6, false))), false);
        assertEquals("JPEG 64x96; EXIF orientation 6 (rotated 90° clockwise) applied: stored 96x64, upright 64x96",
                ImageLoader.read(f, LIMITS).summary());
    }

    @Test
    void orientationCountsForTheMinimumSide() throws IOException {
        Path f = jpeg(quadrants(200, 64, BufferedImage.TYPE_3BYTE_BGR), List.of(app1(exif(8, true))), false);
        ImageLoader.Limits l = new ImageLoader.Limits(40_000_000L, 1 << 26, 100, 10, 0xFFFFFF);
        StageException e = assertThrows(StageException.class, () -> ImageLoader.read(f, l));
        assertTrue(e.getMessage().contains("is 64x200 (as displayed: the EXIF orientation turns the stored 200x64 picture)"),
                e.getMessage());
    }

    @Test
    void malformedExifNeverThrowsAndIsIgnored() throws IOException {
        byte[] good = exif(6, true);
        assertEquals(6, ImageLoader.exifOrientation(good));
        assertEquals(6, ImageLoader.exifOrientation(exif(6, false)));
        // every truncation, and random damage anywhere, gives 0..65535 and never an exception
        for (int n = 0; n < good.length; n++) ImageLoader.exifOrientation(Arrays.copyOf(good, n));
        Random rnd = new Random(3);
        for (int i = 0; i < 20_000; i++) {
            byte[] b = good.clone();
            for (int k = 0; k < 1 + rnd.nextInt(6); k++) b[rnd.nextInt(b.length)] = (byte) rnd.nextInt(256);
            int o = ImageLoader.exifOrientation(b);
            assertTrue(o >= 0 && o <= 0xFFFF);
        }
        // an IFD offset far beyond the segment, and an entry count larger than the segment holds
        byte[] far = good.clone();
        ByteBuffer.wrap(far, 10, 4).order(ByteOrder.LITTLE_ENDIAN).putInt(0x7FFFFFF0);
        assertEquals(0, ImageLoader.exifOrientation(far));
        byte[] many = good.clone();
        ByteBuffer.wrap(many, 14, 2).order(ByteOrder.LITTLE_ENDIAN).putShort((short) 0xFFFF);
        ImageLoader.exifOrientation(many);
        // a value outside 1..8 is reported and ignored; the picture is decoded upright as stored
        Path f = jpeg(quadrants(96, 64, BufferedImage.TYPE_3BYTE_BGR), List.of(app1(exif(9, true))), false);
        ImageLoader.Loaded l = ImageLoader.read(f, LIMITS);
        assertEquals(96, l.image().width());
        assertTrue(l.summary().contains("EXIF orientation value 9 is not one of 1-8; ignored"), l.summary());
        // an APP1 that is XMP, not EXIF, is no orientation
        assertEquals(0, ImageLoader.exifOrientation("http://ns.adobe.com/xap/1.0/\0<x/>".getBytes(StandardCharsets.ISO_8859_1)));
    }

    // ------------------------------------------------------------------ limits from the header

    @Test
    void aPixelBombIsRefusedFromItsHeaderWithoutDecoding() throws IOException {
        Path png = Files.write(dir.resolve("bomb.png"), pngBytes(100_000, 100_000, 8, 2, new byte[] {0}));
        // a JPEG whose frame header claims 65000x65000 over 64x64 worth of data
        Path jpg = dir.resolve("bomb.jpg");
        Files.write(jpg, patchSof(Files.readAllBytes(jpeg(quadrants(64, 64, BufferedImage.TYPE_3BYTE_BGR), List.of(), true)), 65000, 65000));
        ImageLoader.read(png(quadrants(64, 64, BufferedImage.TYPE_3BYTE_BGR), "warm.png"), LIMITS); // load classes first
        for (Path f : List.of(png, jpg)) {
            com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            long before = mx.getThreadAllocatedBytes(Thread.currentThread().getId());
            StageException e = assertThrows(StageException.class, () -> ImageLoader.read(f, LIMITS));
            long allocated = mx.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
            String size = f == png ? "100000x100000 = 10000000000 pixels" : "65000x65000 = 4225000000 pixels";
            assertTrue(e.getMessage().contains(size + "; the limit is 40000000 (max.image.pixels in the configuration io.kinora.jobs);"
                    + " refused from its header, nothing was decoded"), e.getMessage());
            // the decoded picture would need 30 GB (12.7 GB for the JPEG); the refusal allocates next to nothing
            assertTrue(allocated < 8L << 20, f + ": allocated " + allocated + " bytes");
            assertEquals(e.getMessage(), assertThrows(StageException.class,
                    () -> ImageLoader.check(Files.readAllBytes(f), f.toString(), LIMITS)).getMessage());
        }
    }

    @Test
    void aHeaderThatLiesAboutASmallerSizeIsCaughtWhileDecoding() throws IOException {
        // PNG: the header says 640x480, the compressed data holds one 64x64 picture's rows
        byte[] rows = new byte[64 * (1 + 64 * 3)];
        Path png = Files.write(dir.resolve("liar.png"), pngBytes(640, 480, 8, 2, rows));
        StageException p = assertThrows(StageException.class, () -> ImageLoader.read(png, LIMITS));
        assertTrue(p.getMessage().startsWith("image: " + png + " could not be decoded as PNG: the file is truncated or corrupt"),
                p.getMessage());
        // JPEG: the frame header says 640x640, the scan holds 64x64
        Path jpg = dir.resolve("liar.jpg");
        Files.write(jpg, patchSof(Files.readAllBytes(jpeg(quadrants(64, 64, BufferedImage.TYPE_3BYTE_BGR), List.of(), true)), 640, 640));
        StageException j = assertThrows(StageException.class, () -> ImageLoader.read(jpg, LIMITS));
        assertTrue(j.getMessage().startsWith("image: " + jpg + " is truncated: the JPEG data ends before the 640x640 picture is complete"),
                j.getMessage());
    }

    @Test
    void truncatedFilesGiveAClearMessage() throws IOException {
        BufferedImage noise = new BufferedImage(128, 128, BufferedImage.TYPE_INT_RGB);
        Random rnd = new Random(5);
        for (int y = 0; y < 128; y++) for (int x = 0; x < 128; x++) noise.setRGB(x, y, rnd.nextInt(1 << 24));
        byte[] p = Files.readAllBytes(png(noise, "n.png"));
        byte[] j = Files.readAllBytes(jpeg(noise, List.of(), true));
        Path halfPng = Files.write(dir.resolve("half.png"), Arrays.copyOf(p, p.length / 2));
        Path halfJpg = Files.write(dir.resolve("half.jpg"), Arrays.copyOf(j, j.length / 2));
        Path headPng = Files.write(dir.resolve("head.png"), Arrays.copyOf(p, 20));
        assertMessage(halfPng, "could not be decoded as PNG: the file is truncated or corrupt");
        assertMessage(halfJpg, "is truncated: the JPEG data ends before the 128x128 picture is complete");
        assertMessage(headPng, "is not a readable PNG file: its header is damaged or cut short");
    }

    @Test
    void emptyFilesNonImagesAndOtherFormats() throws IOException {
        assertMessage(Files.write(dir.resolve("empty.png"), new byte[0]), "is empty (0 bytes)");
        assertMessage(Files.writeString(dir.resolve("notes.png"), "this is text, not a picture"),
                "is not an image Kinora can read (PNG, JPEG, BMP, GIF)");
        Path tiff = dir.resolve("q.tif");
        assertTrue(ImageIO.write(quadrants(64, 64, BufferedImage.TYPE_3BYTE_BGR), "tiff", tiff.toFile()));
        assertMessage(tiff, "is a TIFF image; Kinora reads PNG, JPEG, BMP and GIF");
        assertMessage(dir.resolve("missing.png"), "does not exist");
        assertMessage(dir, "is a directory");
        Path big = png(quadrants(64, 64, BufferedImage.TYPE_3BYTE_BGR), "big.png");
        StageException e = assertThrows(StageException.class, () -> ImageLoader.read(big, new ImageLoader.Limits(1 << 20, 100, 64, 10, 0)));
        assertTrue(e.getMessage().contains("bytes; the limit is 100 (max.image.bytes in the configuration io.kinora.jobs)"), e.getMessage());
    }

    @Test
    void tinyImagesAreRefusedBelowTheConfiguredMinimum() throws IOException {
        Path small = png(quadrants(63, 200, BufferedImage.TYPE_3BYTE_BGR), "small.png");
        StageException e = assertThrows(StageException.class, () -> ImageLoader.read(small, LIMITS));
        assertEquals("image: " + small + " is 63x200 pixels; the smallest side must be at least 64 px (min.image.side in the"
                + " configuration io.kinora.jobs); a picture this small would be enlarged at least 17x for a 1080p frame", e.getMessage());
        assertEquals(64, ImageLoader.read(png(quadrants(64, 64, BufferedImage.TYPE_3BYTE_BGR), "ok.png"), LIMITS).image().width());
        Path icon = png(quadrants(32, 32, BufferedImage.TYPE_3BYTE_BGR), "icon.png");
        assertThrows(StageException.class, () -> ImageLoader.load(icon, 40_000_000L, 1 << 26), "the old entry point uses 64 too");
        RgbImage accepted = ImageLoader.read(icon, new ImageLoader.Limits(40_000_000L, 1 << 26, 16, 10, 0xFFFFFF)).image();
        assertQuadrants(accepted, QUAD, 0);
    }

    @Test
    void extremeAspectRatiosAreRefusedBeyondTheLimit() throws IOException {
        Path strip = png(quadrants(2000, 100, BufferedImage.TYPE_3BYTE_BGR), "strip.png");
        StageException e = assertThrows(StageException.class, () -> ImageLoader.read(strip, LIMITS));
        assertEquals("image: " + strip + " is 2000x100 pixels, an aspect ratio of 20:1; the limit is 10:1 (max.image.aspect in the"
                + " configuration io.kinora.jobs): a clip's frame would show only a sliver of it", e.getMessage());
        Path tall = png(quadrants(100, 1050, BufferedImage.TYPE_3BYTE_BGR), "tall.png");
        assertTrue(assertThrows(StageException.class, () -> ImageLoader.read(tall, LIMITS)).getMessage()
                .contains("an aspect ratio of 10.5:1; the limit is 10:1"));
        // at the limit: accepted, both ways
        assertEquals(1000, ImageLoader.read(png(quadrants(1000, 100, BufferedImage.TYPE_3BYTE_BGR), "w.png"), LIMITS).image().width());
        assertEquals(1000, ImageLoader.read(png(quadrants(100, 1000, BufferedImage.TYPE_3BYTE_BGR), "t.png"), LIMITS).image().height());
        // configurable
        assertEquals(2000, ImageLoader.read(strip, new ImageLoader.Limits(40_000_000L, 1 << 26, 64, 25, 0)).image().width());
    }

    @Test
    void aThinStripIsReportedWhenARenditionEnlargesItMuch() {
        assertEquals("the 720x1280 frame shows a 56x100 px part of the 1000x100 picture enlarged 12.8x: expect a soft picture",
                ImageLoader.enlargement(1000, 100, 720, 1280));
        assertEquals("the 1920x1080 frame shows a 114x64 px part of the 640x64 picture enlarged 16.9x: expect a soft picture",
                ImageLoader.enlargement(640, 64, 1920, 1080));
        assertNull(ImageLoader.enlargement(1000, 250, 1280, 720), "2.9x is not worth a warning");
        assertNull(ImageLoader.enlargement(1920, 1080, 1920, 1080));
    }

    @Test
    void checkReadsTheHeaderOfAnUpload() throws IOException {
        byte[] b = Files.readAllBytes(jpeg(quadrants(96, 64, BufferedImage.TYPE_3BYTE_BGR), List.of(app1(exif(6, true))), false));
        ImageLoader.Header h = ImageLoader.check(b, "upload.jpg", LIMITS);
        assertEquals(new ImageLoader.Header("jpeg", 96, 64, 64, 96, 6, 3, -1), h);
        StageException e = assertThrows(StageException.class, () -> ImageLoader.check("GIF89a?".getBytes(StandardCharsets.US_ASCII), "x.gif", LIMITS));
        assertTrue(e.getMessage().startsWith("image: x.gif is not a readable GIF file"), e.getMessage());
    }

    @Test
    void backgroundSettingIsParsedAndBadValuesNamed() {
        assertEquals(0x112233, ImageLoader.parseColour("#112233", "image.background"));
        assertEquals(0xABCDEF, ImageLoader.parseColour(" abcdef ", "image.background"));
        StageException e = assertThrows(StageException.class, () -> ImageLoader.parseColour("white", "image.background"));
        assertEquals("configuration: image.background in the configuration io.kinora.jobs must be a colour #RRGGBB, is 'white'",
                e.getMessage());
        assertThrows(StageException.class, () -> new ImageLoader.Limits(1, 1, 0, 10, 0));
        assertThrows(StageException.class, () -> new ImageLoader.Limits(1, 1, 64, 0.5, 0));
        assertThrows(StageException.class, () -> new ImageLoader.Limits(1, 1, 64, Double.NaN, 0));
    }

    @Test
    void toRgbKeepsWorking() {
        BufferedImage img = new BufferedImage(3, 2, BufferedImage.TYPE_INT_ARGB);
        img.setRGB(0, 0, 0xFF102030);
        img.setRGB(1, 0, 0x00102030);
        RgbImage r = ImageLoader.toRgb(img);
        assertRgb(r, 0, 0, 0x102030, 0);
        assertRgb(r, 1, 0, 0xFFFFFF, 0);
    }

    // ------------------------------------------------------------------ other encoders

    /**
     * Fixtures from independent encoders, made at test time where Debian's ImageMagick and exiftool are installed
     * (skipped otherwise): libjpeg's YCCK JPEG (ImageMagick writes CMYK as Adobe YCCK), JPEGs whose EXIF
     * orientation exiftool wrote, a 16-bit RGBA PNG and a palette PNG with transparency. Each must decode as
     * ImageMagick decodes it ({@code -auto-orient}, {@code -flatten} over white, {@code -colorspace sRGB}).
     */
    @Test
    void agreesWithImageMagickAndExiftool() throws Exception {
        Path convert = Path.of("/usr/bin/convert");
        Path exiftool = Path.of("/usr/bin/exiftool");
        assumeTrue(Files.isExecutable(convert) && Files.isExecutable(exiftool) && run(convert.toString(), "-version").contains("ImageMagick"),
                "needs Debian's imagemagick and libimage-exiftool-perl");
        Path q = png(quadrants(96, 64, BufferedImage.TYPE_3BYTE_BGR), "q.png");
        ImageLoader.Limits lim = new ImageLoader.Limits(40_000_000L, 1 << 26, 16, 10, 0xFFFFFF);
        List<String[]> pairs = new ArrayList<>();
        Path jpg = dir.resolve("q.jpg");
        run(convert.toString(), q.toString(), "-quality", "95", jpg.toString());
        for (int o = 1; o <= 8; o++) {
            Path f = Files.copy(jpg, dir.resolve("o" + o + ".jpg"));
            run(exiftool.toString(), "-q", "-overwrite_original", "-n", "-Orientation=" + o, f.toString());
            run(convert.toString(), f.toString(), "-auto-orient", dir.resolve("o" + o + "-im.png").toString());
            pairs.add(new String[] {"o" + o + ".jpg", "o" + o + "-im.png", "0"});
        }
        run(convert.toString(), q.toString(), "-colorspace", "CMYK", "-quality", "95", dir.resolve("cmyk.jpg").toString());
        run(convert.toString(), dir.resolve("cmyk.jpg").toString(), "-colorspace", "sRGB", dir.resolve("cmyk-im.png").toString());
        pairs.add(new String[] {"cmyk.jpg", "cmyk-im.png", "1"});
        run(convert.toString(), "-size", "96x64", "gradient:rgba(255,0,0,1)-rgba(0,0,255,0.2)", "-depth", "16", dir.resolve("rgba16.png").toString());
        run(convert.toString(), dir.resolve("rgba16.png").toString(), "-background", "white", "-flatten", "-depth", "8", dir.resolve("rgba16-im.png").toString());
        pairs.add(new String[] {"rgba16.png", "rgba16-im.png", "1"});
        run(convert.toString(), "-size", "96x64", "xc:none", "-fill", "rgb(20,120,220)", "-draw", "rectangle 10,10 60,50",
                "png8:" + dir.resolve("pal.png"));
        run(convert.toString(), dir.resolve("pal.png").toString(), "-background", "white", "-flatten", dir.resolve("pal-im.png").toString());
        pairs.add(new String[] {"pal.png", "pal-im.png", "0"});
        for (String[] p : pairs) {
            ImageLoader.Loaded mine = ImageLoader.read(dir.resolve(p[0]), lim);
            RgbImage ref = ImageLoader.read(dir.resolve(p[1]), lim).image();
            assertEquals(ref.width() + "x" + ref.height(), mine.image().width() + "x" + mine.image().height(), p[0]);
            int max = 0;
            for (int k = 0; k < ref.rgb().length; k++) max = Math.max(max, Math.abs((ref.rgb()[k] & 0xff) - (mine.image().rgb()[k] & 0xff)));
            assertTrue(max <= Integer.parseInt(p[2]), p[0] + " differs from ImageMagick by up to " + max + " [" + mine.summary() + "]");
        }
        assertEquals(2, ImageLoader.check(dir.resolve("cmyk.jpg"), lim).adobeTransform(), "libjpeg writes CMYK as YCCK");
        assertEquals(3, pngColourType(dir.resolve("pal.png")), "a palette PNG");
        assertEquals(16, pngBitDepth(dir.resolve("rgba16.png")), "a 16-bit PNG");
    }

    static String run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) throw new AssertionError(String.join(" ", cmd) + " failed: " + out);
        return out;
    }

    // ------------------------------------------------------------------ helpers

    void assertMessage(Path f, String part) {
        StageException e = assertThrows(StageException.class, () -> ImageLoader.read(f, LIMITS));
        assertTrue(e.getMessage().startsWith("image: " + f + " "), e.getMessage());
        assertTrue(e.getMessage().contains(part), e.getMessage());
        assertFalse(e.getMessage().contains("Exception"), e.getMessage());
    }

    static void assertRgb(RgbImage img, int x, int y, int rgb, int tolerance) {
        assertColour(img, x, y, new int[] {(rgb >> 16) & 0xff, (rgb >> 8) & 0xff, rgb & 0xff}, tolerance, "");
    }

    static void assertColour(RgbImage img, int x, int y, int[] rgb, int tolerance, String what) {
        for (int c = 0; c < 3; c++) {
            int v = img.sample(x, y, c);
            if (Math.abs(v - rgb[c]) > tolerance) {
                throw new AssertionError(what + " (" + x + "," + y + ") is " + img.sample(x, y, 0) + "," + img.sample(x, y, 1)
                        + "," + img.sample(x, y, 2) + ", expected " + Arrays.toString(rgb) + " +-" + tolerance);
            }
        }
    }

    static void assertQuadrants(RgbImage img, int[][] colours, int tolerance) {
        int w = img.width();
        int h = img.height();
        int[][] at = {{w / 4, h / 4}, {3 * w / 4, h / 4}, {w / 4, 3 * h / 4}, {3 * w / 4, 3 * h / 4}};
        for (int q = 0; q < 4; q++) assertColour(img, at[q][0], at[q][1], colours[q], tolerance, "quadrant " + q);
    }

    static BufferedImage quadrants(int w, int h, int type) {
        BufferedImage img = new BufferedImage(w, h, type);
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) {
            int[] c = QUAD[(y < h / 2 ? 0 : 2) + (x < w / 2 ? 0 : 1)];
            img.setRGB(x, y, (c[0] << 16) | (c[1] << 8) | c[2]);
        }
        return img;
    }

    Path png(RenderedImage img, String name) throws IOException {
        Path f = dir.resolve(name);
        assertTrue(ImageIO.write(img, "png", f.toFile()), "no PNG writer for " + img);
        return f;
    }

    static int pngBitDepth(Path f) throws IOException {
        return Files.readAllBytes(f)[24];
    }

    static int pngColourType(Path f) throws IOException {
        return Files.readAllBytes(f)[25];
    }

    /** A PNG by hand: signature, IHDR with the size it claims, one IDAT of {@code raw} rows, IEND. */
    static byte[] pngBytes(int w, int h, int bitDepth, int colourType, byte[] raw) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10});
        chunk(out, "IHDR", ByteBuffer.allocate(13).putInt(w).putInt(h).put((byte) bitDepth).put((byte) colourType)
                .put((byte) 0).put((byte) 0).put((byte) 0).array());
        Deflater d = new Deflater();
        d.setInput(raw);
        d.finish();
        byte[] buf = new byte[raw.length + 64];
        int n = d.deflate(buf);
        chunk(out, "IDAT", Arrays.copyOf(buf, n));
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) throws IOException {
        out.write(ByteBuffer.allocate(4).putInt(data.length).array());
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        out.write(t);
        out.write(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.write(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    /** A JPEG by the JDK's writer, optionally without its JFIF APP0 (as cameras write), with segments inserted after SOI. */
    Path jpeg(BufferedImage img, List<byte[]> segments, boolean keepJfif) throws IOException {
        return writeJpeg(new IIOImage(img, null, null), segments, keepJfif, "img" + System.nanoTime() + ".jpg");
    }

    Path writeJpeg(IIOImage image, List<byte[]> segments, boolean keepJfif, String name) throws IOException {
        ImageWriter w = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        try (ImageOutputStream o = ImageIO.createImageOutputStream(bo)) {
            w.setOutput(o);
            ImageWriteParam p = w.getDefaultWriteParam();
            p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            p.setCompressionQuality(0.98f);
            w.write(null, image, p);
        } finally {
            w.dispose();
        }
        byte[] b = bo.toByteArray();
        int rest = 2;
        if (!keepJfif && (b[2] & 0xff) == 0xFF && (b[3] & 0xff) == 0xE0) rest = 4 + (((b[4] & 0xff) << 8) | (b[5] & 0xff));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(b, 0, 2);
        for (byte[] s : segments) out.write(s);
        out.write(b, rest, b.length - rest);
        return Files.write(dir.resolve(name), out.toByteArray());
    }

    static byte[] segment(int marker, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(4 + payload.length);
        b.put((byte) 0xFF).put((byte) marker).putShort((short) (payload.length + 2)).put(payload);
        return b.array();
    }

    static byte[] app1(byte[] exif) {
        return segment(0xE1, exif);
    }

    /**
     * An EXIF APP1 payload: "Exif\0\0", a TIFF header in either byte order, IFD0 with Make (an ASCII value stored
     * past the IFD), the orientation and XResolution (a RATIONAL stored past the IFD), then no next IFD.
     */
    static byte[] exif(int orientation, boolean little) {
        ByteBuffer b = ByteBuffer.allocate(6 + 8 + 2 + 3 * 12 + 4 + 8 + 8).order(little ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
        b.put("Exif\0\0".getBytes(StandardCharsets.ISO_8859_1));
        b.put(little ? (byte) 'I' : (byte) 'M').put(little ? (byte) 'I' : (byte) 'M').putShort((short) 42).putInt(8);
        int valuesAt = 8 + 2 + 3 * 12 + 4;
        b.putShort((short) 3);
        b.putShort((short) 0x010F).putShort((short) 2).putInt(8).putInt(valuesAt); // Make, ASCII, 8 bytes
        b.putShort((short) 0x0112).putShort((short) 3).putInt(1).putShort((short) orientation).putShort((short) 0);
        b.putShort((short) 0x011A).putShort((short) 5).putInt(1).putInt(valuesAt + 8); // XResolution, RATIONAL
        b.putInt(0);
        b.put("Kinora\0\0".getBytes(StandardCharsets.ISO_8859_1));
        b.putInt(72).putInt(1);
        return b.array();
    }

    /** Writes the inks as a 4-component JPEG, plain (-1), Adobe CMYK (0, inverted) or Adobe YCCK (2). */
    Path cmykJpeg(int w, int h, int adobeTransform) throws IOException {
        return cmykJpeg(w, h, adobeTransform, INKS, List.of());
    }

    Path cmykJpeg(int w, int h, int adobeTransform, int[][] inks, List<byte[]> extra) throws IOException {
        WritableRaster r = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, w, h, 4, null);
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) {
            int[] ink = inks[(y < h / 2 ? 0 : 2) + (x < w / 2 ? 0 : 1)];
            int[] s = new int[4];
            if (adobeTransform == 2) {
                // YCbCr of the C, M, Y inks (libjpeg's YCCK: RGB = 255 - stored inverted CMY), K stored inverted
                double c = ink[0], m = ink[1], ye = ink[2];
                s[0] = (int) Math.round(0.299 * c + 0.587 * m + 0.114 * ye);
                s[1] = (int) Math.round(-0.168736 * c - 0.331264 * m + 0.5 * ye + 128);
                s[2] = (int) Math.round(0.5 * c - 0.418688 * m - 0.081312 * ye + 128);
                s[3] = 255 - ink[3];
            } else {
                for (int k = 0; k < 4; k++) s[k] = adobeTransform == 0 ? 255 - ink[k] : ink[k];
            }
            for (int k = 0; k < 4; k++) s[k] = Math.max(0, Math.min(255, s[k]));
            r.setPixel(x, y, s);
        }
        List<byte[]> segs = new ArrayList<>(extra);
        if (adobeTransform >= 0) {
            segs.add(segment(0xEE, new byte[] {'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, (byte) adobeTransform}));
        }
        Path f = writeJpeg(new IIOImage(r, null, null), segs, false, "cmyk" + adobeTransform + "-" + System.nanoTime() + ".jpg");
        // the JDK's writer stores the four rasters' samples as they are (no colour transform, no Adobe segment)
        ImageReader reader = ImageIO.getImageReadersByFormatName("jpeg").next();
        try (var in = new MemoryCacheImageInputStream(new ByteArrayInputStream(Files.readAllBytes(f)))) {
            reader.setInput(in);
            assertEquals(4, reader.readRaster(0, null).getNumBands());
        } finally {
            reader.dispose();
        }
        return f;
    }

    /** Rewrites the first SOF0 frame header's height and width (the data stays as it was). */
    static byte[] patchSof(byte[] jpeg, int w, int h) {
        byte[] b = jpeg.clone();
        for (int i = 2; i + 8 < b.length; ) {
            int marker = b[i + 1] & 0xff;
            int len = ((b[i + 2] & 0xff) << 8) | (b[i + 3] & 0xff);
            if (marker == 0xC0) {
                b[i + 5] = (byte) (h >> 8);
                b[i + 6] = (byte) h;
                b[i + 7] = (byte) (w >> 8);
                b[i + 8] = (byte) w;
                return b;
            }
            i += 2 + len;
        }
        throw new AssertionError("no SOF0");
    }
}
