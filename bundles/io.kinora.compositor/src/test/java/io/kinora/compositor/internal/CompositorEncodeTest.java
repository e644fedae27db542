package io.kinora.compositor.internal;

import static io.kinora.compositor.internal.TestSignals.timeline;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kinora.api.compositor.EncodeRequest;
import io.kinora.api.compositor.EncodeResult;
import io.kinora.api.compositor.EncodeSession;
import io.kinora.api.media.AudioBuffer;
import io.kinora.api.media.RgbImage;
import io.kinora.api.media.StageException;
import io.kinora.api.timeline.Timeline;

import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.ShortBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

class CompositorEncodeTest {
    private static final int W = 320, H = 180, FPS = 24;
    private static final Map<String, String> METADATA = Map.of(
            "title", "Kinora test clip AI生成",
            "comment", "AI-generated / 人工智能生成",
            "io.kinora.provenance", "{\"job\":\"j-42\",\"label\":\"AI生成\"}");

    @TempDir
    Path dir;

    private final CompositorImpl compositor = new CompositorImpl((String) null, TestSignals.config(Map.of()));

    /** A moving pattern: a white bar sweeping over a mid-grey background, a red and a blue patch. */
    static RgbImage frame(int w, int h, int i) {
        byte[] rgb = new byte[w * h * 3];
        int bar = (i * 7) % w;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int o = (y * w + x) * 3;
                int r = 128, g = 128, b = 128;
                if (Math.abs(x - bar) < 8) r = g = b = 235;
                else if (y < h / 4 && x < w / 4) { r = 220; g = 30; b = 30; }
                else if (y > 3 * h / 4 && x > 3 * w / 4) { r = 30; g = 30; b = 220; }
                rgb[o] = (byte) r;
                rgb[o + 1] = (byte) g;
                rgb[o + 2] = (byte) b;
            }
        }
        return new RgbImage(w, h, rgb);
    }

    private static AudioBuffer tone(double seconds) {
        return new AudioBuffer(48_000, 2, TestSignals.sine(440, seconds, 48_000, 0.25, 0.25));
    }

    private EncodeResult encode(Path out, Timeline t, AudioBuffer audio) {
        try (EncodeSession s = compositor.open(new EncodeRequest(out, W, H, t, audio, METADATA))) {
            for (int i = 0; i < t.frameCount(); i++) s.write(frame(W, H, i));
            return s.finish();
        }
    }

    @Test
    void encodesH264AacMp4ThatDecodesAsWritten() throws Exception {
        Path out = dir.resolve("clip.mp4");
        Timeline t = timeline(2.0, FPS, List.of());
        EncodeResult r = encode(out, t, tone(2.0));
        assertEquals(out, r.file());
        assertEquals(48, r.frames());
        assertEquals(2.0, r.duration(), 1e-9);
        assertTrue(r.videoCodec().startsWith("h264"), r.videoCodec());
        assertEquals("aac", r.audioCodec());
        assertEquals(Files.size(out), r.bytes());

        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(out.toFile())) {
            g.start();
            assertEquals(avcodec.AV_CODEC_ID_H264, g.getVideoCodec());
            assertEquals(W, g.getImageWidth());
            assertEquals(H, g.getImageHeight());
            assertEquals(FPS, g.getFrameRate(), 1e-6);
            AVCodecParameters vpar = g.getFormatContext().streams(g.getVideoStream()).codecpar();
            assertEquals(avutil.AV_PIX_FMT_YUV420P, vpar.format(), "pixel format");
            assertEquals(avutil.AVCOL_SPC_BT709, vpar.color_space(), "colour matrix signalled");
            assertEquals(avcodec.AV_CODEC_ID_AAC, g.getAudioCodec());
            assertEquals(48_000, g.getSampleRate());
            assertEquals(2, g.getAudioChannels());
            assertEquals(2.0, g.getLengthInTime() / 1e6, 1.0 / FPS, "container duration");
            Map<String, String> md = g.getMetadata();
            METADATA.forEach((k, v) -> assertEquals(v, md.get(k), "metadata " + k));

            int frames = 0;
            double sumSquares = 0;
            long samples = 0;
            int[] firstGrey = null, firstRed = null;
            Frame f;
            while ((f = g.grab()) != null) {
                if (f.image != null) {
                    if (frames == 0) {
                        ByteBuffer px = (ByteBuffer) f.image[0]; // BGR24
                        int stride = f.imageStride;
                        firstGrey = bgr(px, stride, W / 2, H / 2);
                        firstRed = bgr(px, stride, W / 8, H / 8);
                    }
                    frames++;
                }
                if (f.samples != null) {
                    if (f.samples[0] instanceof FloatBuffer fb) {
                        for (int i = fb.position(); i < fb.limit(); i++) sumSquares += fb.get(i) * fb.get(i);
                        samples += fb.remaining();
                    } else if (f.samples[0] instanceof ShortBuffer sb) {
                        for (int i = sb.position(); i < sb.limit(); i++) sumSquares += Math.pow(sb.get(i) / 32768.0, 2);
                        samples += sb.remaining();
                    }
                }
            }
            assertEquals(48, frames, "decoded frames");
            assertNotNull(firstGrey);
            for (int c = 0; c < 3; c++) assertEquals(128, firstGrey[c], 4, "grey patch channel " + c);
            assertTrue(firstRed[2] > 180 && firstRed[1] < 70 && firstRed[0] < 70, "red patch " + java.util.Arrays.toString(firstRed));
            double rmsDb = 10 * Math.log10(sumSquares / samples);
            assertEquals(20 * Math.log10(0.25 / Math.sqrt(2)), rmsDb, 1.0, "decoded tone level");
            assertEquals(2.0 * 48_000 * 2, samples, 2 * 2048, "decoded audio length");
        }
        assertTrue(moovBeforeMdat(out), "faststart: moov before mdat " + topLevelBoxes(out));
        assertEquals(List.of(out), listDir(), "no temporary files left");
    }

    private static int[] bgr(ByteBuffer px, int stride, int x, int y) {
        int o = y * stride + x * 3;
        return new int[] {px.get(o) & 0xff, px.get(o + 1) & 0xff, px.get(o + 2) & 0xff};
    }

    @Test
    void outputAppearsOnlyAtFinishAndCloseWithoutFinishLeavesNothing() throws IOException {
        Path out = dir.resolve("later.mp4");
        Timeline t = timeline(0.5, FPS, List.of());
        try (EncodeSession s = compositor.open(new EncodeRequest(out, W, H, t, tone(0.5), Map.of()))) {
            for (int i = 0; i < t.frameCount(); i++) s.write(frame(W, H, i));
            assertFalse(Files.exists(out), "output must not exist before finish");
            List<Path> during = listDir();
            assertEquals(1, during.size());
            String tmp = during.get(0).getFileName().toString();
            assertTrue(tmp.startsWith(".later.part-") && tmp.endsWith(".mp4"), tmp);
        }
        assertEquals(List.of(), listDir(), "close without finish removes the temporary file");

        // a failing finish (missing frames) then close: nothing left either
        EncodeSession s = compositor.open(new EncodeRequest(out, W, H, t, null, Map.of()));
        s.write(frame(W, H, 0));
        StageException e = assertThrows(StageException.class, s::finish);
        assertTrue(e.getMessage().contains("only 1 of the timeline's 12 frames"), e.getMessage());
        s.close();
        assertEquals(List.of(), listDir());
    }

    @Test
    void finishReplacesAnExistingFileAtomically() throws IOException {
        Path out = dir.resolve("again.mp4");
        Files.writeString(out, "old content");
        Timeline t = timeline(0.25, FPS, List.of());
        EncodeResult r = encode(out, t, tone(0.25));
        assertTrue(r.bytes() > 1000);
        assertTrue(moovBeforeMdat(out));
    }

    @Test
    void sameInputGivesTheSameBytes() throws Exception {
        Timeline t = timeline(1.0, FPS, List.of());
        encode(dir.resolve("a.mp4"), t, tone(1.0));
        encode(dir.resolve("b.mp4"), t, tone(1.0));
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        assertArrayEquals(md.digest(Files.readAllBytes(dir.resolve("a.mp4"))), md.digest(Files.readAllBytes(dir.resolve("b.mp4"))));
    }

    @Test
    void badFramesAndCountsAreRejected() {
        Timeline t = timeline(0.25, FPS, List.of());
        try (EncodeSession s = compositor.open(new EncodeRequest(dir.resolve("x.mp4"), W, H, t, null, Map.of()))) {
            StageException e = assertThrows(StageException.class, () -> s.write(RgbImage.blank(W + 2, H)));
            assertTrue(e.getMessage().contains("frame 1 is 322x180, the video is 320x180"), e.getMessage());
            for (int i = 0; i < t.frameCount(); i++) s.write(frame(W, H, i));
            e = assertThrows(StageException.class, () -> s.write(frame(W, H, 99)));
            assertTrue(e.getMessage().contains("one too many"), e.getMessage());
        }
        StageException e = assertThrows(StageException.class,
                () -> compositor.open(new EncodeRequest(dir.resolve("odd.mp4"), 321, H, t, null, Map.of())));
        assertTrue(e.getMessage().contains("321x180"), e.getMessage());
    }

    @Test
    void unwritableOutputDirectoryIsNamed() throws IOException {
        Path blocker = Files.writeString(dir.resolve("not-a-dir"), "x");
        Path out = blocker.resolve("sub").resolve("clip.mp4");
        Timeline t = timeline(0.25, FPS, List.of());
        StageException e = assertThrows(StageException.class,
                () -> compositor.open(new EncodeRequest(out, W, H, t, null, Map.of())));
        assertTrue(e.getMessage().contains(blocker.resolve("sub").toString()), e.getMessage());
    }

    @Test
    void missingOrNonH264EncodersFailInsteadOfFallingBack() {
        Timeline t = timeline(0.25, FPS, List.of());
        CompositorImpl x264 = new CompositorImpl((String) null, TestSignals.config(Map.of("videoEncoder", "libx264")));
        assertTrue(FfmpegRuntime.h264Encoders().contains("libopenh264"), FfmpegRuntime.h264Encoders().toString());
        StageException e = assertThrows(StageException.class,
                () -> x264.open(new EncodeRequest(dir.resolve("x.mp4"), W, H, t, null, Map.of())));
        assertTrue(e.getMessage().contains("'libx264' is not available") && e.getMessage().contains("libopenh264"), e.getMessage());
        CompositorImpl mpeg4 = new CompositorImpl((String) null, TestSignals.config(Map.of("videoEncoder", "mpeg4")));
        e = assertThrows(StageException.class,
                () -> mpeg4.open(new EncodeRequest(dir.resolve("x.mp4"), W, H, t, null, Map.of())));
        assertTrue(e.getMessage().contains("does not produce H.264"), e.getMessage());
        assertEquals(List.of(), listDir(), "no temporary file left behind");
    }

    private List<Path> listDir() {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }

    /** Top-level ISO BMFF boxes, in file order. */
    static List<String> topLevelBoxes(Path file) throws IOException {
        byte[] b = Files.readAllBytes(file);
        ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.BIG_ENDIAN);
        List<String> boxes = new ArrayList<>();
        long pos = 0;
        while (pos + 8 <= b.length) {
            long size = buf.getInt((int) pos) & 0xffffffffL;
            String type = new String(b, (int) pos + 4, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
            if (size == 1) size = buf.getLong((int) pos + 8);
            else if (size == 0) size = b.length - pos;
            if (size < 8) break;
            boxes.add(type);
            pos += size;
        }
        return boxes;
    }

    static boolean moovBeforeMdat(Path file) throws IOException {
        List<String> boxes = topLevelBoxes(file);
        return boxes.get(0).equals("ftyp") && boxes.contains("moov") && boxes.contains("mdat")
                && boxes.indexOf("moov") < boxes.indexOf("mdat");
    }
}
