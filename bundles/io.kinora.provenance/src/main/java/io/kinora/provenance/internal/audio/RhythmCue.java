package io.kinora.provenance.internal.audio;

import io.kinora.api.media.AudioBuffer;
import io.kinora.api.media.StageException;

import java.util.List;
import java.util.Locale;

/**
 * The GB 45438-2025 audio rhythm label: "短长短短" (short-long-short-short, Morse code "AI" = {@code .- ..}),
 * mixed over the start of the master.
 * <p>
 * The standard names the rhythm but, as far as our notes reach, no durations or pitch; Kinora uses ITU-R M.1677-1
 * Morse timing with a unit of {@value #UNIT_SECONDS} s: dot 1 unit (120 ms), dash 3 units (360 ms), gap within a
 * letter 1 unit, gap between the letters A and I 3 units, so the cue is
 * <pre>
 *   tone 0.00-0.12  gap  tone 0.24-0.60  gap  tone 0.96-1.08  gap  tone 1.20-1.32   (seconds)
 * </pre>
 * 11 units = 1.32 s. The tone is a {@value #FREQUENCY_HZ} Hz sine at a peak of {@value #LEVEL} (about -10.5 dBFS)
 * with 5 ms raised-cosine edges (no clicks); while it plays the master is lowered by 6 dB (20 ms ramps) so the
 * cue is heard over dialogue and the sum does not clip. A master shorter than the cue plus 0.1 s gets a
 * proportionally faster cue (the pattern, not the duration, is what identifies it).
 */
public final class RhythmCue {
    public static final double UNIT_SECONDS = 0.120;
    public static final double FREQUENCY_HZ = 1000.0;
    public static final double LEVEL = 0.3;
    /** Master gain while the cue plays (-6 dB). */
    static final double DUCK = 0.5;
    static final double EDGE_SECONDS = 0.005;
    static final double DUCK_RAMP_SECONDS = 0.020;
    /** Tones as (start, length) in units: short, long, short, short. */
    public static final List<int[]> PATTERN = List.of(new int[] {0, 1}, new int[] {2, 3}, new int[] {8, 1}, new int[] {10, 1});
    public static final int TOTAL_UNITS = 11;
    /** A unit shorter than this would no longer be heard as a rhythm. */
    static final double MIN_UNIT_SECONDS = 0.05;

    private RhythmCue() {
    }

    /** The unit used for a master of {@code seconds}. */
    public static double unitFor(double seconds) {
        return Math.min(UNIT_SECONDS, (seconds - 0.1) / TOTAL_UNITS);
    }

    /** A copy of {@code master} with the cue mixed over its start (the input is not modified). */
    public static AudioBuffer apply(AudioBuffer master) {
        int rate = master.sampleRate();
        int ch = master.channels();
        double unit = unitFor(master.durationSeconds());
        if (unit < MIN_UNIT_SECONDS) {
            throw new StageException(String.format(Locale.ROOT, "The audio is %.2f s long, too short for the GB 45438 rhythm cue (at least %.2f s)",
                    master.durationSeconds(), TOTAL_UNITS * MIN_UNIT_SECONDS + 0.1));
        }
        float[] out = master.samples().clone();
        int frames = master.frames();
        int cueEnd = (int) Math.round(TOTAL_UNITS * unit * rate);
        int ramp = Math.max(1, (int) Math.round(DUCK_RAMP_SECONDS * rate));
        // Duck the master under the cue: full duck on [0, cueEnd), ramp back up over the next 20 ms.
        for (int i = 0; i < Math.min(frames, cueEnd + ramp); i++) {
            double g = i < cueEnd ? DUCK : DUCK + (1 - DUCK) * 0.5 * (1 - Math.cos(Math.PI * (i - cueEnd) / ramp));
            for (int c = 0; c < ch; c++) out[i * ch + c] *= (float) g;
        }
        int edge = Math.max(1, (int) Math.round(EDGE_SECONDS * rate));
        for (int[] tone : PATTERN) {
            int start = (int) Math.round(tone[0] * unit * rate);
            int len = (int) Math.round(tone[1] * unit * rate);
            for (int i = 0; i < len && start + i < frames; i++) {
                double env = 1.0;
                if (i < edge) env = 0.5 * (1 - Math.cos(Math.PI * i / edge));
                else if (len - 1 - i < edge) env = 0.5 * (1 - Math.cos(Math.PI * (len - 1 - i) / edge));
                // Phase from the start of each tone: identical tones whatever the sample offset.
                float s = (float) (LEVEL * env * Math.sin(2 * Math.PI * FREQUENCY_HZ * i / rate));
                int base = (start + i) * ch;
                for (int c = 0; c < ch; c++) {
                    float v = out[base + c] + s;
                    out[base + c] = v > 1f ? 1f : v < -1f ? -1f : v;
                }
            }
        }
        return new AudioBuffer(rate, ch, out);
    }

    /** One line describing the cue as applied to a master of {@code seconds}. */
    public static String describe(double seconds) {
        double unit = unitFor(seconds);
        return String.format(Locale.ROOT, "GB 45438 rhythm cue short-long-short-short (Morse AI) at 0.00-%.2f s: %.0f Hz sine, "
                + "%.0f/%.0f ms tones, %.0f ms unit, master ducked 6 dB", TOTAL_UNITS * unit, FREQUENCY_HZ, unit * 1000, 3 * unit * 1000, unit * 1000);
    }
}
