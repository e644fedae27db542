package io.kinora.compositor.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kinora.api.compositor.Mix;
import io.kinora.api.compositor.MixRequest;
import io.kinora.api.media.AudioBuffer;
import io.kinora.api.timeline.SpokenLine;
import io.kinora.api.timeline.Timeline;
import io.kinora.api.timeline.WordTiming;
import io.kinora.api.voice.Speech;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The mix of a 10 s clip with three characters (six lines of 48 kHz speech, a 48 kHz stereo bed): master, stems,
 * WebVTT (opt-in: {@code -Dkinora.bench=true}).
 */
@EnabledIfSystemProperty(named = "kinora.bench", matches = "true")
class SoundStageSpeedTest {
    @Test
    void mixAndStemsOfATenSecondClipWithThreeCharacters() {
        int rate = 48_000;
        List<SpokenLine> lines = new ArrayList<>();
        List<Speech> speech = new ArrayList<>();
        String[] who = {"ann", "bob", "cy"};
        double t = 0.4;
        for (int i = 0; i < 6; i++) {
            double len = 1.2;
            List<WordTiming> words = List.of(new WordTiming("a", 0, 0.5), new WordTiming("b", 0.6, 1.2));
            double s = t;
            lines.add(new SpokenLine(i, who[i % 3], "a b", "v", s, s + len, words.stream().map(w -> w.shift(s)).toList()));
            speech.add(new Speech("v", new AudioBuffer(rate, 1, TestSignals.speechLike(len, rate, i)), words));
            t += len + 0.4;
        }
        Timeline timeline = TestSignals.timeline(10, 24, lines);
        float[] bed = new float[10 * rate * 2];
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < bed.length; i++) bed[i] = (float) (r.nextDouble() - 0.5) * 0.05f;
        CompositorImpl c = new CompositorImpl((String) null, TestSignals.config(Map.of()));
        MixRequest req = new MixRequest(timeline, speech, Map.of("ann", -0.5, "bob", 0.0, "cy", 0.5), new AudioBuffer(rate, 2, bed), rate, -16);
        java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
        long c0 = System.nanoTime(), u0 = cpu.getCurrentThreadCpuTime();
        c.mix(req); // first call: cold JIT, as in a fresh CLI process
        long cold = System.nanoTime() - c0, coldCpu = cpu.getCurrentThreadCpuTime() - u0;
        long best = Long.MAX_VALUE, bestCpu = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            long t0 = System.nanoTime(), v0 = cpu.getCurrentThreadCpuTime();
            Mix m = c.mix(req);
            String vtt = c.webVtt(timeline, Map.of());
            best = Math.min(best, System.nanoTime() - t0);
            bestCpu = Math.min(bestCpu, cpu.getCurrentThreadCpuTime() - v0);
            assertEquals(3, m.characterStems().size());
            assertEquals(true, vtt.startsWith("WEBVTT"));
        }
        System.out.printf(Locale.ROOT, "mix + stems + captions of 10 s, 3 characters: warm %d ms wall / %d ms CPU, cold (first"
                + " call) %d ms wall / %d ms CPU%n", best / 1_000_000, bestCpu / 1_000_000, cold / 1_000_000, coldCpu / 1_000_000);
    }
}
