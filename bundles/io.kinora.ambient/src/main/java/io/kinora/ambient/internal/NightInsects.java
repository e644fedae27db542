package io.kinora.ambient.internal;

import java.util.SplittableRandom;

/**
 * Night with insects: a dark, quiet bed (pink noise low-passed at 200 Hz) and a chorus of crickets. Each of 3-6
 * crickets sings at its own carrier (4-8 kHz, narrow band: a sine with slight jitter) in chirps of 2-5 pulses
 * (10-20 ms pulses at 25-45 pulses per second), 1-3 chirps per second, each cricket at its own place and distance.
 * One katydid-like rasp (noise band-passed at 6-8 kHz, pulsed) calls now and then.
 */
final class NightInsects implements Soundscape {
    @Override
    public String name() {
        return "night";
    }

    @Override
    public void render(float[] left, float[] right, int rate, SplittableRandom random) {
        int n = left.length;
        float[][] channels = {left, right};
        for (int c = 0; c < 2; c++) {
            Dsp.Pink pink = new Dsp.Pink(random.split());
            Dsp.Biquad lp = Dsp.Biquad.lowPass(200, 0.707, rate);
            for (int i = 0; i < n; i++) channels[c][i] = (float) (lp.process(pink.next()) * 0.15);
        }
        SplittableRandom r = random.split();
        double duration = n / (double) rate;
        int crickets = 3 + r.nextInt(4);
        for (int k = 0; k < crickets; k++) {
            double carrier = 4000 + 4000 * r.nextDouble();
            double pulseRate = 25 + 20 * r.nextDouble();
            double pulseLen = 0.010 + 0.010 * r.nextDouble();
            int pulses = 2 + r.nextInt(4);
            double chirpRate = 1 + 2 * r.nextDouble();
            double pan = r.nextDouble() * 1.8 - 0.9;
            double gain = 0.08 + 0.25 * r.nextDouble();
            double t = r.nextDouble() / chirpRate;
            double phase = 0;
            while (t < duration) {
                for (int p = 0; p < pulses; p++) {
                    int len = (int) (pulseLen * rate);
                    float[] pulse = new float[len];
                    double f = carrier * (1 + 0.01 * (r.nextDouble() - 0.5));
                    for (int i = 0; i < len; i++) {
                        phase += 2 * Math.PI * f / rate;
                        double x = i / (double) len;
                        pulse[i] = (float) (Math.sin(Math.PI * x) * Math.sin(phase));
                    }
                    Events.add(left, right, rate, (int) ((t + p / pulseRate) * rate), pulse, pan, gain);
                }
                t += (1 / chirpRate) * (0.9 + 0.2 * r.nextDouble());
            }
        }
        // a katydid: a rasp of noise pulses around 6-8 kHz, a few times a minute
        double centre = 6000 + 2000 * r.nextDouble();
        double pan = r.nextDouble() * 1.2 - 0.6;
        double t = Events.next(r, 0, 0.08);
        while (t < duration) {
            int pulses = 3 + r.nextInt(4);
            for (int p = 0; p < pulses; p++) {
                int len = (int) (0.04 * rate);
                float[] rasp = new float[len];
                Dsp.Biquad bp = Dsp.Biquad.bandPass(centre, 6, rate);
                Dsp.Biquad bp2 = Dsp.Biquad.bandPass(centre, 6, rate);
                for (int i = 0; i < len; i++) {
                    double x = i / (double) len;
                    rasp[i] = (float) (bp2.process(bp.process(Dsp.white(r))) * Math.sin(Math.PI * x) * 4);
                }
                Events.add(left, right, rate, (int) ((t + p * 0.09) * rate), rasp, pan, 0.25);
            }
            t = Events.next(r, t + 1, 0.08);
        }
    }
}
