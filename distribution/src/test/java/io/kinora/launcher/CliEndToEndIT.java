package io.kinora.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ShortBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs the distribution's {@code bin/kinora} as a user would and decodes what it wrote.
 */
class CliEndToEndIT {
    static final Path DIST = Path.of(System.getProperty("kinora.dist", "target/kinora")).toAbsolutePath();
    static final Path WORK = Path.of(System.getProperty("kinora.repo", ".")).resolve("target/it-work").toAbsolutePath();
    static Path outDir;

    record Result(int code, String stdout, String stderr) {
    }

    @BeforeAll
    static void setUp() throws IOException {
        outDir = Files.createDirectories(WORK.resolve("e2e"));
    }

    static Result kinora(String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(DIST.resolve("bin/kinora").toString());
        cmd.add("--work");
        cmd.add(WORK.toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        Path so = Files.createTempFile(outDir, "stdout", ".txt");
        Path se = Files.createTempFile(outDir, "stderr", ".txt");
        pb.redirectOutput(so.toFile());
        pb.redirectError(se.toFile());
        Process p = pb.start();
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("kinora " + String.join(" ", args) + " did not finish in 300 s");
        }
        Result r = new Result(p.exitValue(), Files.readString(so), Files.readString(se));
        Files.delete(so);
        Files.delete(se);
        return r;
    }

    @Test
    void generatesAClipThatDecodesWithSpeechAndMotion() throws Exception {
        Path out = outDir.resolve("two-speakers.mp4");
        Files.deleteIfExists(out);
        Result r = kinora("generate", "--scene", DIST.resolve("samples/two-speakers.json").toString(), "--out", out.toString());
        assertEquals(0, r.code(), "exit code; stderr:\n" + r.stderr());
        assertTrue(r.stdout().contains("Wrote " + out), r.stdout());
        assertFalse(r.stderr().contains("Exception"), "no stack trace on the terminal:\n" + r.stderr());

        JsonNode report = new ObjectMapper().readTree(out.resolveSibling("two-speakers.report.json").toFile());
        double duration = report.path("timeline").path("duration").asDouble();
        int frames = report.path("timeline").path("frames").asInt();
        int fps = report.path("timeline").path("fps").asInt();
        JsonNode lines = report.path("timeline").path("lines");
        assertEquals(2, lines.size());
        assertTrue(!lines.get(0).path("voice").asText().equals(lines.get(1).path("voice").asText()),
                "two characters, two voices: " + lines);
        assertTrue(duration > lines.get(1).path("end").asDouble(), "the clip holds the dialogue");

        assertTrue(moovBeforeMdat(out), "faststart: moov precedes mdat");
        Path again = Files.createDirectories(outDir.resolve("again")).resolve("two-speakers.mp4");
        assertEquals(0, kinora("generate", "--scene", DIST.resolve("samples/two-speakers.json").toString(), "--out", again.toString(), "--quiet").code());
        assertEquals(-1L, Files.mismatch(out, again), "same scene and seed, same bytes");
        java.awt.image.BufferedImage sheet = javax.imageio.ImageIO.read(out.resolveSibling("two-speakers.contact.png").toFile());
        assertTrue(sheet != null && sheet.getWidth() > 4 * 320 && sheet.getHeight() > 3 * 180, "a contact sheet of 4x3 frames is beside the clip");

        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(out.toFile())) {
            g.setSampleMode(FrameGrabber.SampleMode.SHORT);
            g.start();
            assertEquals("h264", g.getVideoCodecName());
            assertEquals("aac", g.getAudioCodecName());
            assertEquals(avutil.AV_PIX_FMT_YUV420P, streamPixelFormat(g), "yuv420p in the stream");
            assertEquals(1280, g.getImageWidth());
            assertEquals(720, g.getImageHeight());
            assertEquals(fps, g.getFrameRate(), 0.01);
            assertEquals(48000, g.getSampleRate());
            assertEquals(2, g.getAudioChannels());
            double fileDuration = g.getLengthInTime() / 1e6;
            assertEquals(duration, fileDuration, 1.0 / fps, "duration within one frame of the timeline");

            int videoFrames = 0;
            double[] firstLuma = null;
            double[] lastLuma = null;
            List<short[]> audio = new ArrayList<>();
            Frame f;
            while ((f = g.grabFrame(true, true, true, false)) != null) {
                if (f.image != null) {
                    double[] luma = luma(f);
                    if (firstLuma == null) firstLuma = luma;
                    lastLuma = luma;
                    videoFrames++;
                } else if (f.samples != null) {
                    ShortBuffer sb = (ShortBuffer) f.samples[0];
                    short[] s = new short[sb.remaining()];
                    sb.get(s);
                    audio.add(s);
                }
            }
            assertEquals(frames, videoFrames, "every timeline frame is in the file");
            assertTrue(meanAbsDiff(firstLuma, lastLuma) > 3.0, "frames change over time (camera move)");

            int total = audio.stream().mapToInt(a -> a.length).sum();
            short[] pcm = new short[total];
            int o = 0;
            for (short[] a : audio) {
                System.arraycopy(a, 0, pcm, o, a.length);
                o += a.length;
            }
            for (JsonNode line : lines) {
                double rmsLine = rms(pcm, line.path("start").asDouble(), line.path("end").asDouble());
                assertTrue(rmsLine > 0.02, "speech is audible during " + line.path("text").asText() + " (rms " + rmsLine + ")");
            }
            double lead = rms(pcm, 0.05, lines.get(0).path("start").asDouble() - 0.1);
            double speech = rms(pcm, lines.get(0).path("start").asDouble(), lines.get(0).path("end").asDouble());
            assertTrue(speech > 2 * lead, "speech stands out of the ambience bed (" + speech + " vs " + lead + ")");
        }
    }

    private static int streamPixelFormat(FFmpegFrameGrabber g) {
        AVFormatContext fc = g.getFormatContext();
        for (int i = 0; i < fc.nb_streams(); i++) {
            AVStream st = fc.streams(i);
            if (st.codecpar().codec_type() == avutil.AVMEDIA_TYPE_VIDEO) return st.codecpar().format();
        }
        return -1;
    }

    private static double[] luma(Frame f) {
        ByteBuffer b = (ByteBuffer) f.image[0];
        int w = f.imageWidth;
        int h = f.imageHeight;
        int stride = f.imageStride;
        // 32x18 block means of the BGR picture: enough to see motion, robust to codec noise
        double[] out = new double[32 * 18];
        int[] n = new int[out.length];
        for (int y = 0; y < h; y += 2) {
            for (int x = 0; x < w; x += 2) {
                int i = y * stride + x * 3;
                double v = 0.114 * (b.get(i) & 0xff) + 0.587 * (b.get(i + 1) & 0xff) + 0.299 * (b.get(i + 2) & 0xff);
                int k = (y * 18 / h) * 32 + (x * 32 / w);
                out[k] += v;
                n[k]++;
            }
        }
        for (int k = 0; k < out.length; k++) out[k] /= Math.max(1, n[k]);
        return out;
    }

    private static double meanAbsDiff(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += Math.abs(a[i] - b[i]);
        return s / a.length;
    }

    private static double rms(short[] stereo, double from, double to) {
        int a = (int) (Math.max(0, from) * 48000) * 2;
        int b = Math.min(stereo.length, (int) (to * 48000) * 2);
        double s = 0;
        for (int i = a; i < b; i++) s += (stereo[i] / 32768.0) * (stereo[i] / 32768.0);
        return Math.sqrt(s / Math.max(1, b - a));
    }

    static boolean moovBeforeMdat(Path mp4) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(mp4.toFile(), "r")) {
            long pos = 0;
            while (pos + 8 <= f.length()) {
                f.seek(pos);
                long size = f.readInt() & 0xffffffffL;
                byte[] type = new byte[4];
                f.readFully(type);
                String t = new String(type, StandardCharsets.ISO_8859_1);
                if (size == 1) size = f.readLong();
                if (t.equals("moov")) return true;
                if (t.equals("mdat")) return false;
                if (size < 8) return false;
                pos += size;
            }
        }
        return false;
    }

    @Test
    void listsModelsVoicesAndVerifiesAndBenchmarks() throws Exception {
        Result models = kinora("models");
        assertEquals(0, models.code(), models.stderr());
        assertTrue(models.stdout().startsWith("parallax "), models.stdout());
        Result voices = kinora("voices");
        assertEquals(0, voices.code(), voices.stderr());
        assertTrue(voices.stdout().lines().count() >= 4, voices.stdout());

        Path samples = Files.createDirectories(outDir.resolve("bench-samples"));
        Files.copy(DIST.resolve("samples/bottle.png"), samples.resolve("bottle.png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(samples.resolve("short.json"), "{\"image\": \"bottle.png\", \"prompt\": \"a bottle\", \"duration\": 1, "
                + "\"camera\": \"pan-left\", \"ambience\": \"none\"}");
        Path results = outDir.resolve("bench-results");
        Result bench = kinora("bench", "--samples", samples.toString(), "--out", results.toString(), "--no-warmup");
        assertEquals(0, bench.code(), bench.stderr());
        String json = Files.readString(results.resolve("bench.json"));
        assertTrue(json.contains("\"sample\": \"short\"") && json.contains("\"realTimeFactor\"") && json.contains("\"peakRssMiB\""), json);
        assertTrue(json.contains("\"frames\": 24"), json);
        assertTrue(Files.readString(results.resolve("bench.md")).contains("| short | 1280x720 | 24 |"));

        Result verify = kinora("verify", results.resolve("short.mp4").toString());
        assertEquals(0, verify.code(), verify.stderr());
        assertTrue(verify.stdout().matches("(?s).*implicit-label\\s+present.*"), verify.stdout());
        Result notMp4 = kinora("verify", DIST.resolve("samples/bottle.png").toString());
        assertEquals(3, notMp4.code(), notMp4.stdout() + notMp4.stderr());
        assertFalse(notMp4.stderr().contains("\tat "), notMp4.stderr());
    }

    @Test
    void helpDocumentsEveryCommand() throws Exception {
        Result r = kinora("--help");
        assertEquals(0, r.code());
        for (String c : List.of("generate", "verify", "voices", "models", "bench", "serve", "--image", "--scene", "--out", "--seed")) {
            assertTrue(r.stdout().contains(c), "help mentions " + c);
        }
        Result none = kinora();
        assertEquals(2, none.code());
    }

    @Test
    void badInputGivesOneClearMessageAndNoOutput() throws Exception {
        Path dir = Files.createDirectories(outDir.resolve("bad"));
        Path scene = DIST.resolve("samples/two-speakers.json");
        Path image = DIST.resolve("samples/harbour.png");
        Path notImage = Files.writeString(dir.resolve("notes.png"), "this is text, not a picture");
        Path notJson = Files.writeString(dir.resolve("scene.json"), "prompt: a lake");
        Path schema = Files.writeString(dir.resolve("schema.json"), "{\"prompt\": 42, \"camera\": \"spin\", \"lines\": [{\"text\": \"hi\"}]}");
        Path out = dir.resolve("out.mp4");

        expectFailure(3, "does not exist", kinora("generate", "--scene", scene.toString(), "--image", dir.resolve("missing.png").toString(), "--out", out.toString()));
        expectFailure(3, "is not an image", kinora("generate", "--scene", scene.toString(), "--image", notImage.toString(), "--out", out.toString()));
        expectFailure(3, "is not valid JSON at line 1", kinora("generate", "--scene", notJson.toString(), "--image", image.toString(), "--out", out.toString()));
        Result s = kinora("generate", "--scene", schema.toString(), "--image", image.toString(), "--out", out.toString());
        expectFailure(3, "prompt: must be a string", s);
        assertTrue(s.stderr().contains("camera: must be one of") && s.stderr().contains("lines[0].character: is required"), s.stderr());
        expectFailure(3, "does not exist", kinora("generate", "--scene", scene.toString(), "--out", dir.resolve("no/such/dir/out.mp4").toString()));
        Path readOnly = Files.createDirectories(dir.resolve("readonly"));
        readOnly.toFile().setWritable(false, false);
        try {
            if (!Files.isWritable(readOnly)) {
                expectFailure(3, "is not writable", kinora("generate", "--scene", scene.toString(), "--out", readOnly.resolve("out.mp4").toString()));
            }
        } finally {
            readOnly.toFile().setWritable(true, false);
        }
        expectFailure(2, "--out is required", kinora("generate", "--scene", scene.toString()));
        try (Stream<Path> left = Files.walk(dir)) {
            List<String> names = left.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString()).sorted().collect(Collectors.toList());
            assertEquals(List.of("notes.png", "scene.json", "schema.json"), names, "nothing but our inputs is left");
        }
    }

    private static void expectFailure(int code, String message, Result r) {
        assertEquals(code, r.code(), "exit code; stderr:\n" + r.stderr());
        assertTrue(r.stderr().contains(message), "message '" + message + "' in:\n" + r.stderr());
        assertFalse(r.stderr().contains("\tat "), "no stack trace:\n" + r.stderr());
    }

    @Test
    void tinyAndStripImagesAreRefusedWithTheSizeTheLimitAndTheSetting() throws Exception {
        Path dir = Files.createDirectories(outDir.resolve("image-limits"));
        Path scene = DIST.resolve("samples/two-speakers.json");
        Path tiny = dir.resolve("icon.png");
        Path strip = dir.resolve("strip.png");
        javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(40, 40, java.awt.image.BufferedImage.TYPE_INT_RGB), "png", tiny.toFile());
        javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(2000, 100, java.awt.image.BufferedImage.TYPE_INT_RGB), "png", strip.toFile());
        expectFailure(3, "is 40x40 pixels; the smallest side must be at least 64 px (min.image.side in the configuration io.kinora.jobs)",
                kinora("generate", "--scene", scene.toString(), "--image", tiny.toString(), "--out", dir.resolve("a.mp4").toString()));
        expectFailure(3, "an aspect ratio of 20:1; the limit is 10:1 (max.image.aspect in the configuration io.kinora.jobs)",
                kinora("generate", "--scene", scene.toString(), "--image", strip.toString(), "--out", dir.resolve("b.mp4").toString()));
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(List.of("icon.png", "strip.png"), left.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList()));
        }
    }
}
