package io.kinora.voice.internal;

import io.kinora.api.media.AudioBuffer;
import io.kinora.api.media.StageException;
import io.kinora.api.timeline.WordTiming;
import io.kinora.api.voice.Speech;

import java.util.ArrayList;
import java.util.List;

/**
 * Engine-independent finishing of synthesized speech: trims leading and trailing silence to a fixed margin
 * (padding with digital silence where the engine left less) and moves the word timings with the audio, so
 * every line starts and ends the same way whichever engine spoke it.
 */
public final class SpeechTrimmer {
    /** Silence kept before the first and after the last audible frame. */
    public static final double MARGIN_SECONDS = 0.050;
    /** A 10 ms frame is audible when its RMS is within this many dB of the loudest frame. */
    static final double GATE_DB = -40.0;
    private static final double FRAME_SECONDS = 0.010;
    private static final double ABSOLUTE_FLOOR = 1.0e-4;

    private SpeechTrimmer() {
    }

    /**
     * @param voice   voice id for the result
     * @param mono    mono samples in [-1, 1]
     * @param rate    sample rate
     * @param words   word timings in seconds from the start of {@code mono}, in spoken order
     * @throws StageException when the audio holds no audible frame
     */
    public static Speech trim(String voice, float[] mono, int rate, List<WordTiming> words) {
        int frame = Math.max(1, (int) Math.round(FRAME_SECONDS * rate));
        int frames = (mono.length + frame - 1) / frame;
        double[] rms = new double[frames];
        double loudest = 0;
        for (int f = 0; f < frames; f++) {
            int from = f * frame;
            int to = Math.min(mono.length, from + frame);
            double sum = 0;
            for (int i = from; i < to; i++) {
                sum += (double) mono[i] * mono[i];
            }
            rms[f] = Math.sqrt(sum / (to - from));
            loudest = Math.max(loudest, rms[f]);
        }
        double gate = Math.max(ABSOLUTE_FLOOR, loudest * Math.pow(10, GATE_DB / 20));
        int first = -1;
        int last = -1;
        for (int f = 0; f < frames; f++) {
            if (rms[f] >= gate) {
                if (first < 0) first = f;
                last = f;
            }
        }
        if (first < 0) {
            throw new StageException("voice '" + voice + "' produced only silence");
        }
        int margin = (int) Math.round(MARGIN_SECONDS * rate);
        int audibleFrom = first * frame;
        int audibleTo = Math.min(mono.length, (last + 1) * frame);
        int copyFrom = Math.max(0, audibleFrom - margin);
        int copyTo = Math.min(mono.length, audibleTo + margin);
        int padLead = margin - (audibleFrom - copyFrom);
        int padTail = margin - (copyTo - audibleTo);
        float[] out = new float[padLead + (copyTo - copyFrom) + padTail];
        System.arraycopy(mono, copyFrom, out, padLead, copyTo - copyFrom);

        double shift = (padLead - copyFrom) / (double) rate;
        double duration = out.length / (double) rate;
        List<WordTiming> moved = new ArrayList<>(words.size());
        double previousEnd = 0;
        for (WordTiming w : words) {
            double start = clamp(w.start() + shift, previousEnd, duration);
            double end = clamp(w.end() + shift, start, duration);
            moved.add(new WordTiming(w.word(), start, end));
            previousEnd = end;
        }
        return new Speech(voice, new AudioBuffer(rate, 1, out), moved);
    }

    private static double clamp(double v, double lo, double hi) {
        return Math.max(lo, Math.min(hi, v));
    }
}
