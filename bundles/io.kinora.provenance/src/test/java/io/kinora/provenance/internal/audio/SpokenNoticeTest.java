package io.kinora.provenance.internal.audio;

import io.kinora.api.media.AudioBuffer;
import io.kinora.api.media.StageException;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The spoken notice mixed over a master that the compositor already normalised: loudness and true peak measured with
 * the compositor's own BS.1770 meter (test dependency), not with the class under test's.
 */
class SpokenNoticeTest {
    static final int RATE = 48_000;

    static double compositor(String name, AudioBuffer a) throws Exception {
        Class<?> c = Class.forName("io.kinora.compositor.internal.LoudnessMeter");
        Method m = name.equals("integrated") ? c.getDeclaredMethod(name, float[].class, int.class, int.class)
                : c.getDeclaredMethod(name, float[].class, int.class);
        m.setAccessible(true);
        return name.equals("integrated") ? (double) m.invoke(null, a.samples(), a.channels(), a.sampleRate())
                : 20 * Math.log10((double) m.invoke(null, a.samples(), a.channels()));
    }

    /** Speech-like: voiced words with pauses and sharp plosive clicks (crest factor well above a sine's), at {@code rate}. */
    static AudioBuffer peakySpeech(int rate, int words) {
        Random r = new Random(4);
        float[] s = new float[(int) (rate * words * 0.45)];
        for (int w = 0; w < words; w++) {
            int from = (int) (w * 0.45 * rate);
            int len = (int) (0.3 * rate);
            for (int i = 0; i < len; i++) {
                double t = i / (double) rate;
                double env = Math.sin(Math.PI * i / len);
                double v = 0;
                for (int k = 1; k <= 12; k++) v += Math.sin(2 * Math.PI * 140 * k * t + k) / k;
                s[from + i] = (float) (0.1 * env * v);
            }
            for (int i = 0; i < rate / 400; i++) s[from + i] += (float) (0.6 * r.nextGaussian()); // plosive burst
        }
        return new AudioBuffer(rate, 1, s);
    }

    /** Stereo master of {@code seconds}: quiet noise, then loud dialogue from {@code dialogue} s, at -16 LUFS, true peak just under -1 dBTP. */
    static AudioBuffer master(double seconds, double dialogue) throws Exception {
        Random r = new Random(9);
        int n = (int) (seconds * RATE);
        float[] st = new float[2 * n];
        for (int i = 0; i < n; i++) {
            double t = i / (double) RATE;
            double v = 0.001 * r.nextGaussian();
            if (t >= dialogue) v += 0.3 * Math.max(0, Math.sin(2 * Math.PI * 2.7 * t)) * (Math.sin(2 * Math.PI * 180 * t) + 0.6 * Math.sin(2 * Math.PI * 360 * t + 1)
                    + (i % 4800 == 0 ? 1.5 : 0));
            st[2 * i] = (float) v;
            st[2 * i + 1] = (float) (0.9 * v);
        }
        AudioBuffer a = new AudioBuffer(RATE, 2, st);
        double g = Math.pow(10, (-16 - compositor("integrated", a)) / 20);
        for (int i = 0; i < st.length; i++) st[i] *= (float) g;
        double tp = compositor("truePeak", a);
        // a crude limiter stand-in: clip what the gain pushed over -1.05 dBTP (the compositor's limiter does this properly)
        if (tp > -1.05) {
            float c = (float) Math.pow(10, -1.3 / 20);
            for (int i = 0; i < st.length; i++) st[i] = Math.max(-c, Math.min(c, st[i]));
        }
        return a;
    }

    static double rmsDb(AudioBuffer a, double from, double to) {
        int x = (int) (from * a.sampleRate()), y = (int) (to * a.sampleRate());
        double s = 0;
        for (int i = x; i < y; i++) s += a.samples()[i * a.channels()] * (double) a.samples()[i * a.channels()];
        return 10 * Math.log10(Math.max(1e-12, s / (y - x)));
    }

    @Test
    void aPeakyNoticeKeepsTheMixAtItsLoudnessAndUnderMinusOneDbtp() throws Exception {
        AudioBuffer speech = peakySpeech(16_000, 6);
        double noticeEnd = SpokenNotice.seconds(speech);
        AudioBuffer master = master(12, noticeEnd + 0.3);
        double before = compositor("integrated", master);
        float[] copy = master.samples().clone();
        SpokenNotice.Result r = SpokenNotice.apply(master, speech, "six words of test speech here", "v");
        assertArrayEquals(copy, master.samples(), "the master is not modified");
        double after = compositor("integrated", r.audio());
        double tp = compositor("truePeak", r.audio());
        System.out.println(r.description() + String.format(" | compositor meter: %.2f -> %.2f LUFS, %.2f dBTP", before, after, tp));
        assertEquals(before, after, 0.15, "integrated loudness kept");
        assertTrue(tp <= -1.0, "true peak " + tp);
        assertEquals(0.15, r.startSeconds());
        assertEquals(noticeEnd, r.endSeconds(), 1e-4);
        assertTrue(rmsDb(r.audio(), 0.15, noticeEnd) > -30, "audible: " + rmsDb(r.audio(), 0.15, noticeEnd));
        assertTrue(rmsDb(master, 0.15, noticeEnd) < -50, "the span was quiet before");
        assertTrue(rmsDb(r.audio(), 0, 0.14) < -50, "nothing before 0.15 s");
        // the dialogue is untouched after the ramp (to within the whole-master correction, if any)
        double d = rmsDb(r.audio(), noticeEnd + 0.4, 11) - rmsDb(master, noticeEnd + 0.4, 11);
        assertEquals(0, d, 0.3, "dialogue level changed by " + d + " dB");
    }

    @Test
    void overSilenceTheNoticeIsSetToMinus16Lufs() throws Exception {
        AudioBuffer speech = peakySpeech(22_050, 4);
        AudioBuffer silent = AudioBuffer.silence(RATE, 2, 4);
        SpokenNotice.Result r = SpokenNotice.apply(silent, speech, "four words of speech", "v");
        double l = compositor("integrated", r.audio());
        assertEquals(-16, l, 1.0, "loudness " + l);
        assertTrue(compositor("truePeak", r.audio()) <= -1.0);
        assertTrue(r.description().contains("mix silent before"), r.description());
    }

    @Test
    void aNoticeLongerThanTheClipOrSilentFailsClearly() {
        AudioBuffer speech = peakySpeech(16_000, 10);
        StageException e = assertThrows(StageException.class, () -> SpokenNotice.apply(AudioBuffer.silence(RATE, 2, 3), speech, "long", "v"));
        assertTrue(e.getMessage().startsWith("The spoken AI notice \"long\" (4.50 s from 0.15 s) does not fit the 3.00 s audio of this clip"), e.getMessage());
        e = assertThrows(StageException.class, () -> SpokenNotice.apply(AudioBuffer.silence(RATE, 2, 5), AudioBuffer.silence(16_000, 1, 1), "mute", "v7"));
        assertEquals("The voice v7 produced silence for the spoken AI notice \"mute\"", e.getMessage());
    }

    @Test
    void resamplingKeepsATonesPitchAndLevel() {
        float[] in = new float[16_000];
        for (int i = 0; i < in.length; i++) in[i] = (float) (0.5 * Math.sin(2 * Math.PI * 440 * i / 16_000.0));
        float[] out = Resample.mono(in, 16_000, RATE);
        assertEquals(RATE, out.length);
        double dot = 0, energy = 0;
        for (int i = 1000; i < RATE - 1000; i++) {
            double ref = 0.5 * Math.sin(2 * Math.PI * 440 * i / (double) RATE);
            dot += (out[i] - ref) * (out[i] - ref);
            energy += ref * ref;
        }
        assertTrue(10 * Math.log10(energy / dot) > 40, "resampling SNR " + 10 * Math.log10(energy / dot) + " dB");
    }

    @Test
    void ownMeterAgreesWithTheCompositorsOnSpeechAndNoise() throws Exception {
        AudioBuffer m = master(8, 1);
        assertEquals(compositor("integrated", m), Loudness.integrated(m.samples(), 2, RATE), 0.1);
        assertEquals(compositor("truePeak", m), 20 * Math.log10(Loudness.truePeak(m.samples(), 2, 0, m.frames())), 0.2);
    }
}
