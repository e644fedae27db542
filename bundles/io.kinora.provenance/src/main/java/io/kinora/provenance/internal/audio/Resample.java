package io.kinora.provenance.internal.audio;

/** Windowed-sinc (Lanczos, 8 lobes) interpolation: resampling the notice to the master's rate, and true peak. */
public final class Resample {
    static final int LOBES = 8;

    private Resample() {
    }

    /** Mono {@code in} at {@code from} Hz resampled to {@code to} Hz (low-passed at the lower Nyquist). */
    public static float[] mono(float[] in, int from, int to) {
        if (from == to) return in.clone();
        int n = (int) Math.round(in.length * (double) to / from);
        float[] out = new float[n];
        double ratio = (double) from / to;
        double cut = Math.min(1.0, (double) to / from); // < 1 when downsampling
        int half = (int) Math.ceil(LOBES / cut);
        for (int j = 0; j < n; j++) {
            double x = j * ratio;
            int c = (int) Math.floor(x);
            double acc = 0, wsum = 0;
            for (int i = c - half + 1; i <= c + half; i++) {
                double d = (x - i) * cut;
                double w = lanczos(d) * cut;
                wsum += w;
                if (i >= 0 && i < in.length) acc += in[i] * w;
            }
            out[j] = (float) (wsum == 0 ? 0 : acc / wsum * 1.0);
        }
        return out;
    }

    /** Channel {@code c} of interleaved samples interpolated at fractional frame {@code x}. */
    static double at(float[] interleaved, int channels, int c, double x) {
        int frames = interleaved.length / channels;
        int base = (int) Math.floor(x);
        double acc = 0;
        for (int i = base - LOBES + 1; i <= base + LOBES; i++) {
            if (i < 0 || i >= frames) continue;
            acc += interleaved[i * channels + c] * lanczos(x - i);
        }
        return acc;
    }

    private static double lanczos(double d) {
        if (d == 0) return 1;
        if (Math.abs(d) >= LOBES) return 0;
        double p = Math.PI * d;
        return LOBES * Math.sin(p) * Math.sin(p / LOBES) / (p * p);
    }
}
