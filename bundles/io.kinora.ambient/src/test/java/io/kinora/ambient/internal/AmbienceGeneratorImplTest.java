package io.kinora.ambient.internal;

import io.kinora.api.ambient.Ambience;
import io.kinora.api.ambient.AmbienceRequest;
import io.kinora.api.media.StageException;
import io.kinora.api.scene.AmbienceSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every bed is decoded and measured: level, stereo image, seam, spectrum, determinism. */
class AmbienceGeneratorImplTest {
    static final int RATE = 48_000;
    final AmbienceGeneratorImpl generator = new AmbienceGeneratorImpl(-30, 600);

    Ambience make(String preset, double levelDb, double seconds, long seed) {
        return generator.generate(new AmbienceRequest(new AmbienceSpec(preset, levelDb), "", seconds, RATE, seed));
    }

    @Test
    void presetsAreListed() {
        assertEquals(List.of("auto", "cafe", "fire", "forest", "night", "none", "ocean", "rain", "room", "stream", "traffic", "wind"),
                generator.presets());
    }

    @ParameterizedTest
    @ValueSource(strings = {"room", "wind", "rain", "ocean", "stream", "forest", "night", "traffic", "cafe", "fire"})
    void stereo48kHzOfTheRequestedLengthAndDeterministic(String preset) {
        Ambience a = make(preset, 0, 4.5, 42);
        assertEquals(preset, a.preset());
        assertEquals(2, a.audio().channels());
        assertEquals(RATE, a.audio().sampleRate());
        assertEquals(4.5 * RATE, a.audio().frames());
        assertArrayEquals(a.audio().samples(), make(preset, 0, 4.5, 42).audio().samples());
    }

    @ParameterizedTest
    @ValueSource(strings = {"room", "wind", "rain", "ocean", "stream", "forest", "night", "traffic", "cafe", "fire"})
    void differentSeedsGiveDifferentUnrelatedBeds(String preset) {
        float[] a = make(preset, 0, 4, 1).audio().samples();
        float[] b = make(preset, 0, 4, 2).audio().samples();
        assertFalse(Arrays.equals(a, b));
        double r = Measure.correlation(a, b);
        assertTrue(Math.abs(r) < 0.3, preset + ": seeds 1 and 2 correlate " + r);
    }

    @ParameterizedTest
    @ValueSource(strings = {"room", "wind", "rain", "ocean", "stream", "forest", "night", "traffic", "cafe", "fire"})
    void levelIsWithinOneAndAHalfDbOfTheTarget(String preset) {
        for (double levelDb : new double[]{-20, 0, 12}) {
            float[] x = make(preset, levelDb, 6, 3).audio().samples();
            double measured = Measure.rmsDb(x);
            assertEquals(-30 + levelDb, measured, 1.5, preset + " at " + levelDb + " dB");
            for (float v : x) assertTrue(Math.abs(v) <= 1.0f, preset + " clips at " + levelDb + " dB");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"room", "wind", "rain", "ocean", "stream", "forest", "night", "traffic", "cafe", "fire"})
    void channelsAreDecorrelated(String preset) {
        float[] x = make(preset, 0, 8, 5).audio().samples();
        double r = Measure.correlation(Measure.channel(x, 0), Measure.channel(x, 1));
        assertTrue(Math.abs(r) < 0.4, preset + ": L/R correlation " + r);
    }

    /**
     * Looping the bed must not step: the jump from the last sample to the first is no bigger than the
     * 99.9th percentile of the bed's own sample-to-sample steps, and the level just before the end matches
     * the level just after the start.
     */
    @ParameterizedTest
    @ValueSource(strings = {"room", "wind", "rain", "ocean", "stream", "forest", "night", "traffic", "cafe", "fire"})
    void theLoopPointIsSeamless(String preset) {
        for (long seed = 1; seed <= 3; seed++) {
            float[] x = make(preset, 0, 7, seed).audio().samples();
            for (int c = 0; c < 2; c++) {
                float[] ch = Measure.channel(x, c);
                int n = ch.length;
                double[] steps = new double[n - 1];
                for (int i = 1; i < n; i++) steps[i - 1] = Math.abs(ch[i] - ch[i - 1]);
                Arrays.sort(steps);
                double p999 = steps[(int) (0.999 * steps.length)];
                double seam = Math.abs(ch[0] - ch[n - 1]);
                assertTrue(seam <= p999, preset + " seed " + seed + " ch " + c + ": seam step " + seam + " > " + p999);
                // the level change across the seam is no bigger than across ordinary points of the bed (events such
                // as chirps or crackles make 50 ms levels jump anyway): at most the 95th percentile, or 6 dB
                int w = RATE / 20;
                double before = Measure.rms(ch, n - w, w), after = Measure.rms(ch, 0, w);
                double[] jumps = new double[100];
                for (int k = 0; k < jumps.length; k++) {
                    int at = w + (int) ((long) k * (n - 2 * w) / jumps.length);
                    jumps[k] = Math.abs(20 * Math.log10(Measure.rms(ch, at - w, w) / Measure.rms(ch, at, w)));
                }
                Arrays.sort(jumps);
                double allowed = Math.max(6, jumps[94]);
                assertTrue(Math.abs(20 * Math.log10(before / after)) < allowed,
                        preset + " level across the seam " + before + " vs " + after + ", allowed " + allowed + " dB");
            }
        }
    }

    @Test
    void loopFoldsTheOverhangIntoTheStart() {
        float[] ramp = new float[1200];
        for (int i = 0; i < ramp.length; i++) ramp[i] = i / 1000f;
        AmbienceGeneratorImpl.loop(ramp, 1000, 200);
        // sample 999 (0.999) is followed, on looping, by what was rendered after it (1.000 at index 1000)
        assertEquals(1.0, ramp[0], 0.01);
        assertEquals(ramp[199], 0.199 * Math.sin(Math.PI / 2 * 199.5 / 200) + 1.199 * Math.cos(Math.PI / 2 * 199.5 / 200), 1e-5);
    }

    @Test
    void eachPresetHasItsOwnSpectrum() {
        Map<String, Double> centroid = new LinkedHashMap<>();
        for (String p : List.of("room", "ocean", "wind", "rain")) {
            float[] x = make(p, 0, 10, 11).audio().samples();
            centroid.put(p, Measure.spectralCentroid(Measure.channel(x, 0), RATE));
        }
        System.out.println("spectral centroids (Hz): " + centroid);
        // room tone is a low rumble, surf a wash up to ~2.5 kHz, wind a band around 250-900 Hz, rain a bright hiss
        assertTrue(centroid.get("room") * 1.5 < centroid.get("ocean"), centroid.toString());
        assertTrue(centroid.get("ocean") * 1.5 < centroid.get("wind"), centroid.toString());
        assertTrue(centroid.get("wind") * 1.5 < centroid.get("rain"), centroid.toString());
    }

    @Test
    void swellsAndGustsMoveTheLevelButRoomToneIsSteady() {
        Map<String, Double> spread = new LinkedHashMap<>();
        for (String p : List.of("room", "wind", "ocean")) {
            float[] x = Measure.channel(make(p, 0, 30, 9).audio().samples(), 0);
            double lo = Double.MAX_VALUE, hi = -Double.MAX_VALUE;
            for (int s = 0; s + RATE / 2 <= x.length; s += RATE / 2) {
                double db = 20 * Math.log10(Measure.rms(x, s, RATE / 2));
                lo = Math.min(lo, db);
                hi = Math.max(hi, db);
            }
            spread.put(p, hi - lo);
        }
        assertTrue(spread.get("room") < 4, spread.toString());
        assertTrue(spread.get("wind") > 8 && spread.get("ocean") > 8, "gusts and swells: " + spread);
    }

    @Test
    void rainHasDrops() {
        float[] x = Measure.channel(make("rain", 0, 5, 4).audio().samples(), 0);
        // drops are short bursts: count 5 ms windows at least 6 dB above the median window level
        int w = RATE / 200;
        double[] levels = new double[x.length / w];
        for (int i = 0; i < levels.length; i++) levels[i] = Measure.rms(x, i * w, w);
        double[] sorted = levels.clone();
        Arrays.sort(sorted);
        double median = sorted[sorted.length / 2];
        int bursts = 0;
        for (double l : levels) if (l > 2 * median) bursts++;
        assertTrue(bursts > 5 * 5, "audible drops in 5 s: " + bursts);
    }

    @Test
    void noneIsSilenceOfTheRightLength() {
        Ambience a = make("none", 0, 2, 1);
        assertEquals("none", a.preset());
        assertEquals(2 * RATE, a.audio().frames());
        for (float v : a.audio().samples()) assertEquals(0f, v);
        assertTrue(a.reason().contains("no ambience"), a.reason());
    }

    @Test
    void autoPicksFromThePromptAndSaysWhy() {
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("Two friends share an umbrella in the pouring rain", "rain");
        cases.put("A fisherman mends nets on the beach as waves roll in", "ocean");
        cases.put("A lone hiker on a windy mountain ridge", "wind");
        cases.put("Two colleagues argue in a cramped office", "room");
        cases.put("A portrait of an old man, smiling", "room");
        cases.put("Rain lashes the harbour wall", "rain"); // one word each: rain is the more salient sound
        cases.put("Storm clouds over the beach, waves crashing on the shore", "ocean"); // 3 sea words vs 1 rain word
        cases.put("Two scouts talk by the campfire, flames licking the logs", "fire");
        cases.put("A babbling brook runs under an old stone bridge", "stream");
        cases.put("Rush hour on a busy downtown street, taxis honking", "traffic");
        cases.put("Two friends chat over coffee in a crowded cafe", "cafe");
        cases.put("Hikers rest in a quiet forest clearing among tall trees", "forest");
        cases.put("A couple watches the stars on a warm moonlit night", "night");
        for (Map.Entry<String, String> e : cases.entrySet()) {
            Ambience a = generator.generate(new AmbienceRequest(AmbienceSpec.AUTO, e.getKey(), 1, RATE, 1));
            assertEquals(e.getValue(), a.preset(), e.getKey() + " -> " + a.reason());
            assertTrue(a.reason().startsWith(e.getValue() + ": "), a.reason());
        }
        Ambience rain = generator.generate(new AmbienceRequest(AmbienceSpec.AUTO, "Rain on an umbrella", 1, RATE, 1));
        assertEquals("rain: prompt mentions 'rain', 'umbrella'", rain.reason());
        Ambience fallback = generator.generate(new AmbienceRequest(null, null, 1, RATE, 1));
        assertEquals("room", fallback.preset());
        assertTrue(fallback.reason().contains("default"), fallback.reason());
    }

    @Test
    void explicitPresetsIgnoreThePromptAndAreCaseInsensitive() {
        Ambience a = generator.generate(new AmbienceRequest(new AmbienceSpec(" Wind ", 0), "rain rain rain", 1, RATE, 1));
        assertEquals("wind", a.preset());
        assertEquals("wind: chosen by the scene", a.reason());
    }

    @Test
    void badRequestsAreClearErrors() {
        StageException unknown = assertThrows(StageException.class, () -> make("jungle", 0, 1, 1));
        assertEquals("unknown ambience preset 'jungle'; presets: auto, cafe, fire, forest, night, none, ocean, rain, room, "
                + "stream, traffic, wind", unknown.getMessage());
        assertTrue(assertThrows(StageException.class, () -> make("room", 0, 0, 1)).getMessage().contains("duration"));
        assertTrue(assertThrows(StageException.class, () -> make("room", 0, 601, 1)).getMessage().contains("limit of 600"));
        assertTrue(assertThrows(StageException.class, () -> make("room", 40, 1, 1)).getMessage().contains("level"));
        assertTrue(assertThrows(StageException.class, () -> generator.generate(
                new AmbienceRequest(AmbienceSpec.AUTO, "", 1, 1000, 1))).getMessage().contains("sample rate"));
        assertThrows(StageException.class, () -> generator.generate(null));
    }

    @Test
    void veryShortBedsWork() {
        Ambience a = make("rain", 0, 0.01, 1);
        assertEquals(480, a.audio().frames());
    }

    @Test
    void generationSpeed() {
        StringBuilder report = new StringBuilder("ambience generation, seconds of 48 kHz stereo per second of CPU:");
        for (String p : List.of("room", "wind", "rain", "ocean")) {
            make(p, 0, 2, 0); // warm up
            long t0 = System.nanoTime();
            make(p, 0, 20, 1);
            double took = (System.nanoTime() - t0) / 1e9;
            report.append(String.format(Locale.ROOT, " %s %.0fx", p, 20 / took));
            assertTrue(20 / took > 2, p + " renders slower than twice real time: " + 20 / took);
        }
        System.out.println(report);
    }
}
