package io.kinora.compositor.internal;

import static io.kinora.compositor.internal.TestSignals.sine;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ResamplerTest {

    /** Error of the resampled tone against the ideal tone at the output rate, in dB relative to the tone. */
    private static double errorDb(int inRate, int outRate, double freq) {
        float[] in = sine(freq, 1.0, inRate, 0.5);
        float[] out = Resampler.resample(in, inRate, outRate);
        assertEquals(Math.round(in.length * (double) outRate / inRate), out.length, 1.0);
        double err = 0, ref = 0;
        for (int n = outRate / 10; n < out.length - outRate / 10; n++) { // skip the edges (zero padding)
            double ideal = 0.5 * Math.sin(2 * Math.PI * freq * n / outRate);
            err += (out[n] - ideal) * (out[n] - ideal);
            ref += ideal * ideal;
        }
        return 10 * Math.log10(err / ref);
    }

    @ParameterizedTest
    @CsvSource({"16000,48000,1000", "22050,48000,3000", "44100,48000,10000", "24000,48000,7000", "48000,44100,15000",
            "8000,48000,3000"})
    void tonesInThePassBandComeThroughCleanly(int inRate, int outRate, double freq) {
        double e = errorDb(inRate, outRate, freq);
        assertTrue(e < -70, inRate + " -> " + outRate + " Hz at " + freq + " Hz: error " + e + " dB");
    }

    @Test
    void downSamplingRemovesWhatWouldAlias() {
        // 10 kHz cannot exist at 16 kHz: it must be filtered, not folded to 6 kHz
        float[] out = Resampler.resample(sine(10_000, 1.0, 48_000, 0.5), 48_000, 16_000);
        double folded = TestSignals.toneAmplitude(out, 1, 0, 16_000, 6_000, 0.1, 0.9);
        assertTrue(20 * Math.log10(folded / 0.5) < -80, "alias at " + 20 * Math.log10(folded / 0.5) + " dB");
        float[] pass = Resampler.resample(sine(1_000, 1.0, 48_000, 0.5), 48_000, 16_000);
        assertEquals(0.5, TestSignals.toneAmplitude(pass, 1, 0, 16_000, 1_000, 0.1, 0.9), 0.005);
    }

    @Test
    void upSamplingLeavesNoImages() {
        float[] out = Resampler.resample(sine(3_000, 1.0, 16_000, 0.5), 16_000, 48_000);
        double image = TestSignals.toneAmplitude(out, 1, 0, 48_000, 13_000, 0.1, 0.9); // 16k - 3k
        assertTrue(20 * Math.log10(image / 0.5) < -80, "image at " + 20 * Math.log10(image / 0.5) + " dB");
    }

    @Test
    void awkwardRatiosWithoutACoefficientTableWork() {
        double e = errorDb(47_999, 48_000, 1000);
        assertTrue(e < -70, "error " + e);
    }
}
