package io.kinora.compositor.internal;

import io.kinora.api.compositor.Mix;
import io.kinora.api.compositor.MixRequest;
import io.kinora.api.media.AudioBuffer;
import io.kinora.api.media.StageException;
import io.kinora.api.timeline.SpokenLine;
import io.kinora.api.timeline.Timeline;
import io.kinora.api.voice.Speech;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The audio mix of one clip, offline and deterministic:
 * <ol>
 *   <li>each line's speech is down-mixed to mono if needed, resampled (band-limited) to the master rate, levelled
 *       to a common loudness (optional) and placed at its {@link SpokenLine#start()} with a constant-power pan;</li>
 *   <li>the ambience bed is resampled, looped with an equal-power cross-fade or trimmed to the clip, set to a
 *       loudness relative to the dialogue and ducked under speech with raised-cosine ramps (the ramp down ends
 *       at the first word, so the duck starts before it: look-ahead);</li>
 *   <li>the sum is normalised to the target integrated loudness (BS.1770-4) and limited to the true-peak ceiling;
 *       normalisation and limiting are repeated until the loudness is within 0.05 LU (at most 4 passes).</li>
 * </ol>
 */
final class Mixer {
    private static final Logger LOG = LoggerFactory.getLogger(Mixer.class);
    /** Loudness each line is levelled to before the master normalisation (any value works; it is relative). */
    private static final double LINE_LEVEL_LUFS = -23.0;
    private static final double MAX_LINE_GAIN_DB = 24.0;
    private static final double LOOP_CROSSFADE_S = 0.5;

    private final MixSettings settings;

    Mixer(MixSettings settings) {
        this.settings = settings;
    }

    Mix mix(MixRequest request) {
        if (request == null) throw new StageException("mix request is missing");
        Timeline timeline = request.timeline();
        if (timeline == null) throw new StageException("mix request has no timeline");
        int rate = request.sampleRate();
        if (rate < 8000 || rate > 192000) {
            throw new StageException("mix sample rate " + rate + " Hz is outside 8000..192000 Hz");
        }
        double target = request.targetLufs();
        if (!Double.isFinite(target) || target < -70 || target > -5) {
            throw new StageException("loudness target " + target + " LUFS is outside -70..-5 LUFS");
        }
        if (!(timeline.duration() > 0) || !Double.isFinite(timeline.duration())) {
            throw new StageException("timeline duration must be positive, got " + timeline.duration() + " s");
        }
        List<SpokenLine> lines = timeline.lines();
        List<Speech> speech = request.speech();
        if (speech.size() != lines.size()) {
            throw new StageException("got " + speech.size() + " speech clips for " + lines.size() + " timeline lines");
        }
        int frames = (int) Math.round(timeline.duration() * rate);

        // one stereo bus per character, in order of first appearance; the dialogue is their sum
        Map<String, float[]> buses = new LinkedHashMap<>();
        boolean anyDialogue = false;
        for (int i = 0; i < lines.size(); i++) {
            String who = lines.get(i).character() == null ? "" : lines.get(i).character();
            float[] bus = buses.computeIfAbsent(who, k -> new float[frames * 2]);
            anyDialogue |= placeLine(bus, frames, rate, lines.get(i), speech.get(i), request.pan(), i);
        }
        float[] dialogue = new float[frames * 2];
        for (float[] bus : buses.values()) {
            for (int i = 0; i < dialogue.length; i++) dialogue[i] += bus[i];
        }

        float[] bed = null;
        if (request.ambience() != null) {
            bed = conformAmbience(request.ambience(), rate, frames);
            double bedLufs = LoudnessMeter.integrated(bed, 2, rate);
            double dialogueLufs = anyDialogue ? LoudnessMeter.integrated(dialogue, 2, rate) : Double.NEGATIVE_INFINITY;
            if (Double.isFinite(bedLufs) && Double.isFinite(dialogueLufs)) {
                double gainDb = dialogueLufs + settings.ambienceLu() - bedLufs;
                scale(bed, (float) dbToGain(gainDb));
                LOG.debug("ambience {} LUFS, dialogue {} LUFS: bed gain {} dB", fmt(bedLufs), fmt(dialogueLufs), fmt(gainDb));
            }
            float[] duck = duckGain(lines, rate, frames);
            for (int n = 0; n < frames; n++) {
                bed[2 * n] *= duck[n];
                bed[2 * n + 1] *= duck[n];
            }
        }

        float[] premix = dialogue.clone();
        if (bed != null) {
            for (int i = 0; i < premix.length; i++) premix[i] += bed[i];
        }
        return normalise(premix, rate, target, buses, bed);
    }

    private Mix normalise(float[] premix, int rate, double target, Map<String, float[]> buses, float[] bed) {
        int frames = premix.length / 2;
        double measured = LoudnessMeter.integrated(premix, 2, rate);
        if (!Double.isFinite(measured)) {
            // silence (or everything below the -70 LUFS gate): nothing to normalise, no gain is applied
            double peak = LoudnessMeter.toDb(LoudnessMeter.samplePeak(premix));
            LOG.info("mix is silent (below the -70 LUFS gate); no loudness normalisation applied");
            float[] ones = new float[frames];
            java.util.Arrays.fill(ones, 1f);
            return new Mix(new AudioBuffer(rate, 2, premix), Double.NEGATIVE_INFINITY, peak, stems(buses, 1f, ones, rate),
                    bed == null ? null : new AudioBuffer(rate, 2, stem(bed, 1f, ones)));
        }
        TruePeakLimiter limiter = new TruePeakLimiter(settings.ceilingDbtp(), rate, 1.5, 60);
        // the premix's true peaks, exact down to 6 dB below where the first pass's gain puts the ceiling; later passes
        // reuse them scaled, and measure afresh if their gain rises past that margin
        double firstGain = dbToGain(target - measured);
        double ceiling = dbToGain(settings.ceilingDbtp());
        LoudnessMeter.Interpolator ip = new LoudnessMeter.Interpolator();
        double[] premixPeaks = LoudnessMeter.truePeakPerFrame(premix, 2, ip, 0.5 * ceiling / firstGain);
        double gainDb = target - measured;
        float[] out = null;
        float[] envelope = new float[frames];
        double lufs = measured;
        double reduction = 0;
        double applied = gainDb;
        for (int pass = 0; pass < 4; pass++) {
            out = premix.clone();
            applied = gainDb;
            scale(out, (float) dbToGain(gainDb));
            double g = (float) dbToGain(gainDb);
            reduction = g < 1.9 * firstGain ? limiter.apply(out, 2, envelope, premixPeaks, g) : limiter.apply(out, 2, envelope);
            lufs = LoudnessMeter.integrated(out, 2, rate);
            double error = target - lufs;
            if (Math.abs(error) < 0.05 || !Double.isFinite(lufs)) break;
            gainDb += error;
        }
        double peak = LoudnessMeter.toDb(LoudnessMeter.samplePeak(out));
        LOG.info("mix: {} LUFS -> {} LUFS (target {}), gain {} dB, limiter {} dB, sample peak {} dBFS",
                fmt(measured), fmt(lufs), fmt(target), fmt(applied), fmt(reduction), fmt(peak));
        float g = (float) dbToGain(applied);
        return new Mix(new AudioBuffer(rate, 2, out), lufs, peak, stems(buses, g, envelope, rate),
                bed == null ? null : new AudioBuffer(rate, 2, stem(bed, g, envelope)));
    }

    private static Map<String, AudioBuffer> stems(Map<String, float[]> buses, float gain, float[] envelope, int rate) {
        Map<String, AudioBuffer> out = new LinkedHashMap<>();
        buses.forEach((who, bus) -> out.put(who, new AudioBuffer(rate, 2, stem(bus, gain, envelope))));
        return out;
    }

    /** A part of the premix with the master's gain and limiter envelope applied: what it contributes to the master. */
    private static float[] stem(float[] part, float gain, float[] envelope) {
        float[] s = new float[part.length];
        for (int n = 0; n < envelope.length; n++) {
            float g = gain * envelope[n];
            s[2 * n] = part[2 * n] * g;
            s[2 * n + 1] = part[2 * n + 1] * g;
        }
        return s;
    }

    /** Places one line; returns whether it contributed any sound. */
    private boolean placeLine(float[] bus, int frames, int rate, SpokenLine line, Speech speech, Map<String, Double> pans,
                              int index) {
        String who = "line " + (index + 1) + " (" + line.character() + ")";
        if (speech == null || speech.audio() == null) throw new StageException("no speech audio for " + who);
        if (!Double.isFinite(line.start()) || line.start() < 0) {
            throw new StageException("start time " + line.start() + " s of " + who + " is not a valid clip time");
        }
        float[] mono = toMono(speech.audio(), who);
        if (speech.audio().sampleRate() != rate) mono = Resampler.resample(mono, speech.audio().sampleRate(), rate);
        if (settings.levelLines()) {
            double l = LoudnessMeter.integrated(mono, 1, rate);
            if (Double.isFinite(l)) {
                scale(mono, (float) dbToGain(Math.min(MAX_LINE_GAIN_DB, LINE_LEVEL_LUFS - l)));
            }
        }
        Double p = pans.get(line.character());
        double pan = p == null || !Double.isFinite(p) ? 0.0 : Math.max(-1.0, Math.min(1.0, p));
        double theta = (pan + 1.0) * Math.PI / 4.0; // constant power: L = cos, R = sin, -3 dB each at centre
        float gl = (float) Math.cos(theta);
        float gr = (float) Math.sin(theta);
        int offset = (int) Math.round(line.start() * rate);
        if (offset >= frames) {
            LOG.warn("{} starts at {} s, after the end of the clip ({} s); it is not heard", who, fmt(line.start()),
                    fmt(frames / (double) rate));
            return false;
        }
        int n = Math.min(mono.length, frames - offset);
        if (n < mono.length) {
            LOG.warn("{} runs {} s past the end of the clip and is cut", who, fmt((mono.length - n) / (double) rate));
        }
        boolean sound = false;
        for (int i = 0; i < n; i++) {
            float v = mono[i];
            sound |= v != 0;
            bus[2 * (offset + i)] += v * gl;
            bus[2 * (offset + i) + 1] += v * gr;
        }
        return sound;
    }

    private static float[] toMono(AudioBuffer audio, String who) {
        float[] s = audio.samples();
        int ch = audio.channels();
        float[] mono = new float[audio.frames()];
        for (int n = 0; n < mono.length; n++) {
            double sum = 0;
            for (int c = 0; c < ch; c++) sum += s[n * ch + c];
            float v = (float) (sum / ch);
            if (!Float.isFinite(v)) throw new StageException("speech audio of " + who + " contains non-finite samples");
            mono[n] = v;
        }
        return mono;
    }

    /** Ambience as stereo at the master rate, exactly {@code frames} long (looped with cross-fades, or trimmed). */
    static float[] conformAmbience(AudioBuffer amb, int rate, int frames) {
        int ch = amb.channels();
        if (ch != 1 && ch != 2) throw new StageException("ambience must be mono or stereo, got " + ch + " channels");
        float[] src = amb.samples();
        for (float v : src) {
            if (!Float.isFinite(v)) throw new StageException("ambience audio contains non-finite samples");
        }
        float[] left = new float[amb.frames()];
        float[] right = new float[amb.frames()];
        for (int n = 0; n < left.length; n++) {
            left[n] = src[n * ch];
            right[n] = src[n * ch + ch - 1];
        }
        if (amb.sampleRate() != rate) {
            Resampler r = new Resampler(amb.sampleRate(), rate);
            left = r.process(left);
            right = r.process(right);
        }
        float[] out = new float[frames * 2];
        int len = left.length;
        if (len == 0) return out;
        if (len >= frames) {
            for (int n = 0; n < frames; n++) {
                out[2 * n] = left[n];
                out[2 * n + 1] = right[n];
            }
            return out;
        }
        // loop: each repetition starts with an equal-power cross-fade from the previous one's tail
        int fade = (int) Math.min(Math.round(LOOP_CROSSFADE_S * rate), len / 4);
        int period = len - fade;
        for (int n = 0; n < frames; n++) {
            int k = n % period;
            float l, r;
            if (n >= period && k < fade) {
                double x = (k + 0.5) / fade;
                float gin = (float) Math.sin(x * Math.PI / 2);
                float gout = (float) Math.cos(x * Math.PI / 2);
                int tail = period + k; // the previous repetition continues into its last 'fade' samples
                l = left[k] * gin + left[tail] * gout;
                r = right[k] * gin + right[tail] * gout;
            } else {
                l = left[k];
                r = right[k];
            }
            out[2 * n] = l;
            out[2 * n + 1] = r;
        }
        return out;
    }

    /**
     * Ambience gain per sample frame: 1 outside speech, {@code -duckDb} during it, raised-cosine (in dB) ramps of
     * the attack time ending at the first word and of the release time starting after the last word.
     */
    float[] duckGain(List<SpokenLine> lines, int rate, int frames) {
        double[] depth = new double[frames]; // 0 = no duck, 1 = full duck
        double attack = settings.attackMs() / 1000.0;
        double release = settings.releaseMs() / 1000.0;
        for (SpokenLine line : lines) {
            double start = line.words().isEmpty() ? line.start() : line.words().get(0).start();
            double end = line.words().isEmpty() ? line.end() : line.words().get(line.words().size() - 1).end();
            if (!Double.isFinite(start) || !Double.isFinite(end) || end <= start) continue;
            int a0 = (int) Math.floor((start - attack) * rate);
            int a1 = (int) Math.round(start * rate);
            int r0 = (int) Math.round(end * rate);
            int r1 = (int) Math.ceil((end + release) * rate);
            for (int n = Math.max(0, a0); n < Math.min(frames, r1); n++) {
                double d;
                if (n < a1) d = 0.5 - 0.5 * Math.cos(Math.PI * (n - a0) / Math.max(1, a1 - a0));
                else if (n < r0) d = 1;
                else d = 0.5 + 0.5 * Math.cos(Math.PI * (n - r0) / Math.max(1, r1 - r0));
                if (d > depth[n]) depth[n] = d;
            }
        }
        float[] gain = new float[frames];
        for (int n = 0; n < frames; n++) gain[n] = (float) dbToGain(-settings.duckDb() * depth[n]);
        return gain;
    }

    static double dbToGain(double db) {
        return Math.pow(10, db / 20);
    }

    private static void scale(float[] x, float g) {
        for (int i = 0; i < x.length; i++) x[i] *= g;
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
