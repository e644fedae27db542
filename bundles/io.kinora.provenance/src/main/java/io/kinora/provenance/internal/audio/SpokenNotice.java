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
 * <li>the notice (resampled to the master's rate) starts at the master's own integrated loudness (BS.1770-4), or
 * at {@value #FALLBACK_LUFS} LUFS when the master is silent;</li>
 * <li>the master is lowered by 12 dB under it (the planner starts no dialogue there; what remains is ambience),
 * with {@value #RAMP_SECONDS} s ramps;</li>
 * <li>the notice's own peaks are limited (2 ms look-ahead, 50 ms release) to 90 % of {@value #CEILING_DBTP} dBTP;</li>
 * <li>its gain is then solved (secant, at most {@value #MAX_BOOST_DB} dB above the match) so that the labelled
 * master's integrated loudness stays within {@value #TOLERANCE_LU} LU of what it was;</li>
 * <li>if the span's true peak (4x oversampled) is still above the ceiling the notice is lowered; if the loudness is
 * then still off, the whole master is scaled (down always, up only as far as its true peak allows).</li>
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
    /** The notice is never set more than this above its own loudness match. */
    static final double MAX_BOOST_DB = 6.0;

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
        double ceiling = Math.pow(10, CEILING_DBTP / 20);
        int span = Math.min(frames, end + ramp + Resample.LOBES);
        // notice gain (dB): first its own loudness at the master's; then solved (secant) so that the labelled master
        // keeps its loudness (a silent master: reaches FALLBACK_LUFS); the notice's own peaks are limited under the ceiling
        double gdb = target - noticeLufs;
        float[] out = mixLimited(master, notice, start, end, ramp, gdb, ceiling);
        double after = Loudness.integrated(out, ch, rate);
        {
            double g0 = gdb, f0 = after - target;
            double g1 = gdb + (f0 > 0 ? -1 : 1), f1;
            double best = gdb;
            for (int it = 0; it < 6 && Math.abs(f0) > TOLERANCE_LU; it++) {
                g1 = Math.max(gdb - 20, Math.min(gdb + MAX_BOOST_DB, g1));
                float[] o1 = mixLimited(master, notice, start, end, ramp, g1, ceiling);
                f1 = Loudness.integrated(o1, ch, rate) - target;
                if (Math.abs(f1) < Math.abs(after - target)) {
                    out = o1;
                    after = f1 + target;
                    best = g1;
                }
                if (Math.abs(f1) <= TOLERANCE_LU || f1 == f0) break;
                double g2 = g1 - f1 * (g1 - g0) / (f1 - f0);
                g0 = g1;
                f0 = f1;
                g1 = g2;
            }
            gdb = best;
        }
        double peak = Loudness.truePeak(out, ch, 0, span);
        if (peak > ceiling) { // the ducked master under the notice can still add a little: scale the span's notice down
            gdb += 20 * Math.log10(ceiling / peak * 0.98);
            out = mixLimited(master, notice, start, end, ramp, gdb, ceiling);
            after = Loudness.integrated(out, ch, rate);
        }
        if (Double.isFinite(before) && Double.isFinite(after) && Math.abs(after - before) > TOLERANCE_LU) {
            // still off (the notice alone cannot carry it): scale the whole master, up only as far as the true peak allows
            double g = Math.pow(10, (before - after) / 20);
            if (g > 1) g = Math.min(g, ceiling / Math.max(1e-9, Loudness.truePeak(out, ch, 0, frames)));
            if (g < 1 || g > 1.0001) {
                for (int i = 0; i < out.length; i++) out[i] = clamp(out[i] * g);
                after = Loudness.integrated(out, ch, rate);
            }
        }
        double placed = Loudness.integrated(java.util.Arrays.copyOfRange(out, start * ch, end * ch), ch, rate);
        double tp = 20 * Math.log10(Math.max(1e-9, Loudness.truePeak(out, ch, 0, Math.min(frames, end + ramp + Resample.LOBES))));
        String d = String.format(Locale.ROOT, "spoken notice \"%s\" (voice %s) at %.2f-%.2f s, %.1f LUFS, master lowered 12 dB under it; "
                        + "mix %s before, %s after, %.1f dBTP over the notice", text, voice, START_SECONDS, end / (double) rate, placed,
                lufs(before), lufs(after), tp);
        return new Result(new AudioBuffer(rate, ch, out), START_SECONDS, end / (double) rate, placed, before, after, tp, d);
    }

    private static String lufs(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.1f LUFS", v) : "silent";
    }

    /** The master ducked and the notice at {@code gainDb}, its peaks limited to 90 % of {@code ceiling} (2 ms look-ahead, 50 ms release). */
    private static float[] mixLimited(AudioBuffer master, float[] notice, int start, int end, int ramp, double gainDb, double ceiling) {
        double gain = Math.pow(10, gainDb / 20);
        int rate = master.sampleRate();
        int n = notice.length;
        double limit = 0.9 * ceiling;
        double[] need = new double[n];
        for (int i = 0; i < n; i++) {
            double a = Math.abs(notice[i] * gain);
            need[i] = a > limit ? limit / a : 1.0;
        }
        int w = Math.max(1, rate / 500);
        double[] env = new double[n];
        for (int i = 0; i < n; i++) { // minimum over [i - w, i + w]: the gain is down before the peak arrives
            double m = 1.0;
            for (int k = Math.max(0, i - w); k <= Math.min(n - 1, i + w); k++) m = Math.min(m, need[k]);
            env[i] = m;
        }
        double rel = Math.exp(-1.0 / (0.05 * rate));
        double g = 1.0;
        float[] limited = new float[n];
        for (int i = 0; i < n; i++) {
            g = env[i] < g ? env[i] : env[i] - (env[i] - g) * rel; // instant attack (look-ahead above), smooth release
            limited[i] = (float) (notice[i] * gain * g);
        }
        return mix(master, limited, start, end, ramp, 1.0);
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
