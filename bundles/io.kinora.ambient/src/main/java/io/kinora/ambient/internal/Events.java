package io.kinora.ambient.internal;

import java.util.SplittableRandom;

/** Helpers for sparse sound events layered over a bed: Poisson timing, placement in the stereo field. */
final class Events {
    private Events() {
    }

    /** Next event time after {@code t} for a Poisson process of {@code perSecond} events per second. */
    static double next(SplittableRandom r, double t, double perSecond) {
        return t - Math.log(1 - r.nextDouble()) / perSecond;
    }

    /** Constant-power gains {left, right} for a pan in [-1, 1]. */
    static double[] pan(double pan) {
        double theta = (Math.max(-1, Math.min(1, pan)) + 1) * Math.PI / 4;
        return new double[] {Math.cos(theta), Math.sin(theta)};
    }

    /** The largest time difference between the channels for a source at the side (a spaced microphone pair). */
    static final double MAX_ITD_SECONDS = 0.0012;

    /**
     * Adds a mono event into both channels at a pan, from sample {@code start}, clipped to the buffers. As with a
     * spaced pair of microphones, the far channel hears it later (up to {@link #MAX_ITD_SECONDS}) as well as quieter,
     * so point sources do not collapse the stereo image into one correlated signal.
     */
    static void add(float[] left, float[] right, int rate, int start, float[] event, double pan, double gain) {
        double[] g = pan(pan);
        int delay = (int) Math.round(Math.abs(pan) * MAX_ITD_SECONDS * rate);
        int ls = start + (pan > 0 ? delay : 0);
        int rs = start + (pan < 0 ? delay : 0);
        addInto(left, ls, event, g[0] * gain);
        addInto(right, rs, event, g[1] * gain);
    }

    private static void addInto(float[] out, int start, float[] event, double gain) {
        int n = Math.min(event.length, out.length - start);
        float g = (float) gain;
        for (int i = Math.max(0, -start); i < n; i++) out[start + i] += event[i] * g;
    }

    /** Log-uniform value between a and b. */
    static double logUniform(SplittableRandom r, double a, double b) {
        return a * Math.pow(b / a, r.nextDouble());
    }
}
