package io.kinora.voice.internal.freetts;

import io.kinora.api.voice.VoiceInfo;

import java.util.List;

/**
 * A catalogue voice made from FreeTTS's kevin16 diphone voice by prosody: the F0 baseline and range that
 * FreeTTS's contour generator targets, and the speaking rate its durator stretches segment durations to.
 */
final class FreeTtsProfile {
    final VoiceInfo info;
    /** F0 baseline in Hz (kevin16's own is 100). */
    final float pitchHz;
    /** F0 range (standard deviation of the contour) in Hz (kevin16's own is 11). */
    final float pitchRangeHz;
    /** Nominal speaking rate in FreeTTS words per minute (kevin16's own is 150). */
    final float wordsPerMinute;

    private FreeTtsProfile(VoiceInfo info, float pitchHz, float pitchRangeHz, float wordsPerMinute) {
        this.info = info;
        this.pitchHz = pitchHz;
        this.pitchRangeHz = pitchRangeHz;
        this.wordsPerMinute = wordsPerMinute;
    }

    /** This voice with its pitch (baseline and range) and rate scaled, for a marked-up stretch of a line. */
    FreeTtsProfile scaled(double pitchFactor, double rateFactor) {
        return new FreeTtsProfile(info, (float) (pitchHz * pitchFactor), (float) (pitchRangeHz * pitchFactor),
                (float) (wordsPerMinute * rateFactor));
    }

    static FreeTtsProfile of(String id, String description, String gender, String age, String preview,
                             float pitchHz, float pitchRangeHz, float wordsPerMinute) {
        return new FreeTtsProfile(new VoiceInfo(id, FreeTtsVoiceEngine.ENGINE_ID, description, gender, age,
                List.of("en"), preview), pitchHz, pitchRangeHz, wordsPerMinute);
    }

    /**
     * The catalogue. Base pitches are about half an octave apart (70, 100, 135, 185 Hz) so that any two voices
     * differ by well over the few semitones that separate two speakers of the same sex; pace and melody range
     * follow the character (slow and flat for the older man, quick and lively for the young ones).
     */
    static final List<FreeTtsProfile> CATALOGUE = List.of(
            of("kevin", "Kevin: FreeTTS's kevin16 as recorded, a clear mid-pitched adult man, even and neutral; "
                            + "a good narrator", "male", "adult",
                    "Good evening. Let me tell you what happened down at the harbour last night.",
                    100f, 11f, 150f),
            of("kevin-bright", "Bright: a higher, livelier young man with a quicker pace and a wider melody",
                    "male", "young", "Wait, you actually found it? That is brilliant, let's go and see!",
                    135f, 22f, 172f),
            of("kevin-elder", "Elder: a low, slow and calm older man with a flat, steady delivery",
                    "male", "older", "Sit down, child. There is no need to hurry; the sea will still be there tomorrow.",
                    70f, 7f, 122f),
            of("kevin-light", "Light: kevin16 raised by nearly an octave; a high, light voice that reads as a boy "
                            + "or an androgynous speaker (the timbre stays kevin16's)", "neutral", "young",
                    "Look up there! Can you see the little lights moving over the hill?",
                    185f, 28f, 160f));
}
