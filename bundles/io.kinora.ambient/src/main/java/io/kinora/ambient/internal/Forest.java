package io.kinora.ambient.internal;

import java.util.SplittableRandom;

/**
 * Forest with birds: leaves rustling (high-passed pink noise swelling with a breeze) over a quiet low bed, and
 * bird calls. Three birds per seed, each with its own song: a phrase of 2-9 chirps, every chirp an FM sweep inside
 * 2-6 kHz (up, down or a trill with 20-40 Hz vibrato), 30-160 ms long, with a soft sin-squared envelope and a weak
 * second harmonic. Each bird has its place in the stereo field and its distance (level and air absorption).
 */
final class Forest implements Soundscape {
    @Override
    public String name() {
        return "forest";
    }

    private record Bird(double low, double high, int shape, double chirpSeconds, double gapSeconds, int minChirps,
                        int maxChirps, double songsPerSecond, double pan, double gain, double vibratoHz) {
    }

    @Override
    public void render(float[] left, float[] right, int rate, SplittableRandom random) {
        int n = left.length;
        double[] breeze = Dsp.slowContour(random.split(), n, rate, 1 / 20.0, 1 / 3.0);
        float[][] channels = {left, right};
        for (int c = 0; c < 2; c++) {
            Dsp.Pink leaves = new Dsp.Pink(random.split());
            Dsp.Pink ground = new Dsp.Pink(random.split());
            Dsp.Biquad hp = Dsp.Biquad.highPass(1200, 0.707, rate);
            Dsp.Biquad lp = Dsp.Biquad.lowPass(7000, 0.707, rate);
            Dsp.Biquad low = Dsp.Biquad.lowPass(250, 0.707, rate);
            for (int i = 0; i < n; i++) {
                double rustle = lp.process(hp.process(leaves.next())) * (0.1 + 0.35 * breeze[i] * breeze[i]);
                channels[c][i] = (float) (rustle + low.process(ground.next()) * 0.2);
            }
        }
        SplittableRandom songs = random.split();
        double duration = n / (double) rate;
        for (int b = 0; b < 3; b++) {
            double low = 2000 + 2500 * songs.nextDouble();
            double high = Math.min(6000, low + 600 + 2000 * songs.nextDouble());
            Bird bird = new Bird(low, high, songs.nextInt(3), 0.03 + 0.13 * songs.nextDouble(), 0.03 + 0.12 * songs.nextDouble(),
                    2 + songs.nextInt(3), 4 + songs.nextInt(6), 0.12 + 0.3 * songs.nextDouble(), songs.nextDouble() * 1.6 - 0.8,
                    0.25 + 0.75 * songs.nextDouble(), 20 + 20 * songs.nextDouble());
            double t = songs.nextDouble() * 2;
            while (t < duration) {
                t = sing(left, right, rate, songs, bird, t);
                t = Events.next(songs, t, bird.songsPerSecond());
            }
        }
    }

    /** One song (a phrase of chirps) starting at t; returns the time it ends. */
    private static double sing(float[] left, float[] right, int rate, SplittableRandom r, Bird bird, double t) {
        int chirps = bird.minChirps() + r.nextInt(bird.maxChirps() - bird.minChirps() + 1);
        double loud = bird.gain() * (0.6 + 0.4 * r.nextDouble());
        for (int k = 0; k < chirps; k++) {
            double len = bird.chirpSeconds() * (0.8 + 0.4 * r.nextDouble());
            int samples = (int) (len * rate);
            float[] chirp = new float[samples];
            double phase = 0;
            double a = bird.low() + (bird.high() - bird.low()) * 0.1 * r.nextDouble();
            double z = bird.high() - (bird.high() - bird.low()) * 0.1 * r.nextDouble();
            for (int i = 0; i < samples; i++) {
                double x = i / (double) samples;
                double f = switch (bird.shape()) {
                    case 0 -> z + (a - z) * x;                                         // falling sweep
                    case 1 -> a + (z - a) * x * x;                                     // rising whistle
                    default -> (a + z) / 2 + (z - a) / 2 * Math.sin(2 * Math.PI * bird.vibratoHz() * i / rate); // trill
                };
                phase += 2 * Math.PI * f / rate;
                double env = Math.pow(Math.sin(Math.PI * x), 2);
                chirp[i] = (float) (env * (Math.sin(phase) + 0.15 * Math.sin(2 * phase)));
            }
            Events.add(left, right, rate, (int) (t * rate), chirp, bird.pan(), 0.5 * loud);
            t += len + bird.gapSeconds() * (0.7 + 0.6 * r.nextDouble());
        }
        return t;
    }
}
