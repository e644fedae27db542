package io.kinora.provenance.internal.watermark;

import io.kinora.api.media.RgbImage;
import io.kinora.api.provenance.LayerStatus;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The watermark read back from MP4 files through the embedded FFmpeg, as {@code verify} does: a 6 s 1280x720
 * 24 fps clip (a pan over the harbour sample with a voice-like sound) marked and encoded with javacv's
 * FFmpegFrameRecorder (H.264 + AAC, as the compositor does), then re-encoded by FFmpegFrameRecorder at 640x360 and a
 * low bit rate, and an unmarked clip.
 */
class ClipDetectionTest {
    static final Path PHOTO = Path.of("../../samples/harbour.png").toAbsolutePath().normalize();
    static final int W = 1280;
    static final int H = 720;
    static final int FPS = 24;
    static final int FRAMES = 6 * FPS;
    static final String CONTENT = "clip-detection-test";
    @TempDir
    static Path dir;
    static byte[] photo; // RGB 1400x800
    static LumaWatermarker marker;
    static Path marked;
    static Path plain;

    @BeforeAll
    static void encode() throws Exception {
        assumeTrue(Files.exists(PHOTO), "SKIPPED: samples/harbour.png not found");
        BufferedImage src = ImageIO.read(PHOTO.toFile());
        BufferedImage big = new BufferedImage(1400, 800, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = big.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(src, 0, 0, 1400, 800, null);
        g.dispose();
        byte[] bgr = ((java.awt.image.DataBufferByte) big.getRaster().getDataBuffer()).getData();
        photo = new byte[bgr.length];
        for (int i = 0; i < bgr.length; i += 3) {
            photo[i] = bgr[i + 2];
            photo[i + 1] = bgr[i + 1];
            photo[i + 2] = bgr[i];
        }
        marker = new LumaWatermarker("clip-key");
        ClipDecoder.ensureLoaded();
        marked = record(dir.resolve("marked.mp4"), true);
        plain = record(dir.resolve("plain.mp4"), false);
    }

    static RgbImage frame(int i) {
        byte[] rgb = new byte[W * H * 3];
        int ox = (int) Math.round(i * 0.7);
        int oy = i / 3;
        for (int y = 0; y < H; y++) System.arraycopy(photo, ((y + oy) * 1400 + ox) * 3, rgb, y * W * 3, W * 3);
        return new RgbImage(W, H, rgb);
    }

    /** A voice-like test sound: harmonics of a gliding 140-220 Hz fundamental, syllable envelope, some noise. */
    static float[] sound(int rate, double seconds) {
        int n = (int) Math.round(rate * seconds);
        float[] s = new float[n];
        java.util.Random r = new java.util.Random(7);
        double phase = 0;
        for (int i = 0; i < n; i++) {
            double t = i / (double) rate;
            double f0 = 180 + 40 * Math.sin(2 * Math.PI * 0.7 * t);
            phase += 2 * Math.PI * f0 / rate;
            double v = 0;
            for (int k = 1; k <= 12; k++) v += Math.sin(k * phase) / k;
            double env = 0.5 + 0.5 * Math.sin(2 * Math.PI * 3.1 * t);
            s[i] = (float) (0.18 * env * v + 0.01 * r.nextGaussian());
        }
        return s;
    }

    static Path record(Path out, boolean mark) throws Exception {
        io.kinora.api.provenance.FrameLabeler m = marker.frameMarker(new io.kinora.api.provenance.ProvenanceRequest(CONTENT, "job", null, null, null), W, H);
        try (FFmpegFrameRecorder r = new FFmpegFrameRecorder(out.toFile(), W, H, 1)) {
            r.setFormat("mp4");
            r.setVideoCodec(avcodec.AV_CODEC_ID_H264);
            r.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
            r.setFrameRate(FPS);
            r.setVideoBitrate(4_000_000);
            r.setAudioCodec(avcodec.AV_CODEC_ID_AAC);
            r.setSampleRate(48_000);
            r.setAudioBitrate(128_000);
            r.start();
            Frame f = new Frame(W, H, Frame.DEPTH_UBYTE, 3);
            for (int i = 0; i < FRAMES; i++) {
                RgbImage img = frame(i);
                if (mark) m.apply(i, img);
                put(f, img.rgb(), W, H);
                r.record(f, avutil.AV_PIX_FMT_RGB24);
            }
            io.kinora.api.media.AudioBuffer a = new io.kinora.api.media.AudioBuffer(48_000, 1, sound(48_000, FRAMES / (double) FPS));
            if (mark) a = marker.markAudio(new io.kinora.api.provenance.ProvenanceRequest(CONTENT, "job", null, null, null), a);
            r.recordSamples(48_000, 1, FloatBuffer.wrap(a.samples()));
            r.stop();
        }
        return out;
    }

    static void put(Frame f, byte[] rgb, int w, int h) {
        ByteBuffer b = (ByteBuffer) f.image[0];
        for (int y = 0; y < h; y++) {
            b.position(y * f.imageStride);
            b.put(rgb, y * w * 3, w * 3);
        }
        b.rewind();
    }

    /** Re-encodes {@code in} at {@code w x h} (FFmpeg's scaler) and {@code kbps}, as a publishing platform would. */
    static Path reencode(Path in, String name, int w, int h, int kbps, int audioRate, int audioKbps) throws Exception {
        Path out = dir.resolve(name + ".mp4");
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(in.toFile())) {
            g.setImageWidth(w);
            g.setImageHeight(h);
            g.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
            g.start();
            try (FFmpegFrameRecorder r = new FFmpegFrameRecorder(out.toFile(), w, h, g.getAudioChannels())) {
                r.setFormat("mp4");
                r.setVideoCodec(avcodec.AV_CODEC_ID_H264);
                r.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
                r.setFrameRate(g.getFrameRate());
                r.setVideoBitrate(kbps * 1000);
                r.setAudioCodec(avcodec.AV_CODEC_ID_AAC);
                r.setSampleRate(audioRate);
                r.setAudioBitrate(audioKbps * 1000);
                r.start();
                Frame f;
                while ((f = g.grab()) != null) {
                    if (f.image != null) r.record(f, avutil.AV_PIX_FMT_YUV420P);
                    else if (f.samples != null) r.record(f);
                }
                r.stop();
            }
            g.stop();
        }
        return out;
    }

    static LayerStatus detect(Path file) {
        long t0 = System.nanoTime();
        LayerStatus s = marker.detect(file);
        System.out.printf("%-20s %s %s (%d ms)%n", file.getFileName(), s.state(), s.facts(), (System.nanoTime() - t0) / 1_000_000);
        return s;
    }

    @Test
    void verifyFindsThePayloadInTheFileQuickly() {
        detect(marked); // warm up (natives, JIT), as a running service is
        long t0 = System.nanoTime();
        LayerStatus s = detect(marked);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(LayerStatus.State.PRESENT, s.state(), s.detail());
        assertEquals(Payload.hex(Payload.forContent(CONTENT)), s.facts().get("payload"));
        // the picture pass stops once the payload is read (CRC checked), after 12, 24, 36 or 48 of the 60 frames
        assertTrue(s.facts().get("frames").matches("(12|24|36|48|60) of 144"), s.facts().get("frames"));
        assertEquals("found", s.facts().get("audio"), s.detail());
        assertEquals(s.facts().get("payload"), s.facts().get("audioPayload"));
        System.out.printf("watermark detection from the 6 s 720p file: %d ms%n", ms);
        assertTrue(ms < 6000, ms + " ms");
    }

    @Test
    void survivesReencodingAt640x360() throws Exception {
        // picture 0.5x at 600 kbit/s; sound resampled to 44.1 kHz and AAC 64 kbit/s
        LayerStatus s = detect(reencode(marked, "half-600k", 640, 360, 600, 44_100, 64));
        assertEquals(LayerStatus.State.PRESENT, s.state(), s.detail());
        String want = Payload.hex(Payload.forContent(CONTENT));
        assertEquals(want, s.facts().get("picturePayload"), s.detail());
        assertEquals(want, s.facts().get("audioPayload"), s.detail());
        assertEquals("640x360", s.facts().get("size"));
    }

    @Test
    void unmarkedClipIsAbsent() {
        LayerStatus s = detect(plain);
        assertEquals(LayerStatus.State.ABSENT, s.state(), s.detail());
        assertNull(s.facts().get("payload"));
        assertEquals("60 of 144", s.facts().get("frames"), "no early stop without a payload");
        assertEquals("not found", s.facts().get("audio"));
    }

    @Test
    void aFileFfmpegCannotReadIsUncheckedNotAnException() throws Exception {
        Path junk = dir.resolve("junk.mp4");
        Files.write(junk, new byte[]{0, 0, 0, 8, 'f', 't', 'y', 'p', 1, 2, 3});
        LayerStatus s = marker.detect(junk);
        assertEquals(LayerStatus.State.UNCHECKED, s.state());
        assertTrue(s.detail().contains("junk.mp4"), s.detail());
    }
}
