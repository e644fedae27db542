package io.kinora.compositor.internal;

/**
 * Mixing parameters (from the component configuration).
 *
 * @param duckDb      ambience attenuation under speech, dB (positive)
 * @param attackMs    duck ramp-down time, ending at the first word, ms
 * @param releaseMs   duck ramp-up time after the last word, ms
 * @param ambienceLu  ambience loudness relative to the dialogue before ducking, LU (negative: quieter)
 * @param ceilingDbtp true-peak ceiling of the master, dBTP
 * @param levelLines  level every line to the same loudness before placing it
 */
record MixSettings(double duckDb, double attackMs, double releaseMs, double ambienceLu, double ceilingDbtp,
                   boolean levelLines) {
    MixSettings {
        if (!(duckDb >= 0 && duckDb <= 60)) throw new IllegalArgumentException("duck depth must be 0..60 dB: " + duckDb);
        if (!(attackMs >= 1 && attackMs <= 2000)) throw new IllegalArgumentException("duck attack must be 1..2000 ms: " + attackMs);
        if (!(releaseMs >= 1 && releaseMs <= 5000)) throw new IllegalArgumentException("duck release must be 1..5000 ms: " + releaseMs);
        if (!(ambienceLu >= -60 && ambienceLu <= 20)) throw new IllegalArgumentException("ambience level must be -60..20 LU: " + ambienceLu);
        if (!(ceilingDbtp >= -20 && ceilingDbtp <= 0)) throw new IllegalArgumentException("true-peak ceiling must be -20..0 dBTP: " + ceilingDbtp);
    }

    static MixSettings defaults() {
        return new MixSettings(12, 80, 300, -14, -1, true);
    }
}
