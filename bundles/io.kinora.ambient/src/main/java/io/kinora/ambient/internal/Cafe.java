package io.kinora.ambient.internal;

import java.util.SplittableRandom;

/**
 * Café / crowd murmur: babble of 10 talkers, each speaking in syllables (4-6 per second, in phrases with pauses):
 * a syllable is a voiced source (a pulse-rich tone at the talker's pitch, 90-240 Hz) or, one time in four, a noise
 * burst, shaped by two formant band-passes whose frequencies (F1 300-850 Hz, F2 900-2400 Hz) change with every
 * vowel. Talkers sit at their own places and distances; a room bed lies under them, and cups, spoons and glasses
 * clink now and then (three inharmonic partials between 2 and 7 kHz ringing for 60-400 ms).
 */
final class Cafe implements Soundscape {
    private static final int TALKERS = 10;
    private static final int CONTROL_BLOCK = 128;

    @Override
    public String name() {
        return "cafe";
    }

    @Override
    public void render(float[] left, float[] right, int rate, SplittableRandom random) {
        int n = left.length;
        float[][] channels = {left, right};
        for (int c = 0; c < 2; c++) {
            Dsp.Pink pink = new Dsp.Pink(random.split());
            Dsp.Biquad lp = Dsp.Biquad.lowPass(400, 0.707, rate);
            for (int i = 0; i < n; i++) channels[c][i] = (float) (lp.process(pink.next()) * 0.25);
        }
        SplittableRandom talkers = random.split();
        float[] voice = new float[n];
        for (int k = 0; k < TALKERS; k++) {
            talker(voice, rate, talkers.split());
            double pan = talkers.nextDouble() * 1.8 - 0.9;
            double gain = 0.25 + 0.75 * talkers.nextDouble();
            Events.add(left, right, rate, 0, voice, pan, gain);
            java.util.Arrays.fill(voice, 0f);
        }
        SplittableRandom clinks = random.split();
        double duration = n / (double) rate;
        double t = Events.next(clinks, 0, 0.4);
        while (t < duration) {
            float[] clink = clink(rate, clinks);
            Events.add(left, right, rate, (int) (t * rate), clink, clinks.nextDouble() * 1.6 - 0.8, 0.08 + 0.25 * clinks.nextDouble());
            t = Events.next(clinks, t, 0.4);
        }
    }

    static void talker(float[] out, int rate, SplittableRandom r) {
        int n = out.length;
        double pitch = 90 + 150 * r.nextDouble();
        Dsp.Biquad f1 = Dsp.Biquad.bandPass(500, 4, rate);
        Dsp.Biquad f2 = Dsp.Biquad.bandPass(1500, 6, rate);
        double phase = 0;
        int i = (int) (r.nextDouble() * rate);
        while (i < n) {
            // a phrase of 3-14 syllables, then a pause
            int syllables = 3 + r.nextInt(12);
            for (int s = 0; s < syllables && i < n; s++) {
                double len = 0.14 + 0.12 * r.nextDouble();
                int samples = (int) (len * rate);
                boolean voiced = r.nextDouble() < 0.75;
                double a1 = 300 + 550 * r.nextDouble();
                double a2 = 900 + 1500 * r.nextDouble();
                double glide = 1 + (r.nextDouble() - 0.5) * 0.2;
                f1.setBandPass(a1, 4, rate);
                f2.setBandPass(a2, 6, rate);
                for (int k = 0; k < samples && i + k < n; k++) {
                    double x = k / (double) samples;
                    if (k % CONTROL_BLOCK == 0) {
                        f1.setBandPass(a1 * (1 + (glide - 1) * x), 4, rate);
                        f2.setBandPass(a2 * (1 + (glide - 1) * x), 6, rate);
                    }
                    double src;
                    if (voiced) {
                        phase += pitch * (1 + 0.32 * x * (1 - x)) / rate; // in cycles; intonation rises and falls
                        if (phase >= 1) phase -= 1;
                        src = 2 * phase - 1; // a buzz with every harmonic
                    } else {
                        src = Dsp.white(r) * 0.7;
                    }
                    double env = 4 * x * (1 - x);
                    out[i + k] += (float) ((f1.process(src) + f2.process(src) * 0.6) * env * 0.5);
                }
                i += samples + (int) (r.nextDouble() * 0.05 * rate);
            }
            i += (int) ((0.3 + 1.5 * r.nextDouble()) * rate);
        }
    }

    static float[] clink(int rate, SplittableRandom r) {
        double decay = Events.logUniform(r, 0.06, 0.4);
        int len = (int) (decay * 5 * rate);
        float[] out = new float[len];
        double base = Events.logUniform(r, 2000, 4500);
        double[] ratio = {1, 1.5 + 0.3 * r.nextDouble(), 2.2 + 0.5 * r.nextDouble()};
        for (int p = 0; p < 3; p++) {
            // a decaying phasor: rotate and shrink each sample (no transcendental function per sample)
            double w = 2 * Math.PI * base * ratio[p] / rate;
            double c = Math.cos(w), s = Math.sin(w), k = Math.exp(-(1 + p) / (decay * rate));
            double re = 1.0 / (1 + p), im = 0;
            for (int i = 0; i < len; i++) {
                out[i] += (float) (im * Math.min(1, i / (0.0003 * rate)));
                double nr = (re * c - im * s) * k;
                im = (re * s + im * c) * k;
                re = nr;
            }
        }
        return out;
    }
}
