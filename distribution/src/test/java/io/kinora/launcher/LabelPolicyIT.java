package io.kinora.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.ShortBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.kinora.launcher.CliEndToEndIT.DIST;
import static io.kinora.launcher.CliEndToEndIT.kinora;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A custom label policy defined by a factory configuration dropped into conf/ (File Install naming
 * {@code io.kinora.provenance.labelpolicy-<name>.config}), used by a scene through {@code labels.policy}: the MP4
 * carries its visible text (verify reads it back) and its spoken notice opens the sound, before the dialogue.
 */
class LabelPolicyIT {
    static final Path CONF = DIST.resolve("conf/io.kinora.provenance.labelpolicy-acme.config");
    static Path dir;

    @BeforeAll
    static void setUp() throws Exception {
        CliEndToEndIT.setUp();
        dir = Files.createDirectories(CliEndToEndIT.outDir.resolve("label-policy"));
        Files.writeString(CONF, """
                policyId="acme-tv"
                description="Acme TV house style"
                labelTexts=["en=Synthetic media","de=KI-erzeugt"]
                fallbackText="Synthetic media"
                corner="bottom-left"
                heightPercent=D"7.0"
                persistent=B"true"
                audioLabel="spoken-notice"
                noticeTexts=["en=This video was generated with AI."]
                """);
    }

    @AfterAll
    static void tearDown() throws Exception {
        Files.deleteIfExists(CONF);
    }

    @Test
    void aPolicyFromConfIsUsedByASceneAndItsLabelAndNoticeAreInTheClip() throws Exception {
        Files.copy(DIST.resolve("samples/harbour.png"), dir.resolve("harbour.png"), StandardCopyOption.REPLACE_EXISTING);
        Path scene = dir.resolve("acme.json");
        Files.writeString(scene, """
                {"image": "harbour.png", "prompt": "a harbour at dusk", "fps": 24, "resolution": "720p", "aspects": ["16:9"],
                 "camera": "push-in", "ambience": "none", "language": "en", "seed": 5,
                 "characters": [{"id": "mia", "name": "Mia"}],
                 "lines": [{"character": "mia", "text": "Look at the boats."}],
                 "labels": {"policy": "acme-tv"}}
                """);
        Path out = dir.resolve("acme.mp4");
        Files.deleteIfExists(out);
        CliEndToEndIT.Result r = kinora("generate", "--scene", scene.toString(), "--out", out.toString());
        assertEquals(0, r.code(), "exit code; stderr:\n" + r.stderr());
        assertFalse(r.stderr().contains("Exception"), r.stderr());

        JsonNode report = new ObjectMapper().readTree(out.resolveSibling("acme.report.json").toFile());
        JsonNode layers = report.path("provenance").elements().next();
        String visibleApplied = "", audioApplied = "";
        for (JsonNode l : layers) {
            if (l.path("layer").asText().equals("visible-label")) visibleApplied = l.path("detail").asText();
            if (l.path("layer").asText().equals("audio-label")) audioApplied = l.path("detail").asText();
        }
        assertTrue(visibleApplied.startsWith("policy acme-tv: ") && visibleApplied.contains("Synthetic media"), visibleApplied);
        Matcher m = Pattern.compile("spoken notice \"This video was generated with AI\\.\" \\(voice (\\S+)\\) at 0\\.15-([0-9.]+) s").matcher(audioApplied);
        assertTrue(m.find(), audioApplied);
        double noticeEnd = Double.parseDouble(m.group(2));
        Matcher lufs = Pattern.compile("mix (-[0-9.]+) LUFS before, (-[0-9.]+) LUFS after, (-[0-9.]+) dBTP over the notice").matcher(audioApplied);
        assertTrue(lufs.find(), audioApplied);
        assertEquals(Double.parseDouble(lufs.group(1)), Double.parseDouble(lufs.group(2)), 0.15, "the notice keeps the mix's loudness: " + audioApplied);
        assertTrue(Double.parseDouble(lufs.group(3)) <= -1.0, audioApplied);
        assertTrue(noticeEnd > 1.0, "a spoken sentence lasts: " + noticeEnd);
        double lineStart = report.path("timeline").path("lines").path(0).path("start").asDouble();
        assertTrue(lineStart >= noticeEnd + 0.2, "the dialogue starts after the notice: line at " + lineStart + " s, notice ends " + noticeEnd + " s");

        CliEndToEndIT.Result v = kinora("verify", "--json", out.toString());
        assertEquals(0, v.code(), v.stdout() + v.stderr());
        JsonNode verified = new ObjectMapper().readTree(v.stdout());
        JsonNode visible = null, audio = null;
        for (JsonNode l : verified.path("layers")) {
            if (l.path("layer").asText().equals("visible-label")) visible = l;
            if (l.path("layer").asText().equals("audio-label")) audio = l;
        }
        assertEquals("present", visible.path("state").asText(), visible.toString());
        assertEquals("Synthetic media", visible.path("facts").path("text").asText(), visible.toString());
        assertEquals("bottom-left", visible.path("facts").path("corner").asText(), visible.toString());
        assertEquals("present", audio.path("state").asText(), audio.toString());
        assertTrue(audio.path("detail").asText().contains("spoken AI notice"), audio.toString());

        short[] pcm = pcm(out);
        double notice = rms(pcm, 0.25, noticeEnd - 0.05);
        double before = rms(pcm, 0, 0.12);
        assertTrue(notice > 0.02, "the notice is audible at the start (rms " + notice + ")");
        assertTrue(before < notice / 10, "nothing before it (rms " + before + ")");
    }

    static short[] pcm(Path mp4) throws Exception {
        List<short[]> parts = new ArrayList<>();
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(mp4.toFile())) {
            g.setSampleMode(FrameGrabber.SampleMode.SHORT);
            g.start();
            assertEquals(48000, g.getSampleRate());
            assertEquals(2, g.getAudioChannels());
            Frame f;
            while ((f = g.grabSamples()) != null) {
                ShortBuffer sb = (ShortBuffer) f.samples[0];
                short[] s = new short[sb.remaining()];
                sb.get(s);
                parts.add(s);
            }
        }
        short[] all = new short[parts.stream().mapToInt(a -> a.length).sum()];
        int o = 0;
        for (short[] a : parts) {
            System.arraycopy(a, 0, all, o, a.length);
            o += a.length;
        }
        return all;
    }

    static double rms(short[] stereo, double from, double to) {
        int a = (int) (Math.max(0, from) * 48000) * 2;
        int b = Math.min(stereo.length, (int) (to * 48000) * 2);
        double s = 0;
        for (int i = a; i < b; i++) s += (stereo[i] / 32768.0) * (stereo[i] / 32768.0);
        return Math.sqrt(s / Math.max(1, b - a));
    }
}
