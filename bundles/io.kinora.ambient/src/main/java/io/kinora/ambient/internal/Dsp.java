package io.kinora.ambient.internal;

import java.util.SplittableRandom;

/** Small deterministic DSP building blocks (double precision state, no allocation per sample). */
final class Dsp {
    private Dsp() {
    }

    /** Uniform white noise in [-1, 1). */
    static double white(SplittableRandom random) {
        return random.nextDouble() * 2 - 1;
    }

    /** A second-order IIR section (RBJ audio-EQ cookbook), transposed direct form II. */
    static final class Biquad {
        private double b0, b1, b2, a1, a2;
        private double z1, z2;

        static Biquad lowPass(double hz, double q, int rate) {
            Biquad b = new Biquad();
            b.setLowPass(hz, q, rate);
            return b;
        }

        static Biquad highPass(double hz, double q, int rate) {
            Biquad b = new Biquad();
            b.setHighPass(hz, q, rate);
            return b;
        }

        static Biquad bandPass(double hz, double q, int rate) {
            Biquad b = new Biquad();
            b.setBandPass(hz, q, rate);
            return b;
        }

        void setLowPass(double hz, double q, int rate) {
            double w = 2 * Math.PI * clampHz(hz, rate) / rate, cos = Math.cos(w), alpha = Math.sin(w) / (2 * q);
            set((1 - cos) / 2, 1 - cos, (1 - cos) / 2, 1 + alpha, -2 * cos, 1 - alpha);
        }

        void setHighPass(double hz, double q, int rate) {
            double w = 2 * Math.PI * clampHz(hz, rate) / rate, cos = Math.cos(w), alpha = Math.sin(w) / (2 * q);
            set((1 + cos) / 2, -(1 + cos), (1 + cos) / 2, 1 + alpha, -2 * cos, 1 - alpha);
        }

        /** Band-pass with 0 dB peak gain at the centre. */
        void setBandPass(double hz, double q, int rate) {
            double w = 2 * Math.PI * clampHz(hz, rate) / rate, cos = Math.cos(w), alpha = Math.sin(w) / (2 * q);
            set(alpha, 0, -alpha, 1 + alpha, -2 * cos, 1 - alpha);
        }

        private void set(double nb0, double nb1, double nb2, double na0, double na1, double na2) {
            b0 = nb0 / na0;
            b1 = nb1 / na0;
            b2 = nb2 / na0;
            a1 = na1 / na0;
            a2 = na2 / na0;
        }

        double process(double x) {
            double y = b0 * x + z1;
            z1 = b1 * x - a1 * y + z2;
            z2 = b2 * x - a2 * y;
            return y;
        }

        private static double clampHz(double hz, int rate) {
            return Math.max(5.0, Math.min(hz, rate * 0.45));
        }
    }

    /** Pink (1/f) noise from white noise: Paul Kellett's refined filter, accurate to about 0.05 dB above 9 Hz at 44.1 kHz. */
    static final class Pink {
        private final SplittableRandom random;
        private double p0, p1, p2, p3, p4, p5, p6;

        Pink(SplittableRandom random) {
            this.random = random;
        }

        double next() {
            double w = white(random);
            p0 = 0.99886 * p0 + w * 0.0555179;
            p1 = 0.99332 * p1 + w * 0.0750759;
            p2 = 0.96900 * p2 + w * 0.1538520;
            p3 = 0.86650 * p3 + w * 0.3104856;
            p4 = 0.55000 * p4 + w * 0.5329522;
            p5 = -0.7616 * p5 - w * 0.0168980;
            double out = p0 + p1 + p2 + p3 + p4 + p5 + p6 + w * 0.5362;
            p6 = w * 0.115926;
            return out * 0.11;
        }
    }

    /**
     * A smooth random control signal in [0, 1]: four slow sinusoids with random frequencies (log-uniform in
     * [minHz, maxHz]) and phases, for gusts that never repeat exactly. Scaled by its own minimum and maximum.
     */
    static double[] slowContour(SplittableRandom random, int length, int rate, double minHz, double maxHz) {
        int partials = 4;
        double[] omega = new double[partials];
        double[] phase = new double[partials];
        double[] weight = new double[partials];
        for (int k = 0; k < partials; k++) {
            omega[k] = 2 * Math.PI * minHz * Math.pow(maxHz / minHz, random.nextDouble()) / rate;
            phase[k] = random.nextDouble() * 2 * Math.PI;
            weight[k] = 0.5 + random.nextDouble();
        }
        // evaluated every STEP samples and interpolated linearly: the partials are far below STEP's Nyquist rate
        final int step = 16;
        double[] out = new double[length];
        double min = Double.MAX_VALUE, max = -Double.MAX_VALUE;
        double prev = 0;
        for (int i = 0; i < length + step; i += step) {
            double v = 0;
            for (int k = 0; k < partials; k++) v += weight[k] * Math.sin(phase[k] + omega[k] * i);
            if (i > 0) {
                for (int j = i - step; j < Math.min(i, length); j++) {
                    double y = prev + (v - prev) * (j - (i - step)) / step;
                    out[j] = y;
                    min = Math.min(min, y);
                    max = Math.max(max, y);
                }
            }
            prev = v;
        }
        double span = max - min;
        for (int i = 0; i < length; i++) out[i] = span == 0 ? 0.5 : (out[i] - min) / span;
        return out;
    }
}
