package io.kinora.ambient.internal;

import java.util.SplittableRandom;

/**
 * Surf: a train of swells (one every 6-11 s, random strength), each rising over a third of its period and
 * washing out exponentially. The swell opens a low-pass over pink noise from 250 Hz to about 2.5 kHz and
 * raises its level, and adds foam hiss on the crest; a low rumble of distant surf stays underneath. The right
 * channel hears each swell 150 ms after the left. Most swells (seven in ten) break at their crest: a crash of
 * pink noise (400 Hz-3.5 kHz) that rises in 80 ms and washes out over 1.2-2.5 s, off to one side or the other.
 */
final class Ocean implements Soundscape {
    private static final int CONTROL_BLOCK = 32;

    @Override
    public String name() {
        return "ocean";
    }

    @Override
    public void render(float[] left, float[] right, int rate, SplittableRandom random) {
        int n = left.length;
        int lag = (int) Math.round(0.150 * rate);
        double[] swell = swells(random.split(), n + lag, rate);
        float[][] channels = {left, right};
        for (int c = 0; c < 2; c++) {
            Dsp.Pink body = new Dsp.Pink(random.split());
            Dsp.Pink foam = new Dsp.Pink(random.split());
            Dsp.Pink distant = new Dsp.Pink(random.split());
            Dsp.Biquad wash = Dsp.Biquad.lowPass(250, 0.707, rate);
            Dsp.Biquad wash2 = Dsp.Biquad.lowPass(250, 0.707, rate);
            Dsp.Biquad foamHigh = Dsp.Biquad.highPass(2500, 0.707, rate);
            Dsp.Biquad rumble = Dsp.Biquad.lowPass(150, 0.707, rate);
            int offset = c == 0 ? lag : 0;
            double s = 0;
            for (int i = 0; i < n; i++) {
                if (i % CONTROL_BLOCK == 0) {
                    s = swell[i + offset];
                    double cutoff = 250 + 2200 * Math.pow(s, 1.5);
                    wash.setLowPass(cutoff, 0.707, rate);
                    wash2.setLowPass(cutoff, 0.707, rate);
                }
                double surf = wash2.process(wash.process(body.next())) * (0.15 + 1.2 * s);
                double hiss = foamHigh.process(foam.next()) * 0.5 * s * s * s;
                double low = rumble.process(distant.next()) * 0.5;
                channels[c][i] = (float) (surf + hiss + low);
            }
        }
        crashes(left, right, rate, swell, lag, random.split());
    }

    /** A breaking wave at most crests of the (left channel's) swell envelope. */
    static void crashes(float[] left, float[] right, int rate, double[] swell, int lag, SplittableRandom r) {
        int n = left.length;
        int step = CONTROL_BLOCK;
        for (int i = step; i + step < n; i += step) {
            double prev = swell[i - step + lag], here = swell[i + lag], next = swell[i + step + lag];
            if (!(here > prev && here >= next) || here < 0.3) continue;
            if (r.nextDouble() > 0.7) continue;
            double decay = 1.2 + 1.3 * r.nextDouble();
            int len = (int) (decay * 3 * rate);
            float[] crash = new float[len];
            Dsp.Biquad hp = Dsp.Biquad.highPass(400, 0.707, rate);
            Dsp.Biquad lp = Dsp.Biquad.lowPass(3500, 0.707, rate);
            Dsp.Pink pink = new Dsp.Pink(r);
            for (int k = 0; k < len; k++) {
                double t = k / (double) rate;
                double env = t < 0.08 ? t / 0.08 : Math.exp(-(t - 0.08) / (decay / 2.5));
                crash[k] = (float) (lp.process(hp.process(pink.next())) * env);
            }
            Events.add(left, right, rate, i, crash, r.nextDouble() * 1.2 - 0.6, 0.6 * here);
        }
    }

    /** The swell envelope in [0, 1] for every sample. */
    static double[] swells(SplittableRandom random, int length, int rate) {
        double[] env = new double[length];
        double start = -random.nextDouble() * 8.0; // the first swell may already be under way
        while (start * rate < length) {
            double period = 6 + 5 * random.nextDouble();
            double strength = 0.55 + 0.45 * random.nextDouble();
            double rise = period / 3;
            int from = (int) Math.max(0, Math.floor(start * rate));
            int to = (int) Math.min(length, Math.ceil((start + 2.5 * period) * rate));
            for (int i = from; i < to; i++) {
                double t = i / (double) rate - start;
                double shape = t < rise
                        ? 0.5 - 0.5 * Math.cos(Math.PI * t / rise)
                        : Math.exp(-(t - rise) / (0.3 * period));
                env[i] = Math.max(env[i], strength * shape);
            }
            start += period;
        }
        return env;
    }
}
