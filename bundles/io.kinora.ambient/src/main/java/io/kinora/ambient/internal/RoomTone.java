package io.kinora.ambient.internal;

import java.util.SplittableRandom;

/**
 * Room tone: pink noise low-passed at 300 Hz (the rumble of a building, ventilation and distant traffic)
 * with a faint air band low-passed at 4 kHz, 24 dB below. A fifth of the power is common to both channels.
 */
final class RoomTone implements Soundscape {
    @Override
    public String name() {
        return "room";
    }

    @Override
    public void render(float[] left, float[] right, int rate, SplittableRandom random) {
        Dsp.Pink common = new Dsp.Pink(random.split());
        Dsp.Biquad commonLow = Dsp.Biquad.lowPass(300, 0.707, rate);
        float[][] channels = {left, right};
        Dsp.Pink[] own = {new Dsp.Pink(random.split()), new Dsp.Pink(random.split())};
        Dsp.Pink[] air = {new Dsp.Pink(random.split()), new Dsp.Pink(random.split())};
        Dsp.Biquad[][] low = new Dsp.Biquad[2][];
        Dsp.Biquad[] airLow = new Dsp.Biquad[2];
        for (int c = 0; c < 2; c++) {
            low[c] = new Dsp.Biquad[]{Dsp.Biquad.lowPass(300, 0.707, rate), Dsp.Biquad.lowPass(300, 0.707, rate)};
            airLow[c] = Dsp.Biquad.lowPass(4000, 0.707, rate);
        }
        Dsp.Biquad commonLow2 = Dsp.Biquad.lowPass(300, 0.707, rate);
        for (int i = 0; i < left.length; i++) {
            double shared = commonLow2.process(commonLow.process(common.next()));
            for (int c = 0; c < 2; c++) {
                double rumble = low[c][1].process(low[c][0].process(own[c].next()));
                double hiss = airLow[c].process(air[c].next());
                channels[c][i] = (float) (0.45 * shared + 0.89 * rumble + 0.063 * hiss);
            }
        }
    }
}
