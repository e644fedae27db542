package io.kinora.compositor.internal;

import io.kinora.api.media.AudioBuffer;
import io.kinora.api.timeline.Shot;
import io.kinora.api.timeline.SpokenLine;
import io.kinora.api.timeline.Timeline;
import io.kinora.api.timeline.WordTiming;

import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** Signal generators and fixtures shared by the tests. */
final class TestSignals {
    private TestSignals() {
    }

    /** Interleaved sine; amplitude per channel (0 = silent channel). */
    static float[] sine(double freq, double seconds, int rate, double... amplitudes) {
        int ch = amplitudes.length;
        int n = (int) Math.round(seconds * rate);
        float[] out = new float[n * ch];
        for (int i = 0; i < n; i++) {
            double v = Math.sin(2 * Math.PI * freq * i / rate);
            for (int c = 0; c < ch; c++) out[i * ch + c] = (float) (amplitudes[c] * v);
        }
        return out;
    }

    static double dbfs(double db) {
        return Math.pow(10, db / 20);
    }

    static float[] concat(float[]... parts) {
        int len = 0;
        for (float[] p : parts) len += p.length;
        float[] out = new float[len];
        int o = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, out, o, p.length);
            o += p.length;
        }
        return out;
    }

    /** Speech-like mono test signal: band-limited noise bursts (syllables) with a high crest factor. */
    static float[] speechLike(double seconds, int rate, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int n = (int) Math.round(seconds * rate);
        float[] out = new float[n];
        double lp = 0, hp = 0, prev = 0;
        for (int i = 0; i < n; i++) {
            double t = i / (double) rate;
            double syllable = Math.max(0, Math.sin(2 * Math.PI * 4.0 * t)); // 4 syllables per second
            double env = Math.pow(syllable, 1.5);
            double white = rnd.nextDouble() * 2 - 1;
            lp += 0.3 * (white - lp);          // gentle low-pass
            hp = 0.97 * (hp + lp - prev);      // remove rumble
            prev = lp;
            double voiced = Math.sin(2 * Math.PI * 160 * t) + 0.5 * Math.sin(2 * Math.PI * 320 * t);
            out[i] = (float) (env * (0.35 * voiced + 0.8 * hp));
        }
        return out;
    }

    static SpokenLine line(int index, String who, double start, double end) {
        return new SpokenLine(index, who, "line " + index, "test-voice", start, end,
                List.of(new WordTiming("word", start, end)));
    }

    static Timeline timeline(double seconds, int fps, List<SpokenLine> lines) {
        int frames = (int) Math.round(seconds * fps);
        return new Timeline(frames / (double) fps, fps, frames, lines, List.of(new Shot(0, frames / (double) fps, null)));
    }

    static AudioBuffer stereo(int rate, float[] interleaved) {
        return new AudioBuffer(rate, 2, interleaved);
    }

    /** The component configuration with its declared defaults, some overridden. */
    static CompositorImpl.Config config(Map<String, Object> overrides) {
        return (CompositorImpl.Config) Proxy.newProxyInstance(CompositorImpl.Config.class.getClassLoader(),
                new Class<?>[] {CompositorImpl.Config.class}, (proxy, method, args) -> {
                    if (overrides.containsKey(method.getName())) return overrides.get(method.getName());
                    if (method.getDefaultValue() != null) return method.getDefaultValue();
                    if (method.getName().equals("annotationType")) return CompositorImpl.Config.class;
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    /** RMS in dB of one channel of interleaved audio between two times. */
    static double rmsDb(float[] x, int channels, int channel, int rate, double from, double to) {
        int a = (int) Math.round(from * rate), b = (int) Math.round(to * rate);
        double sum = 0;
        for (int n = a; n < b; n++) sum += (double) x[n * channels + channel] * x[n * channels + channel];
        return 10 * Math.log10(sum / (b - a) + 1e-30);
    }

    /** Amplitude (linear) of one frequency in one channel between two times (single-bin DFT). */
    static double toneAmplitude(float[] x, int channels, int channel, int rate, double freq, double from, double to) {
        int a = (int) Math.round(from * rate), b = (int) Math.round(to * rate);
        double re = 0, im = 0;
        for (int n = a; n < b; n++) {
            double ph = 2 * Math.PI * freq * n / rate;
            re += x[n * channels + channel] * Math.cos(ph);
            im += x[n * channels + channel] * Math.sin(ph);
        }
        return 2 * Math.hypot(re, im) / (b - a);
    }
}
