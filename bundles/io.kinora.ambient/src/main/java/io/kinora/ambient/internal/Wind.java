package io.kinora.ambient.internal;

import java.util.SplittableRandom;

/**
 * Wind: white noise through a band-pass whose centre (250-900 Hz) and level follow a slow gust contour
 * (periods of 4-30 s), over a low rumble that swells with the gusts. The right channel hears each gust
 * 120 ms after the left, so gusts sweep across the picture.
 */
final class Wind implements Soundscape {
    private static final int CONTROL_BLOCK = 32;

    @Override
    public String name() {
        return "wind";
    }

    @Override
    public void render(float[] left, float[] right, int rate, SplittableRandom random) {
        int n = left.length;
        int lag = (int) Math.round(0.120 * rate);
        double[] gust = Dsp.slowContour(random.split(), n + lag, rate, 1 / 30.0, 1 / 4.0);
        float[][] channels = {left, right};
        for (int c = 0; c < 2; c++) {
            SplittableRandom noise = random.split();
            Dsp.Pink pink = new Dsp.Pink(random.split());
            Dsp.Biquad band = Dsp.Biquad.bandPass(500, 1.2, rate);
            Dsp.Biquad band2 = Dsp.Biquad.bandPass(500, 1.2, rate);
            Dsp.Biquad rumble = Dsp.Biquad.lowPass(120, 0.707, rate);
            int offset = c == 0 ? lag : 0; // left leads
            double g = 0;
            for (int i = 0; i < n; i++) {
                if (i % CONTROL_BLOCK == 0) {
                    g = gust[i + offset];
                    double centre = 250 + 650 * g * g;
                    band.setBandPass(centre, 1.2, rate);
                    band2.setBandPass(centre * 1.02, 1.2, rate);
                }
                double level = 0.15 + 0.85 * g * Math.sqrt(g);
                double whoosh = band2.process(band.process(Dsp.white(noise)));
                double low = rumble.process(pink.next());
                channels[c][i] = (float) (level * whoosh * 3.0 + (0.3 + 0.7 * g) * low * 0.8);
            }
        }
    }
}
