package io.kinora.ambient.internal;

import java.util.SplittableRandom;

/**
 * A brook: a rush of water (pink noise band-passed around 500 Hz-2.5 kHz, its level wandering with the current)
 * and bubbles, each a Minnaert resonance: a sine from 350 Hz to 3 kHz whose pitch rises as it decays (5-40 ms),
 * about 60 per second per channel, in bursts where the water tumbles over stones.
 */
final class Stream implements Soundscape {
    @Override
    public String name() {
        return "stream";
    }

    @Override
    public void render(float[] left, float[] right, int rate, SplittableRandom random) {
        int n = left.length;
        double[] current = Dsp.slowContour(random.split(), n, rate, 1 / 8.0, 1.5);
        float[][] channels = {left, right};
        for (int c = 0; c < 2; c++) {
            float[] out = channels[c];
            Dsp.Pink pink = new Dsp.Pink(random.split());
            Dsp.Biquad hp = Dsp.Biquad.highPass(450, 0.707, rate);
            Dsp.Biquad lp = Dsp.Biquad.lowPass(2500, 0.707, rate);
            Dsp.Biquad rumble = Dsp.Biquad.lowPass(200, 0.707, rate);
            Dsp.Pink low = new Dsp.Pink(random.split());
            for (int i = 0; i < n; i++) {
                double rush = lp.process(hp.process(pink.next()));
                out[i] = (float) (rush * (0.5 + 0.5 * current[i]) * 0.55 + rumble.process(low.next()) * 0.3);
            }
            SplittableRandom b = random.split();
            double t = 0;
            double duration = n / (double) rate;
            while ((t = Events.next(b, t, 60)) < duration) {
                int i = (int) (t * rate);
                // bubbles cluster where the current is strong
                if (b.nextDouble() > 0.35 + 0.65 * current[i]) continue;
                double f0 = Events.logUniform(b, 350, 3000);
                double decay = Events.logUniform(b, 0.005, 0.04);
                double amp = 0.35 * Math.pow(10, -1.2 * b.nextDouble()) * Math.sqrt(1000 / f0);
                double rise = 0.1 + 0.4 * b.nextDouble(); // relative pitch rise over one decay time
                int len = Math.min(n - i, (int) (decay * 5 * rate));
                // a decaying phasor whose rotation (pitch) is updated every 32 samples
                double re = amp, im = 0, cs = 1, sn = 0;
                double shrink = Math.exp(-1 / (decay * rate));
                for (int k = 0; k < len; k++) {
                    if ((k & 31) == 0) {
                        double w = 2 * Math.PI * f0 * (1 + rise * (k + 16) / (decay * rate)) / rate;
                        cs = Math.cos(w);
                        sn = Math.sin(w);
                    }
                    double attack = Math.min(1, k / (0.0005 * rate));
                    out[i + k] += (float) (attack * im);
                    double nr = (re * cs - im * sn) * shrink;
                    im = (re * sn + im * cs) * shrink;
                    re = nr;
                }
            }
        }
    }
}
