package io.kinora.compositor.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kinora.api.compositor.Mix;
import io.kinora.api.compositor.MixRequest;
import io.kinora.api.media.AudioBuffer;
import io.kinora.api.timeline.SpokenLine;
import io.kinora.api.timeline.Timeline;
import io.kinora.api.timeline.WordTiming;
import io.kinora.api.voice.Speech;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Stems (one per character, the ducked bed) and the master's loudness, checked by an independent meter (FFmpeg's
 * ebur128 filter) on a 30 s clip with four characters, some of them overlapping.
 */
class StemsAndLoudnessTest {
    private static final int RATE = 48_000;
    private static final String[] WHO = {"ann", "bob", "cy", "dee"};
    private static final double[] PAN = {-0.6, -0.2, 0.2, 0.6};

    @TempDir
    Path dir;

    private final CompositorImpl compositor = new CompositorImpl((String) null, TestSignals.config(Map.of()));

    record Clip(Timeline timeline, List<Speech> speech, Map<String, Double> pan, AudioBuffer bed) {
    }

    /** 30 s, four characters taking turns (2-4 s lines, natural gaps), the last two lines overlapping; noise bed. */
    static Clip clip(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<SpokenLine> lines = new ArrayList<>();
        List<Speech> speech = new ArrayList<>();
        double t = 0.6;
        int i = 0;
        while (t < 26) {
            String who = WHO[i % 4];
            double len = 2 + 2 * rnd.nextDouble();
            float[] mono = TestSignals.speechLike(len, 24_000, seed + i); // voice engines may run at other rates
            for (int k = 0; k < mono.length; k++) mono[k] *= (float) (0.2 + 0.6 * ((i * 37) % 5) / 4.0); // uneven levels
            List<WordTiming> words = new ArrayList<>();
            for (double w = 0; w + 0.3 < len; w += 0.35) words.add(new WordTiming("w", w, w + 0.3));
            List<WordTiming> clipWords = words.stream().map(w -> w.shift(0)).toList();
            double start = t;
            lines.add(new SpokenLine(i, who, "line", "v", start, start + len, clipWords.stream().map(w -> w.shift(start)).toList()));
            speech.add(new Speech("v", new AudioBuffer(24_000, 1, mono), words));
            t += len + (i == 6 ? -1.0 : 0.3 + 0.5 * rnd.nextDouble()); // line 7 overlaps line 8
            i++;
        }
        Timeline timeline = TestSignals.timeline(30.0, 24, lines);
        Map<String, Double> pan = new LinkedHashMap<>();
        for (int k = 0; k < 4; k++) pan.put(WHO[k], PAN[k]);
        float[] bed = new float[(int) (12.0 * RATE) * 2]; // shorter than the clip: looped
        SplittableRandom n = new SplittableRandom(seed ^ 99);
        for (int k = 0; k < bed.length; k++) bed[k] = (float) ((n.nextDouble() * 2 - 1) * 0.1);
        return new Clip(timeline, speech, pan, new AudioBuffer(RATE, 2, bed));
    }

    @Test
    void eachCharacterStemHoldsSpeechOnlyDuringTheirLinesAndStemsSumToTheMaster() {
        Clip c = clip(5);
        Mix mix = compositor.mix(new MixRequest(c.timeline(), c.speech(), c.pan(), c.bed(), RATE, -16));
        assertEquals(List.of(WHO), List.copyOf(mix.characterStems().keySet()), "one stem per character, in order");
        float[] master = mix.master().samples();
        float[] sum = new float[master.length];
        for (Map.Entry<String, AudioBuffer> e : mix.characterStems().entrySet()) {
            AudioBuffer stem = e.getValue();
            assertEquals(RATE, stem.sampleRate());
            assertEquals(mix.master().frames(), stem.frames());
            float[] s = stem.samples();
            List<SpokenLine> own = c.timeline().lines().stream().filter(l -> l.character().equals(e.getKey())).toList();
            int inside = 0, outside = 0;
            double energyInside = 0;
            for (int n = 0; n < stem.frames(); n++) {
                double tt = n / (double) RATE;
                boolean speaking = own.stream().anyMatch(l -> tt >= l.start() - 1e-3 && tt < l.end() + 1e-3);
                double v = Math.abs(s[2 * n]) + Math.abs(s[2 * n + 1]);
                if (speaking) {
                    energyInside += v;
                    inside++;
                } else if (v > 1e-6) {
                    outside++;
                }
                sum[2 * n] += s[2 * n];
                sum[2 * n + 1] += s[2 * n + 1];
            }
            assertEquals(0, outside, e.getKey() + ": no sound outside their lines");
            assertTrue(energyInside / inside > 1e-3, e.getKey() + ": speech during their lines");
            // panned as in the mix: left-placed characters are louder on the left
            int k = List.of(WHO).indexOf(e.getKey());
            double l = TestSignals.rmsDb(s, 2, 0, RATE, 0, 30), r = TestSignals.rmsDb(s, 2, 1, RATE, 0, 30);
            double theta = (PAN[k] + 1) * Math.PI / 4;
            assertEquals(20 * Math.log10(Math.cos(theta) / Math.sin(theta)), l - r, 0.05, e.getKey() + " pan");
        }
        AudioBuffer bed = mix.ambienceStem();
        assertNotNull(bed);
        // the bed is ducked under speech: quieter in the middle of line 1 than before the first word
        double before = TestSignals.rmsDb(bed.samples(), 2, 0, RATE, 0.0, 0.45);
        SpokenLine first = c.timeline().lines().get(0);
        double during = TestSignals.rmsDb(bed.samples(), 2, 0, RATE, first.start() + 0.5, first.end() - 0.2);
        assertEquals(-12, during - before, 1.0, "duck depth in the bed stem");
        float[] b = bed.samples();
        double maxErr = 0;
        for (int n = 0; n < master.length; n++) maxErr = Math.max(maxErr, Math.abs(master[n] - (sum[n] + b[n])));
        assertTrue(maxErr < 1e-4, "stems add up to the master, max error " + maxErr);
    }

    @Test
    void noAmbienceMeansNoBedStem() {
        Clip c = clip(6);
        Mix mix = compositor.mix(new MixRequest(c.timeline(), c.speech(), c.pan(), null, RATE, -16));
        assertNull(mix.ambienceStem());
        assertEquals(4, mix.characterStems().size());
    }

    @Test
    void wavStemsRoundTrip() throws Exception {
        float[] x = TestSignals.sine(1000, 0.5, 44_100, 0.5, -0.25);
        Path f = compositor.writeWav(new AudioBuffer(44_100, 2, x), dir.resolve("out-ann.wav"));
        byte[] bytes = Files.readAllBytes(f);
        ByteBuffer h = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals("RIFF", new String(bytes, 0, 4));
        assertEquals("WAVE", new String(bytes, 8, 4));
        assertEquals(2, h.getShort(22));
        assertEquals(48_000, h.getInt(24));
        assertEquals(24, h.getShort(34));
        int dataBytes = h.getInt(40);
        assertEquals(bytes.length - 44, dataBytes);
        assertEquals(24_000, dataBytes / 6, 4, "0.5 s at 48 kHz");
        // the tone level survives resampling and quantisation: left 0.5, right 0.25 amplitude
        float[] back = new float[dataBytes / 3];
        for (int i = 0; i < back.length; i++) {
            int o = 44 + 3 * i;
            int v = (bytes[o] & 0xff) | (bytes[o + 1] & 0xff) << 8 | bytes[o + 2] << 16;
            back[i] = v / 8_388_607f;
        }
        assertEquals(0.5, TestSignals.toneAmplitude(back, 2, 0, 48_000, 1000, 0.1, 0.4), 0.005);
        assertEquals(0.25, TestSignals.toneAmplitude(back, 2, 1, 48_000, 1000, 0.1, 0.4), 0.005);
        assertEquals(List.of(f), Files.list(dir).toList(), "no temporary file left");
    }

    @Test
    void masterMeetsTheTargetOnAnIndependentMeter() throws Exception {
        assumeTrue(Ffmpeg.available(), "ffmpeg (Debian package) is not installed: the independent loudness check is skipped");
        Clip c = clip(7);
        for (double target : new double[] {-16, -23}) {
            Mix mix = compositor.mix(new MixRequest(c.timeline(), c.speech(), c.pan(), c.bed(), RATE, target));
            Path wav = compositor.writeWav(mix.master(), dir.resolve("master" + (int) -target + ".wav"));
            Ffmpeg.Result r = Ffmpeg.run(List.of("ffmpeg", "-hide_banner", "-nostats", "-i", wav.toString(),
                    "-filter_complex", "ebur128=peak=true", "-f", "null", "-"));
            assertEquals(0, r.exit(), r.out());
            String summary = r.out().substring(r.out().lastIndexOf("Summary:"));
            double integrated = number(summary, "I:\\s+(-?[0-9.]+) LUFS");
            double truePeak = number(summary, "Peak:\\s+(-?[0-9.]+) dBFS");
            assertEquals(target, integrated, 1.0, "integrated loudness by ffmpeg ebur128:\n" + summary);
            assertTrue(truePeak < -1.0, "true peak by ffmpeg ebur128 " + truePeak + " dBTP");
            assertEquals(target, mix.integratedLufs(), 0.1, "our own meter");
        }
    }

    @Test
    void theAacTrackOfTheMp4StaysWithinTargetAndCeiling() throws Exception {
        assumeTrue(Ffmpeg.available(), "ffmpeg (Debian package) is not installed: the independent loudness check is skipped");
        Clip c = clip(9);
        Mix mix = compositor.mix(new MixRequest(c.timeline(), c.speech(), c.pan(), c.bed(), RATE, -16));
        Path mp4 = dir.resolve("clip.mp4");
        try (io.kinora.api.compositor.EncodeSession s = compositor.open(new io.kinora.api.compositor.EncodeRequest(mp4, 64, 36,
                c.timeline(), mix.master(), Map.of()))) {
            io.kinora.api.media.RgbImage black = io.kinora.api.media.RgbImage.blank(64, 36);
            for (int i = 0; i < c.timeline().frameCount(); i++) s.write(black);
            s.finish();
        }
        Ffmpeg.Result r = Ffmpeg.run(List.of("ffmpeg", "-hide_banner", "-nostats", "-i", mp4.toString(),
                "-filter_complex", "[0:a]ebur128=peak=true", "-f", "null", "-"));
        assertEquals(0, r.exit(), r.out());
        String summary = r.out().substring(r.out().lastIndexOf("Summary:"));
        assertEquals(-16, number(summary, "I:\\s+(-?[0-9.]+) LUFS"), 1.0, "AAC track loudness:\n" + summary);
        assertTrue(number(summary, "Peak:\\s+(-?[0-9.]+) dBFS") < -1.0, "AAC track true peak:\n" + summary);
    }

    private static double number(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertTrue(m.find(), regex + " in " + text);
        return Double.parseDouble(m.group(1));
    }

    @Test
    void stemsAreDeterministic() {
        Clip c = clip(8);
        Mix a = compositor.mix(new MixRequest(c.timeline(), c.speech(), c.pan(), c.bed(), RATE, -16));
        Mix b = compositor.mix(new MixRequest(c.timeline(), c.speech(), c.pan(), c.bed(), RATE, -16));
        assertArrayEquals(a.master().samples(), b.master().samples());
        for (String w : WHO) assertArrayEquals(a.characterStems().get(w).samples(), b.characterStems().get(w).samples());
    }
}
