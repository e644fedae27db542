package io.kinora.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A 30 s dialogue of four characters ({@code samples/four-friends.json}, policy {@code cn}) made by {@code bin/kinora}
 * and checked as a sound engineer would: the delivered MP4's loudness measured by an independent meter (FFmpeg's
 * {@code ebur128}), every character's stem holding speech during that character's lines and nothing outside them,
 * and every stretch of speech in every stem covered by a caption cue naming its speaker.
 */
class DialogueClipIT {
    static final Path DIST = CliEndToEndIT.DIST;
    static Path out;
    static JsonNode report;

    /** Target of {@code io.kinora.jobs} {@code loudness.target} (default). */
    static final double TARGET_LUFS = -16.0;

    @BeforeAll
    static void generate() throws Exception {
        Path dir = Files.createDirectories(CliEndToEndIT.WORK.resolve("dialogue"));
        out = dir.resolve("four-friends.mp4");
        Files.deleteIfExists(out);
        Path log = dir.resolve("generate.log");
        Process p = new ProcessBuilder(DIST.resolve("bin/kinora").toString(), "--work", CliEndToEndIT.WORK.toString(), "generate",
                "--scene", DIST.resolve("samples/four-friends.json").toString(), "--out", out.toString(), "--quiet")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(600, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("kinora generate did not finish in 600 s");
        }
        assertEquals(0, p.exitValue(), "exit code; output:\n" + Files.readString(log));
        report = new ObjectMapper().readTree(dir.resolve("four-friends.report.json").toFile());
    }

    @Test
    void fourCharactersFourVoicesForThirtySeconds() {
        JsonNode timeline = report.path("timeline");
        assertTrue(timeline.path("duration").asDouble() >= 30.0, "a clip of at least 30 s: " + timeline.path("duration"));
        Set<String> characters = new HashSet<>();
        Set<String> voices = new HashSet<>();
        report.path("voices").fields().forEachRemaining(e -> {
            characters.add(e.getKey());
            voices.add(e.getValue().asText());
        });
        assertEquals(Set.of("mia", "ben", "ada", "tom"), characters);
        assertEquals(4, voices.size(), "four characters, four voices: " + report.path("voices"));
        double previousEnd = 0;
        for (JsonNode line : timeline.path("lines")) {
            assertEquals(report.path("voices").path(line.path("character").asText()).asText(), line.path("voice").asText(),
                    "a character keeps its voice for the whole clip");
            assertTrue(line.path("start").asDouble() >= previousEnd, "lines do not overlap: " + line);
            previousEnd = line.path("end").asDouble();
        }
    }

    @Test
    void deliveredLoudnessMeetsTheTargetByAnIndependentMeter() throws Exception {
        assumeTrue(onPath("ffmpeg"), "FFmpeg's command line is not installed (.ci/run installs the Debian package ffmpeg)");
        Process p = new ProcessBuilder("ffmpeg", "-hide_banner", "-nostats", "-i", out.toString(), "-map", "0:a",
                "-af", "ebur128=peak=true", "-f", "null", "-").redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0, log);
        String summary = log.substring(log.lastIndexOf("Summary:"));
        double integrated = number(summary, "I:\\s+(-?[0-9.]+) LUFS");
        double truePeak = number(summary, "Peak:\\s+(-?[0-9.]+) dBFS");
        assertEquals(TARGET_LUFS, integrated, 1.0, "integrated loudness of the delivered AAC track:\n" + summary);
        assertTrue(truePeak <= -1.0, "true peak of the delivered AAC track at most -1 dBTP:\n" + summary);
    }

    @Test
    void eachStemSpeaksOnlyDuringItsCharactersLines() throws Exception {
        for (String character : List.of("mia", "ben", "ada", "tom")) {
            float[] stem = monoWav(out.resolveSibling("four-friends-" + character + ".wav"));
            List<double[]> mine = new ArrayList<>();
            for (JsonNode line : report.path("timeline").path("lines")) {
                if (line.path("character").asText().equals(character)) {
                    mine.add(new double[] {line.path("start").asDouble(), line.path("end").asDouble()});
                }
            }
            assertEquals(2, mine.size(), character + " has two lines");
            for (double[] l : mine) {
                double db = rmsDb(stem, l[0], l[1]);
                assertTrue(db > -40, character + " is heard during " + l[0] + "-" + l[1] + " s (" + db + " dBFS)");
            }
            double loudestOutside = -200;
            for (double t = 0; t + 0.02 <= stem.length / 48000.0; t += 0.02) {
                final double t0 = t;
                if (mine.stream().anyMatch(l -> t0 + 0.02 > l[0] && t0 < l[1])) continue;
                loudestOutside = Math.max(loudestOutside, rmsDb(stem, t, t + 0.02));
            }
            assertTrue(loudestOutside < -60, character + "'s stem is silent outside their lines (loudest 20 ms: "
                    + loudestOutside + " dBFS)");
        }
    }

    @Test
    void captionCuesCoverEveryWordsAudioAndNameTheSpeaker() throws Exception {
        List<Cue> cues = cues(Files.readString(out.resolveSibling("four-friends.vtt")));
        assertTrue(cues.size() >= 8, "at least one cue per line: " + cues.size());
        // every word of the timeline lies inside a cue of its speaker
        for (JsonNode line : report.path("timeline").path("lines")) {
            String speaker = name(line.path("character").asText());
            for (JsonNode w : line.path("words")) {
                double a = w.path("start").asDouble();
                double b = w.path("end").asDouble();
                assertTrue(cues.stream().anyMatch(c -> c.speaker.equals(speaker) && c.start <= a + 0.02 && c.end >= b - 0.02),
                        "the word '" + w.path("word").asText() + "' (" + a + "-" + b + " s) of " + speaker + " is captioned");
            }
        }
        // and every 20 ms of audible speech in a stem is shown while it sounds, under the right name
        for (String character : List.of("mia", "ben", "ada", "tom")) {
            float[] stem = monoWav(out.resolveSibling("four-friends-" + character + ".wav"));
            String speaker = name(character);
            int audible = 0;
            for (double t = 0; t + 0.02 <= stem.length / 48000.0; t += 0.02) {
                if (rmsDb(stem, t, t + 0.02) < -45) continue;
                audible++;
                final double mid = t + 0.01;
                assertTrue(cues.stream().anyMatch(c -> c.speaker.equals(speaker) && c.start - 0.05 <= mid && mid <= c.end + 0.05),
                        speaker + " is heard at " + String.format(Locale.ROOT, "%.2f", mid) + " s with no caption of theirs on screen");
            }
            assertTrue(audible > 50, speaker + " is audible in their stem (" + audible + " windows)");
        }
    }

    record Cue(double start, double end, String speaker) {
    }

    static List<Cue> cues(String vtt) {
        List<Cue> cues = new ArrayList<>();
        Matcher m = Pattern.compile("(\\d+):(\\d\\d):(\\d\\d\\.\\d{3}) --> (\\d+):(\\d\\d):(\\d\\d\\.\\d{3})[^\\n]*\\n<v ([^>]+)>").matcher(vtt);
        while (m.find()) {
            cues.add(new Cue(seconds(m.group(1), m.group(2), m.group(3)), seconds(m.group(4), m.group(5), m.group(6)), m.group(7)));
        }
        return cues;
    }

    private static double seconds(String h, String m, String s) {
        return Integer.parseInt(h) * 3600 + Integer.parseInt(m) * 60 + Double.parseDouble(s);
    }

    private static String name(String id) {
        for (JsonNode c : report.path("scene").path("characters")) {
            if (c.path("id").asText().equals(id)) return c.path("name").asText(id);
        }
        return id;
    }

    /** The first channel of a 16- or 24-bit PCM WAV at 48 kHz, as floats in [-1, 1]. */
    static float[] monoWav(Path wav) throws Exception {
        try (AudioInputStream in = AudioSystem.getAudioInputStream(wav.toFile())) {
            AudioFormat f = in.getFormat();
            assertEquals(48000f, f.getSampleRate(), 0.5f, wav + " sample rate");
            assertEquals(AudioFormat.Encoding.PCM_SIGNED, f.getEncoding(), wav + " encoding");
            int bytes = f.getSampleSizeInBits() / 8;
            int frame = f.getFrameSize();
            byte[] all = in.readAllBytes();
            float[] out = new float[all.length / frame];
            for (int i = 0; i < out.length; i++) {
                int o = i * frame;
                int v = 0;
                for (int k = 0; k < bytes; k++) {
                    int b = f.isBigEndian() ? all[o + k] & 0xff : all[o + bytes - 1 - k] & 0xff;
                    v = (v << 8) | b;
                }
                v = (v << (32 - 8 * bytes)) >> (32 - 8 * bytes);
                out[i] = (float) (v / Math.pow(2, 8 * bytes - 1));
            }
            return out;
        }
    }

    static double rmsDb(float[] x, double from, double to) {
        int a = Math.max(0, (int) Math.round(from * 48000));
        int b = Math.min(x.length, (int) Math.round(to * 48000));
        double s = 0;
        for (int i = a; i < b; i++) s += x[i] * (double) x[i];
        return 10 * Math.log10(s / Math.max(1, b - a) + 1e-20);
    }

    private static double number(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertTrue(m.find(), regex + " in\n" + text);
        return Double.parseDouble(m.group(1));
    }

    private static boolean onPath(String command) {
        try {
            return new ProcessBuilder(command, "-version").redirectErrorStream(true).start().waitFor(30, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}
