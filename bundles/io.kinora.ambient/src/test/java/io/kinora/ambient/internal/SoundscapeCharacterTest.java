package io.kinora.ambient.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kinora.api.ambient.Ambience;
import io.kinora.api.ambient.AmbienceRequest;
import io.kinora.api.media.RgbImage;
import io.kinora.api.scene.AmbienceSpec;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

/**
 * Each soundscape sounds like what it is named: measured spectrally and in time (band energies, spectral peaks,
 * pulsing, impulsiveness, frequency sweeps), and auto chooses from the image when the prompt says nothing.
 */
class SoundscapeCharacterTest {
    static final int RATE = 48_000;
    final AmbienceGeneratorImpl generator = new AmbienceGeneratorImpl(-30, 600);

    float[] left(String preset, double seconds, long seed) {
        Ambience a = generator.generate(new AmbienceRequest(new AmbienceSpec(preset, 0), "", seconds, RATE, seed));
        return Measure.channel(a.audio().samples(), 0);
    }

    /** Power spectra of consecutive Hann-windowed frames of {@code n} samples. */
    static double[][] stft(float[] x, int n) {
        int frames = x.length / n;
        double[][] out = new double[frames][n / 2];
        for (int f = 0; f < frames; f++) {
            double[] re = new double[n], im = new double[n];
            for (int i = 0; i < n; i++) re[i] = x[f * n + i] * (0.5 - 0.5 * Math.cos(2 * Math.PI * i / (n - 1)));
            Measure.fft(re, im);
            for (int k = 0; k < n / 2; k++) out[f][k] = re[k] * re[k] + im[k] * im[k];
        }
        return out;
    }

    static double band(double[] spectrum, int n, double lo, double hi) {
        double s = 0;
        for (int k = (int) Math.ceil(lo * n / RATE); k <= Math.min(spectrum.length - 1, (int) (hi * n / RATE)); k++) s += spectrum[k];
        return s;
    }

    static double bandFraction(float[] x, double lo, double hi) {
        double[][] s = stft(x, 4096);
        double in = 0, all = 0;
        for (double[] f : s) {
            in += band(f, 4096, lo, hi);
            all += band(f, 4096, 20, RATE / 2.0);
        }
        return in / all;
    }

    static double peakHz(double[] spectrum, int n, double lo, double hi) {
        int best = -1;
        for (int k = (int) Math.ceil(lo * n / RATE); k <= (int) (hi * n / RATE); k++) if (best < 0 || spectrum[k] > spectrum[best]) best = k;
        return best * (double) RATE / n;
    }

    static double percentile(double[] v, double p) {
        double[] c = v.clone();
        Arrays.sort(c);
        return c[(int) Math.min(c.length - 1, p * c.length)];
    }

    /** Kurtosis of the signal high-passed (first difference twice): large for clicks and crackles. */
    static double kurtosis(float[] x) {
        double m2 = 0, m4 = 0;
        int n = x.length - 2;
        for (int i = 0; i < n; i++) {
            double d = x[i + 2] - 2 * x[i + 1] + x[i];
            m2 += d * d;
            m4 += d * d * d * d;
        }
        m2 /= n;
        m4 /= n;
        return m4 / (m2 * m2);
    }

    @Test
    void forestBirdsChirpWithSweepsBetweenTwoAndSixKilohertz() {
        float[] x = left("forest", 12, 3);
        int n = 1024;
        double[][] s = stft(x, n);
        double[] birdBand = new double[s.length];
        for (int f = 0; f < s.length; f++) birdBand[f] = band(s[f], n, 2000, 6000);
        double median = percentile(birdBand, 0.5);
        int calls = 0, sweeping = 0;
        double prevPeak = -1;
        for (int f = 0; f < s.length; f++) {
            boolean call = birdBand[f] > 10 * median; // 10 dB above the rustling
            if (call) {
                calls++;
                double peak = peakHz(s[f], n, 1000, 12000);
                assertTrue(peak >= 1900 && peak <= 6600, "a call's strongest component lies in 2-6 kHz: " + peak);
                if (prevPeak > 0 && Math.abs(peak - prevPeak) > 90) sweeping++;
                prevPeak = peak;
            } else {
                prevPeak = -1;
            }
        }
        assertTrue(calls > 20, "bird calls in 12 s: " + calls + " frames");
        assertTrue(sweeping > calls / 6, "the pitch moves within calls (FM sweeps/trills): " + sweeping + " of " + calls);
    }

    @Test
    void nightInsectsArePulsedNarrowBandsBetweenFourAndEightKilohertz() {
        float[] x = left("night", 8, 4);
        int n = 256; // 5.3 ms: resolves the pulses
        double[][] s = stft(x, n);
        double[] env = new double[s.length];
        for (int f = 0; f < s.length; f++) env[f] = band(s[f], n, 3800, 8200);
        double onOff = 10 * Math.log10(percentile(env, 0.9) / percentile(env, 0.1));
        assertTrue(onOff > 15, "4-8 kHz band switches on and off (pulses): " + onOff + " dB");
        double[] longTerm = new double[2048];
        for (double[] f : stft(x, 4096)) for (int k = 0; k < 2048; k++) longTerm[k] += f[k];
        double mean = band(longTerm, 4096, 3800, 8200) / ((8200 - 3800) * 4096.0 / RATE);
        double peak = longTerm[(int) Math.round(peakHz(longTerm, 4096, 3800, 8200) * 4096 / RATE)];
        assertTrue(peak / mean > 20, "narrow-band carriers stand out of the band: " + 10 * Math.log10(peak / mean) + " dB");
        assertTrue(bandFraction(x, 3800, 8200) > 0.5, "most energy is the insects: " + bandFraction(x, 3800, 8200));
    }

    @Test
    void trafficIsALowRumbleWithCarsPassingAcrossTheStereoField() {
        Ambience a = generator.generate(new AmbienceRequest(new AmbienceSpec("traffic", 0), "", 20, RATE, 5));
        float[] l = Measure.channel(a.audio().samples(), 0), r = Measure.channel(a.audio().samples(), 1);
        assertTrue(Measure.spectralCentroid(l, RATE) < 450, "centroid " + Measure.spectralCentroid(l, RATE));
        assertTrue(bandFraction(l, 20, 400) > 0.6, "low rumble dominates: " + bandFraction(l, 20, 400));
        // cars pass: the left-right balance in the tyre band (500 Hz-2 kHz) swings from side to side
        l = tyreBand(l);
        r = tyreBand(r);
        int w = RATE / 4;
        double min = Double.MAX_VALUE, max = -Double.MAX_VALUE;
        for (int i = 0; i + w <= l.length; i += w) {
            double d = 20 * Math.log10(Measure.rms(l, i, w) / Measure.rms(r, i, w));
            min = Math.min(min, d);
            max = Math.max(max, d);
        }
        assertTrue(max - min > 6, "balance swings as cars pass: " + min + " .. " + max + " dB");
        // Doppler: higher while approaching, lower while receding, continuous through the closest point
        assertEquals(343 / (343 - 15.0), Traffic.doppler(15, -1e6, 10), 1e-6);
        assertEquals(343 / (343 + 15.0), Traffic.doppler(15, 1e6, 10), 1e-6);
        assertEquals(1.0, Traffic.doppler(15, 0, 10), 1e-12);
        assertEquals(1.0, Traffic.doppler(-15, 0, 10), 1e-12);
    }

    static float[] tyreBand(float[] x) {
        Dsp.Biquad hp = Dsp.Biquad.highPass(500, 0.707, RATE), lp = Dsp.Biquad.lowPass(2000, 0.707, RATE);
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) y[i] = (float) lp.process(hp.process(x[i]));
        return y;
    }

    @Test
    void cafeBabbleSitsInTheSpeechBandWithClinks() {
        float[] x = left("cafe", 12, 6);
        assertTrue(bandFraction(x, 150, 3500) > 0.7, "speech band: " + bandFraction(x, 150, 3500));
        int n = 512;
        double[][] s = stft(x, n);
        double[] high = new double[s.length];
        for (int f = 0; f < s.length; f++) high[f] = band(s[f], n, 4000, 12000);
        double median = percentile(high, 0.5);
        long clinkFrames = Arrays.stream(high).filter(v -> v > 30 * median).count();
        assertTrue(clinkFrames >= 2, "cups and glasses clink: " + clinkFrames);
    }

    @Test
    void fireCracklesOverALowRoar() {
        float[] x = left("fire", 10, 7);
        assertTrue(kurtosis(x) > 30, "impulsive crackles: kurtosis " + kurtosis(x));
        assertTrue(bandFraction(x, 20, 500) > 0.4, "roar: " + bandFraction(x, 20, 500));
        float[] room = left("room", 10, 7);
        assertTrue(kurtosis(room) < 5, "room tone is not impulsive: " + kurtosis(room));
    }

    @Test
    void streamBubblesInTheMidBand() {
        float[] x = left("stream", 10, 8);
        assertTrue(bandFraction(x, 300, 3500) > 0.5, "water band: " + bandFraction(x, 300, 3500));
        assertTrue(kurtosis(x) > 4, "bubbles are events, not steady noise: " + kurtosis(x));
        float[] rain = left("rain", 10, 8);
        assertTrue(Measure.spectralCentroid(x, RATE) < Measure.spectralCentroid(rain, RATE), "a brook is darker than rain");
    }

    @Test
    void oceanWavesBreak() {
        float[] x = left("ocean", 30, 9);
        int w = RATE / 2;
        double[] levels = new double[x.length / w];
        for (int i = 0; i < levels.length; i++) levels[i] = 20 * Math.log10(Measure.rms(x, i * w, w));
        assertTrue(percentile(levels, 0.95) - percentile(levels, 0.1) > 8, "surges and lulls: " + Arrays.toString(levels));
    }

    static RgbImage image(int w, int h, java.util.function.BiFunction<Integer, Integer, int[]> colour) {
        byte[] rgb = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int[] c = colour.apply(x, y);
                int o = (y * w + x) * 3;
                rgb[o] = (byte) c[0];
                rgb[o + 1] = (byte) c[1];
                rgb[o + 2] = (byte) c[2];
            }
        }
        return new RgbImage(w, h, rgb);
    }

    Ambience auto(String prompt, RgbImage image) {
        return generator.generate(new AmbienceRequest(AmbienceSpec.AUTO, prompt, 1, RATE, 1, image));
    }

    @Test
    void autoUsesTheImageWhenThePromptSaysNothingAndSaysSo() {
        String prompt = "Two people talk";
        RgbImage foliage = image(160, 90, (x, y) -> new int[] {40 + x % 30, 120 + y % 40, 40});
        RgbImage sea = image(160, 90, (x, y) -> y < 45 ? new int[] {200, 210, 230} : new int[] {20, 80, 160});
        RgbImage dark = image(160, 90, (x, y) -> new int[] {10, 12, 25});
        RgbImage campfire = image(160, 90, (x, y) -> Math.abs(x - 80) < 15 && y > 50 ? new int[] {240, 140, 30} : new int[] {20, 15, 15});
        RgbImage street = image(160, 90, (x, y) -> new int[] {120 + y % 20, 120 + y % 20, 125 + y % 20});
        assertEquals("forest", auto(prompt, foliage).preset(), auto(prompt, foliage).reason());
        assertTrue(auto(prompt, foliage).reason().contains("foliage green"), auto(prompt, foliage).reason());
        assertEquals("ocean", auto(prompt, sea).preset(), auto(prompt, sea).reason());
        assertEquals("night", auto(prompt, dark).preset(), auto(prompt, dark).reason());
        assertEquals("fire", auto(prompt, campfire).preset(), auto(prompt, campfire).reason());
        assertEquals("traffic", auto(prompt, street).preset(), auto(prompt, street).reason());
        // one prompt word outweighs the image; a word and the image together are stated together
        assertEquals("rain", auto("Two people talk in the rain", foliage).preset());
        assertEquals("forest: prompt mentions 'woods'; image shows 75 % foliage green".replace("75", ""),
                auto("A walk in the woods", foliage).reason().replaceAll("\\d+", ""));
        assertEquals("room", auto(prompt, null).preset());
    }
}
