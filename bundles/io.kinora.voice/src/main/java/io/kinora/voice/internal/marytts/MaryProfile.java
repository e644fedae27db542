package io.kinora.voice.internal.marytts;

import io.kinora.api.voice.VoiceInfo;

import java.util.List;

/**
 * A catalogue voice derived from cmu-slt-hsmm: MaryTTS audio effects on the pitch (F0Scale, F0Add), Kinora's
 * vocal-tract length scaling ({@link io.kinora.voice.internal.VocalTract}: formants) and SSML prosody (rate, pitch)
 * applied to every line.
 */
final class MaryProfile {
    final VoiceInfo info;
    /** MaryTTS audio effects, e.g. {@code F0Scale(f0Scale:0.6)+F0Add(f0Add:-60.0)}; empty for none. */
    final String effects;
    /** Vocal-tract length relative to the recorded speaker's (1: unchanged; 1.3: longer, lower formants). */
    final double tract;
    /** SSML prosody rate in percent of normal (100 = unchanged). */
    final int ratePercent;
    /** SSML prosody pitch change in percent (0 = unchanged). */
    final int pitchPercent;

    MaryProfile(VoiceInfo info, String effects, double tract, int ratePercent, int pitchPercent) {
        this.info = info;
        this.effects = effects;
        this.tract = tract;
        this.ratePercent = ratePercent;
        this.pitchPercent = pitchPercent;
    }

    private static MaryProfile of(String id, String description, String gender, String age, String effects,
                                  double tract, int rate, int pitch, String preview) {
        return new MaryProfile(new VoiceInfo(id, MaryVoiceEngine.ENGINE_ID, description, gender, age, List.of("en"),
                preview), effects, tract, rate, pitch);
    }

    static final List<MaryProfile> CATALOGUE = List.of(
            of("slt", "Woman, adult: clear, warm US English (MaryTTS HSMM voice cmu-slt-hsmm as recorded)",
                    "female", "adult", "", 1.0, 100, 0,
                    "The harbour lights came on one by one as the ferry pulled away."),
            of("slt-young", "Young woman: brighter and quicker, shorter vocal tract",
                    "female", "young", "F0Add(f0Add:45.0)", 0.9, 108, 0,
                    "Wait, you actually found it? Show me, show me right now!"),
            of("slt-elder", "Older woman, calm: lower, slower and softer-edged",
                    "female", "older", "F0Add(f0Add:-35.0)", 1.08, 85, 0,
                    "Sit down, dear. There is time enough for tea before the rain."),
            of("mary-man", "Man, adult: low and steady, longer vocal tract (derived from cmu-slt-hsmm)",
                    "male", "adult", "F0Scale(f0Scale:0.6)+F0Add(f0Add:-60.0)", 1.3, 100, 0,
                    "I checked the engine twice. We leave at dawn, whatever the weather."),
            of("mary-child", "Child: high and light, short vocal tract (derived from cmu-slt-hsmm)",
                    "neutral", "child", "F0Scale(f0Scale:1.6)+F0Add(f0Add:80.0)", 0.8, 105, 0,
                    "Look, a red kite! Can we follow it to the end of the beach?"));
}
