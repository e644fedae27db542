package io.kinora.ambient.internal;

import java.util.SplittableRandom;

/**
 * Fire: a low roar (pink noise low-passed at 350 Hz, flickering at 0.5-4 Hz), a faint hiss of gas, and crackles:
 * clusters of sharp impulses (0.2-2 ms noise bursts, high-passed at 1.5 kHz, with a 30 dB spread of strength),
 * 6-25 per second depending on how lively the fire is at that moment, and now and then a pop of wood (a burst
 * ringing at 400-1500 Hz).
 */
final class Fire implements Soundscape {
    @Override
    public String name() {
        return "fire";
    }

    @Override
    public void render(float[] left, float[] right, int rate, SplittableRandom random) {
        int n = left.length;
        double[] flicker = Dsp.slowContour(random.split(), n, rate, 0.5, 4.0);
        double[] life = Dsp.slowContour(random.split(), n, rate, 1 / 15.0, 1 / 3.0);
        float[][] channels = {left, right};
        for (int c = 0; c < 2; c++) {
            Dsp.Pink roar = new Dsp.Pink(random.split());
            Dsp.Pink gas = new Dsp.Pink(random.split());
            Dsp.Biquad lp = Dsp.Biquad.lowPass(350, 0.707, rate);
            Dsp.Biquad lp2 = Dsp.Biquad.lowPass(350, 0.707, rate);
            Dsp.Biquad hiss = Dsp.Biquad.highPass(3000, 0.707, rate);
            for (int i = 0; i < n; i++) {
                double low = lp2.process(lp.process(roar.next())) * (0.5 + 0.7 * flicker[i]) * 1.4;
                channels[c][i] = (float) (low + hiss.process(gas.next()) * 0.03 * (0.5 + life[i]));
            }
            SplittableRandom cr = random.split();
            double t = 0;
            double duration = n / (double) rate;
            Dsp.Biquad hp = Dsp.Biquad.highPass(1500, 0.707, rate);
            while (true) {
                int at = Math.min(n - 1, (int) (t * rate));
                t = Events.next(cr, t, 6 + 19 * life[at]);
                if (t >= duration) break;
                int start = (int) (t * rate);
                int cluster = cr.nextDouble() < 0.3 ? 2 + cr.nextInt(4) : 1;
                for (int k = 0; k < cluster; k++) {
                    int len = (int) (Events.logUniform(cr, 0.0002, 0.002) * rate) + 1;
                    double amp = 0.9 * Math.pow(10, -1.5 * cr.nextDouble());
                    int s0 = start + (int) (k * Events.logUniform(cr, 0.003, 0.03) * rate);
                    for (int i = 0; i < len * 4 && s0 + i < n; i++) {
                        double env = i < len ? 1 : Math.exp(-(i - len) / (0.3 * len + 1));
                        channels[c][s0 + i] += (float) (hp.process(Dsp.white(cr)) * amp * env);
                    }
                }
                if (cr.nextDouble() < 0.03) { // a pop of wood
                    double f = 400 + 1100 * cr.nextDouble();
                    double decay = 0.01 + 0.03 * cr.nextDouble();
                    for (int i = 0; i < decay * 5 * rate && start + i < n; i++) {
                        double tt = i / (double) rate;
                        channels[c][start + i] += (float) (0.8 * Math.exp(-tt / decay) * Math.sin(2 * Math.PI * f * tt) * (Dsp.white(cr) * 0.5 + 0.5));
                    }
                }
            }
        }
    }
}
