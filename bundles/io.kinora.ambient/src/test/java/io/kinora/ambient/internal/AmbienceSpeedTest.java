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
        for (String p : g.presets()) {
            if (p.equals("auto") || p.equals("none")) continue;
            g.generate(new AmbienceRequest(new AmbienceSpec(p, 0), "", 10, 48_000, 1)); // warm-up
            long best = Long.MAX_VALUE;
            for (int i = 0; i < 3; i++) {
                long t0 = System.nanoTime();
                g.generate(new AmbienceRequest(new AmbienceSpec(p, 0), "", 10, 48_000, 2 + i));
                best = Math.min(best, System.nanoTime() - t0);
            }
            System.out.printf(Locale.ROOT, "ambience %-8s 10 s in %4d ms (%.0fx real time)%n", p, best / 1_000_000, 10e9 / best);
            assertTrue(best < 2_000_000_000L, p);
        }
    }
}
