package io.kinora.ambient.internal;

import java.util.SplittableRandom;

/**
 * Rain: a hiss bed (pink noise band-limited to 800 Hz-9 kHz) plus individual drops, a Poisson stream of about
 * 70 per second per channel, each a damped sinusoid (1.8-6 kHz, 3-15 ms decay) with a log-uniform strength;
 * one drop in ten is a heavy one close by.
 */
final class Rain implements Soundscape {
    static final double DROPS_PER_SECOND = 70;

    @Override
    public String name() {
        return "rain";
    }

    @Override
    public void render(float[] left, float[] right, int rate, SplittableRandom random) {
        int n = left.length;
        double[] swell = Dsp.slowContour(random.split(), n, rate, 1 / 40.0, 1 / 10.0);
        float[][] channels = {left, right};
        for (int c = 0; c < 2; c++) {
            float[] out = channels[c];
            Dsp.Pink pink = new Dsp.Pink(random.split());
            Dsp.Biquad high = Dsp.Biquad.highPass(800, 0.707, rate);
            Dsp.Biquad low = Dsp.Biquad.lowPass(9000, 0.707, rate);
            for (int i = 0; i < n; i++) {
                double bed = low.process(high.process(pink.next()));
                out[i] = (float) (bed * 0.5 * (0.85 + 0.3 * swell[i]));
            }
            SplittableRandom drops = random.split();
            double t = 0;
            while (true) {
                t += -Math.log(1 - drops.nextDouble()) / DROPS_PER_SECOND;
                int start = (int) (t * rate);
                if (start >= n) break;
                boolean heavy = drops.nextDouble() < 0.1;
                double freq = 1800 * Math.pow(6000 / 1800.0, drops.nextDouble());
                double decay = (0.003 + 0.012 * drops.nextDouble()) * rate;
                double amp = (heavy ? 0.6 : 0.15) * Math.pow(10, -drops.nextDouble()); // 20 dB spread
                double phase = drops.nextDouble() * 2 * Math.PI;
                int length = Math.min(n - start, (int) (decay * 6));
                double w = 2 * Math.PI * freq / rate;
                for (int k = 0; k < length; k++) {
                    double attack = Math.min(1.0, k / (0.0004 * rate)); // 0.4 ms onset, no click
                    out[start + k] += (float) (amp * attack * Math.exp(-k / decay) * Math.sin(phase + w * k));
                }
            }
        }
    }
}
