package io.kinora.ambient.internal;

import java.util.SplittableRandom;

/**
 * City traffic: the low rumble of a city (pink noise low-passed at 160 Hz, slowly swelling, with a faint
 * 300 Hz-2 kHz wash of distant tyres) and cars passing by, one every 2-7 s. A car drives along a straight road at
 * 8-20 m/s, 4-25 m from the listener: its engine (a harmonic tone of 25-45 Hz firing frequency, five partials) and
 * tyre noise (noise band-passed around 900 Hz) are Doppler-shifted by the car's radial speed
 * ({@code f' = f c / (c + v x / r)}), fall off with 1/r, and pan from one side to the other as it passes.
 */
final class Traffic implements Soundscape {
    private static final double SPEED_OF_SOUND = 343;

    @Override
    public String name() {
        return "traffic";
    }

    @Override
    public void render(float[] left, float[] right, int rate, SplittableRandom random) {
        int n = left.length;
        double[] swell = Dsp.slowContour(random.split(), n, rate, 1 / 25.0, 1 / 5.0);
        float[][] channels = {left, right};
        for (int c = 0; c < 2; c++) {
            Dsp.Pink rumble = new Dsp.Pink(random.split());
            Dsp.Pink wash = new Dsp.Pink(random.split());
            Dsp.Biquad lp = Dsp.Biquad.lowPass(160, 0.707, rate);
            Dsp.Biquad lp2 = Dsp.Biquad.lowPass(160, 0.707, rate);
            Dsp.Biquad bh = Dsp.Biquad.highPass(300, 0.707, rate);
            Dsp.Biquad bl = Dsp.Biquad.lowPass(2000, 0.707, rate);
            for (int i = 0; i < n; i++) {
                double low = lp2.process(lp.process(rumble.next())) * (0.7 + 0.6 * swell[i]);
                double tyres = bl.process(bh.process(wash.next())) * 0.08 * (0.5 + swell[i]);
                channels[c][i] = (float) (low * 0.9 + tyres);
            }
        }
        SplittableRandom cars = random.split();
        double duration = n / (double) rate;
        double t = -2 + cars.nextDouble() * 3;
        while (t < duration) {
            pass(left, right, rate, cars, t);
            t = Events.next(cars, t + 1.5, 1 / 3.0);
        }
    }

    /**
     * Frequency factor heard from a source moving along a straight road with velocity {@code v} (m/s, signed), at
     * position {@code x} along it and {@code d} from the listener: {@code c / (c + dr/dt)} with
     * {@code dr/dt = v x / r}; above 1 while it approaches, below 1 as it recedes.
     */
    static double doppler(double v, double x, double d) {
        double r = Math.hypot(x, d);
        return SPEED_OF_SOUND / (SPEED_OF_SOUND + v * x / r);
    }

    /** One car whose closest approach is 3 s after {@code t0}. */
    private static void pass(float[] left, float[] right, int rate, SplittableRandom r, double t0) {
        double v = 8 + 12 * r.nextDouble();
        double d = 4 + 21 * r.nextDouble();
        int direction = r.nextBoolean() ? 1 : -1;
        double firing = 25 + 20 * r.nextDouble();
        double gain = 0.6 + 0.6 * r.nextDouble();
        double closest = t0 + 3;
        int from = Math.max(0, (int) (t0 * rate));
        int to = Math.min(left.length, (int) ((t0 + 6) * rate));
        Dsp.Biquad tyre = Dsp.Biquad.bandPass(900, 0.8, rate);
        Dsp.Biquad tyre2 = Dsp.Biquad.bandPass(900, 0.8, rate);
        double phase = 0;
        for (int i = from; i < to; i++) {
            double t = i / (double) rate;
            double x = direction * v * (t - closest);
            double dist = Math.hypot(x, d);
            double doppler = doppler(direction * v, x, d);
            if (i % 32 == 0) {
                tyre.setBandPass(900 * doppler, 0.8, rate);
                tyre2.setBandPass(900 * doppler, 0.8, rate);
            }
            phase += 2 * Math.PI * firing * doppler / rate;
            double engine = 0;
            for (int h = 1; h <= 5; h++) engine += Math.sin(h * phase + h) / h;
            double noise = tyre2.process(tyre.process(Dsp.white(r)));
            double fade = Math.min(1, Math.min((t - t0) / 0.5, (t0 + 6 - t) / 0.5));
            double level = gain * Math.max(0, fade) * 10 / (1 + dist);
            double s = level * (0.35 * engine + 1.6 * noise);
            double pan = x / dist * 0.9;
            double theta = (pan + 1) * Math.PI / 4;
            left[i] += (float) (s * Math.cos(theta));
            right[i] += (float) (s * Math.sin(theta));
        }
    }
}
