package io.kinora.compositor.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kinora.api.compositor.CaptionOptions;
import io.kinora.api.compositor.EncodeRequest;
import io.kinora.api.compositor.EncodeSession;
import io.kinora.api.media.AudioBuffer;
import io.kinora.api.timeline.SpokenLine;
import io.kinora.api.timeline.Timeline;

import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Captions in the MP4: the mov_text track (decoded by FFmpeg) and burned-in captions (visible in the pixels). */
class CaptionsEncodeTest {
    private static final int W = 320, H = 180, FPS = 24;

    @TempDir
    Path dir;

    private final CompositorImpl compositor = new CompositorImpl((String) null, TestSignals.config(Map.of()));

    private Timeline timeline() {
        SpokenLine a = CaptionsTest.line(0, "ann", "Hello there, Bob. Lovely day for it.", 0.3);
        SpokenLine b = CaptionsTest.line(1, "bob", "It is indeed.", a.end() + 0.4);
        return CaptionsTest.timeline(3.0, a, b);
    }

    private Path encode(String name, CaptionOptions options) {
        Path out = dir.resolve(name);
        Timeline t = timeline();
        try (EncodeSession s = compositor.open(new EncodeRequest(out, W, H, t, AudioBuffer.silence(48_000, 2, 3.0),
                Map.of("title", "captions"), options))) {
            for (int i = 0; i < t.frameCount(); i++) s.write(CompositorEncodeTest.frame(W, H, i));
            s.finish();
        }
        return out;
    }

    @Test
    void movTextTrackDecodesWithLanguageAndCueTimes() throws Exception {
        Path out = encode("cc.mp4", new CaptionOptions(true, false, "en", Map.of("ann", "Ann", "bob", "Bob")));
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(out.toFile())) {
            g.start();
            var fc = g.getFormatContext();
            int subtitles = 0;
            for (int i = 0; i < fc.nb_streams(); i++) {
                if (fc.streams(i).codecpar().codec_type() == avutil.AVMEDIA_TYPE_SUBTITLE) {
                    subtitles++;
                    assertEquals("mov_text", org.bytedeco.ffmpeg.global.avcodec.avcodec_get_name(fc.streams(i).codecpar().codec_id()).getString());
                    assertEquals("eng", avutil.av_dict_get(fc.streams(i).metadata(), "language", null, 0).value().getString());
                }
            }
            assertEquals(1, subtitles);
            assertEquals(72, countVideoFrames(g));
            assertEquals("captions", g.getMetadata().get("title"), "container metadata kept");
        }
        assumeTrue(Ffmpeg.available(), "ffmpeg command line tools are not installed: skipping the independent decode");
        Ffmpeg.Result r = Ffmpeg.run(List.of("ffmpeg", "-v", "error", "-i", out.toString(), "-map", "0:s:0", "-f", "webvtt", "-"));
        assertEquals(0, r.exit(), r.out());
        String vtt = r.out();
        assertTrue(vtt.contains("Ann: Hello there, Bob."), vtt);
        assertTrue(vtt.contains("Bob: It is indeed."), vtt);
        assertTrue(vtt.contains("00:00.300 -->") || vtt.contains("00:00:00.300 -->"), vtt);
        Ffmpeg.Result full = Ffmpeg.run(List.of("ffmpeg", "-v", "error", "-i", out.toString(), "-map", "0:v", "-map", "0:a", "-f", "null", "-"));
        assertEquals("", full.out().trim(), "the whole file decodes without errors");
    }

    @Test
    void burnedInCaptionsShowInTheBottomSafeAreaOnlyWhileSpoken() throws Exception {
        Path plain = encode("plain.mp4", CaptionOptions.NONE);
        Path burned = encode("burned.mp4", new CaptionOptions(false, true, "en", Map.of("ann", "Ann")));
        double[] plainDiff = bottomDifference(plain, burned);
        // frames 0-6 (before 0.3 s): nobody speaks yet; frame 12 (0.5 s): Ann speaks
        for (int i = 0; i < 7; i++) assertTrue(plainDiff[i] < 1.5, "no caption before the first word, frame " + i + ": " + plainDiff[i]);
        assertTrue(plainDiff[12] > 8, "captions visible at 0.5 s: " + plainDiff[12]);
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(burned.toFile())) {
            g.start();
            for (int i = 0; i < g.getFormatContext().nb_streams(); i++) {
                assertTrue(g.getFormatContext().streams(i).codecpar().codec_type() != avutil.AVMEDIA_TYPE_SUBTITLE,
                        "no track when only burn-in is asked for");
            }
        }
        assertTrue(Files.size(burned) > 0);
    }

    private static int countVideoFrames(FFmpegFrameGrabber g) throws Exception {
        int n = 0;
        Frame f;
        while ((f = g.grabImage()) != null) if (f.image != null) n++;
        return n;
    }

    /** Mean absolute luma-ish difference per frame in the bottom quarter of two videos. */
    private static double[] bottomDifference(Path a, Path b) throws Exception {
        try (FFmpegFrameGrabber ga = new FFmpegFrameGrabber(a.toFile()); FFmpegFrameGrabber gb = new FFmpegFrameGrabber(b.toFile())) {
            ga.start();
            gb.start();
            double[] d = new double[72];
            for (int i = 0; i < 72; i++) {
                Frame fa = ga.grabImage(), fb = gb.grabImage();
                ByteBuffer pa = (ByteBuffer) fa.image[0], pb = (ByteBuffer) fb.image[0];
                double sum = 0;
                int n = 0;
                for (int y = H * 3 / 4; y < H; y++) {
                    for (int x = 0; x < W * 3; x++) {
                        sum += Math.abs((pa.get(y * fa.imageStride + x) & 0xff) - (pb.get(y * fb.imageStride + x) & 0xff));
                        n++;
                    }
                }
                d[i] = sum / n;
            }
            return d;
        }
    }
}
