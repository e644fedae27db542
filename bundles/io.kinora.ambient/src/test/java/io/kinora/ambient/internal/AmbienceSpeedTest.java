package io.kinora.ambient.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kinora.api.ambient.AmbienceRequest;
import io.kinora.api.scene.AmbienceSpec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.util.Locale;

/** Speed of every soundscape for a 10 s bed at 48 kHz (opt-in: {@code -Dkinora.bench=true}). */
@EnabledIfSystemProperty(named = "kinora.bench", matches = "true")
class AmbienceSpeedTest {
    @Test
    void tenSecondsOfEachSoundscape() {
        AmbienceGeneratorImpl g = new AmbienceGeneratorImpl(-30, 600);
        java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
        for (String p : g.presets()) {
            if (p.equals("auto") || p.equals("none")) continue;
            long c0 = System.nanoTime(), u0 = cpu.getCurrentThreadCpuTime();
            g.generate(new AmbienceRequest(new AmbienceSpec(p, 0), "", 10, 48_000, 1)); // first call: cold
            long cold = System.nanoTime() - c0, coldCpu = cpu.getCurrentThreadCpuTime() - u0;
            long best = Long.MAX_VALUE, bestCpu = Long.MAX_VALUE;
            for (int i = 0; i < 3; i++) {
                long t0 = System.nanoTime(), v0 = cpu.getCurrentThreadCpuTime();
                g.generate(new AmbienceRequest(new AmbienceSpec(p, 0), "", 10, 48_000, 2 + i));
                best = Math.min(best, System.nanoTime() - t0);
                bestCpu = Math.min(bestCpu, cpu.getCurrentThreadCpuTime() - v0);
            }
            System.out.printf(Locale.ROOT, "ambience %-8s 10 s: warm %4d ms wall / %4d ms CPU (%.0fx real time); cold %4d ms wall"
                    + " / %4d ms CPU%n", p, best / 1_000_000, bestCpu / 1_000_000, 10e9 / best, cold / 1_000_000, coldCpu / 1_000_000);
            assertTrue(best < 2_000_000_000L, p);
        }
    }
}
