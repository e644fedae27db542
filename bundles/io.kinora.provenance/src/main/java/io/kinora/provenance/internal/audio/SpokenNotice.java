package io.kinora.provenance.internal.audio;

import io.kinora.api.media.AudioBuffer;
import io.kinora.api.media.StageException;

import java.util.Locale;

/**
 * A spoken AI notice ("This video was generated with AI.") placed at the start of the master, in every channel.
 * <p>
 * The flow mixes and loudness-normalises the master first (compositor: -16 LUFS integrated, -1 dBTP) and labels it
 * afterwards, so this class keeps both true itself:
 * <ol>
 * <li>the notice (resampled to the master's rate) is set to the master's own integrated loudness (BS.1770-4), or
 * to {@value #FALLBACK_LUFS} LUFS when the master is silent;</li>
 * <li>the master is lowered by 12 dB under it (the planner starts no dialogue there; what remains is ambience),
 * with {@value #RAMP_SECONDS} s ramps;</li>
 * <li>the notice gain is lowered until the true peak (4x oversampled) of the span stays at or below
 * {@value #CEILING_DBTP} dBTP;</li>
 * <li>the whole labelled master is then measured again and, when it moved by more than
 * {@value #TOLERANCE_LU} LU, scaled back to the loudness it had (down: always; up: only when the true peak
 * allows).</li>
 * </ol>
 */
public final class SpokenNotice {
    /** The notice starts this far into the clip (clear of the encoder's first frame and AAC priming). */
    public static final double START_SECONDS = 0.15;
    static final double DUCK = 0.25;
    static final double RAMP_SECONDS = 0.05;
    static final double CEILING_DBTP = -1.5;
    static final double FALLBACK_LUFS = -16.0;
    static final double TOLERANCE_LU = 0.05;

    /** What was mixed. */
    public record Result(AudioBuffer audio, double startSeconds, double endSeconds, double noticeLufs, double masterLufsBefore,
                         double masterLufsAfter, double truePeakDbtp, String description) {
    }

    private SpokenNotice() {
    }

    /** Seconds from the start of the clip to the end of a notice of {@code speech}. */
    public static double seconds(AudioBuffer speech) {
        return START_SECONDS + speech.durationSeconds();
    }

    /** A copy of {@code master} with {@code speech} (mono, any rate) spoken at its start; the input is not modified. */
    public static Result apply(AudioBuffer master, AudioBuffer speech, String text, String voice) {
        int rate = master.sampleRate();
        int ch = master.channels();
        float[] mono = downmix(speech);
        float[] notice = Resample.mono(mono, speech.sampleRate(), rate);
        int start = (int) Math.round(START_SECONDS * rate);
        int end = start + notice.length;
        int ramp = (int) Math.round(RAMP_SECONDS * rate);
        int frames = master.frames();
        if (end + ramp > frames) {
            throw new StageException(String.format(Locale.ROOT, "The spoken AI notice \"%s\" (%.2f s from %.2f s) does not fit the %.2f s audio of this clip",
                    text, notice.length / (double) rate, START_SECONDS, master.durationSeconds()));
        }
        double noticeLufs = Loudness.integrated(notice, 1, rate);
        if (Double.isInfinite(noticeLufs)) {
            throw new StageException("The voice " + voice + " produced silence for the spoken AI notice \"" + text + "\"");
        }
        noticeLufs += 10 * Math.log10(ch); // the same signal in every channel
        double before = Loudness.integrated(master.samples(), ch, rate);
        double target = Double.isFinite(before) && before > -60 ? before : FALLBACK_LUFS;
        double gain = Math.pow(10, (target - noticeLufs) / 20);
        double ceiling = Math.pow(10, CEILING_DBTP / 20);
        float[] out = null;
        double peak = 0;
        for (int attempt = 0; attempt < 6; attempt++) {
            out = mix(master, notice, start, end, ramp, gain);
            peak = Loudness.truePeak(out, ch, 0, Math.min(frames, end + ramp + Resample.LOBES));
            if (peak <= ceiling) break;
            gain *= ceiling / peak * 0.98;
        }
        if (peak > ceiling) {
            throw new StageException(String.format(Locale.ROOT, "Cannot keep the spoken AI notice under %.1f dBTP (%.1f dBTP)", CEILING_DBTP, 20 * Math.log10(peak)));
        }
        double after = Loudness.integrated(out, ch, rate);
        if (Double.isFinite(before) && Double.isFinite(after) && Math.abs(after - before) > TOLERANCE_LU) {
            double g = Math.pow(10, (before - after) / 20);
            boolean fits = g <= 1 || Loudness.truePeak(out, ch, 0, frames) * g <= ceiling;
            if (fits) {
                for (int i = 0; i < out.length; i++) out[i] = clamp(out[i] * g);
                after = Loudness.integrated(out, ch, rate);
            }
        }
        double placed = noticeLufs + 20 * Math.log10(gain);
        double tp = 20 * Math.log10(Math.max(1e-9, Loudness.truePeak(out, ch, 0, Math.min(frames, end + ramp + Resample.LOBES))));
        String d = String.format(Locale.ROOT, "spoken notice \"%s\" (voice %s) at %.2f-%.2f s, %.1f LUFS, master lowered 12 dB under it; "
                        + "mix %s before, %s after, %.1f dBTP over the notice", text, voice, START_SECONDS, end / (double) rate, placed,
                lufs(before), lufs(after), tp);
        return new Result(new AudioBuffer(rate, ch, out), START_SECONDS, end / (double) rate, placed, before, after, tp, d);
    }

    private static String lufs(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.1f LUFS", v) : "silent";
    }

    private static float[] mix(AudioBuffer master, float[] notice, int start, int end, int ramp, double gain) {
        int ch = master.channels();
        float[] out = master.samples().clone();
        for (int i = 0; i < Math.min(master.frames(), end + ramp); i++) {
            double g = i < end ? DUCK : DUCK + (1 - DUCK) * 0.5 * (1 - Math.cos(Math.PI * (i - end) / ramp));
            for (int c = 0; c < ch; c++) out[i * ch + c] *= (float) g;
        }
        for (int i = 0; i < notice.length; i++) {
            float s = (float) (notice[i] * gain);
            int base = (start + i) * ch;
            for (int c = 0; c < ch; c++) out[base + c] = clamp(out[base + c] + s);
        }
        return out;
    }

    private static float clamp(double v) {
        return (float) (v > 1 ? 1 : v < -1 ? -1 : v);
    }

    private static float[] downmix(AudioBuffer a) {
        if (a.channels() == 1) return a.samples();
        float[] m = new float[a.frames()];
        for (int i = 0; i < m.length; i++) {
            double s = 0;
            for (int c = 0; c < a.channels(); c++) s += a.samples()[i * a.channels() + c];
            m[i] = (float) (s / a.channels());
        }
        return m;
    }
}
