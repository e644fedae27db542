package io.kinora.api.media;

import java.util.Objects;

/**
 * PCM audio as 32-bit float samples in [-1, 1], interleaved by channel. The array is shared, not copied.
 */
public final class AudioBuffer {
    private final int sampleRate;
    private final int channels;
    private final float[] samples;

    public AudioBuffer(int sampleRate, int channels, float[] samples) {
        if (sampleRate <= 0) throw new IllegalArgumentException("sampleRate must be positive: " + sampleRate);
        if (channels <= 0) throw new IllegalArgumentException("channels must be positive: " + channels);
        Objects.requireNonNull(samples, "samples");
        if (samples.length % channels != 0) {
            throw new IllegalArgumentException("sample count " + samples.length + " is not a multiple of " + channels + " channels");
        }
        this.sampleRate = sampleRate;
        this.channels = channels;
        this.samples = samples;
    }

    public static AudioBuffer silence(int sampleRate, int channels, double seconds) {
        return new AudioBuffer(sampleRate, channels, new float[(int) Math.round(seconds * sampleRate) * channels]);
    }

    public int sampleRate() { return sampleRate; }

    public int channels() { return channels; }

    /** Interleaved samples (not a copy). */
    public float[] samples() { return samples; }

    /** Number of sample frames (samples per channel). */
    public int frames() { return samples.length / channels; }

    public double durationSeconds() { return frames() / (double) sampleRate; }

    @Override
    public String toString() {
        return "AudioBuffer[" + sampleRate + " Hz, " + channels + " ch, " + String.format(java.util.Locale.ROOT, "%.3f", durationSeconds()) + " s]";
    }
}
