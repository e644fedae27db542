package io.kinora.voice.internal.freetts;

import com.sun.speech.freetts.audio.AudioPlayer;

import javax.sound.sampled.AudioFormat;
import java.util.Arrays;

/**
 * A FreeTTS {@link AudioPlayer} that keeps the synthesized 16-bit PCM in memory instead of opening a sound
 * device. Used by one synthesis at a time (its owner serializes access).
 */
final class CapturingAudioPlayer implements AudioPlayer {
    private AudioFormat format;
    private float volume = 1f;
    private byte[] bytes = new byte[64 * 1024];
    private int size;

    /** Forgets what was captured. */
    void clear() {
        size = 0;
    }

    /** Number of 16-bit samples captured so far. */
    int samplesCaptured() {
        return size / 2;
    }

    /** The captured samples as floats in [-1, 1), honouring the byte order FreeTTS announced. */
    float[] samples() {
        boolean bigEndian = format == null || format.isBigEndian();
        int n = size / 2;
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            int hi = bigEndian ? bytes[2 * i] : bytes[2 * i + 1];
            int lo = (bigEndian ? bytes[2 * i + 1] : bytes[2 * i]) & 0xff;
            out[i] = (short) ((hi << 8) | lo) / 32768f;
        }
        return out;
    }

    /** The sample rate FreeTTS announced for the last utterance, or 0 before any. */
    int sampleRate() {
        return format == null ? 0 : Math.round(format.getSampleRate());
    }

    @Override
    public void setAudioFormat(AudioFormat format) {
        if (format.getSampleSizeInBits() != 16 || format.getChannels() != 1
                || format.getEncoding() != AudioFormat.Encoding.PCM_SIGNED) {
            throw new IllegalStateException("FreeTTS announced an unsupported audio format: " + format);
        }
        this.format = format;
    }

    @Override
    public AudioFormat getAudioFormat() {
        return format;
    }

    @Override
    public boolean write(byte[] audioData) {
        return write(audioData, 0, audioData.length);
    }

    @Override
    public boolean write(byte[] audioData, int offset, int length) {
        if (size + length > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + length));
        }
        System.arraycopy(audioData, offset, bytes, size, length);
        size += length;
        return true;
    }

    @Override
    public void begin(int size) {
        // utterance boundaries are tracked by the timing collector; nothing to open
    }

    @Override
    public boolean end() {
        return true;
    }

    @Override
    public boolean drain() {
        return true;
    }

    @Override
    public void pause() {
    }

    @Override
    public void resume() {
    }

    @Override
    public void reset() {
    }

    @Override
    public void cancel() {
    }

    @Override
    public void close() {
    }

    @Override
    public float getVolume() {
        return volume;
    }

    @Override
    public void setVolume(float volume) {
        this.volume = volume;
    }

    @Override
    public long getTime() {
        return 0;
    }

    @Override
    public void resetTime() {
    }

    @Override
    public void startFirstSampleTimer() {
    }

    @Override
    public void showMetrics() {
    }
}
