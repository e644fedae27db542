package io.kinora.voice.internal.espeak;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Reads the 16-bit PCM mono WAV espeak-ng writes to stdout (its RIFF and data sizes are placeholders there). */
final class WavReader {
    final int sampleRate;
    final float[] samples;

    private WavReader(int sampleRate, float[] samples) {
        this.sampleRate = sampleRate;
        this.samples = samples;
    }

    static WavReader read(byte[] wav) {
        ByteBuffer b = ByteBuffer.wrap(wav).order(ByteOrder.LITTLE_ENDIAN);
        if (wav.length < 12 || b.getInt(0) != 0x46464952 || b.getInt(8) != 0x45564157) {
            throw new IllegalArgumentException("espeak-ng did not write a WAV file (" + wav.length + " bytes)");
        }
        int pos = 12;
        int rate = 0;
        int channels = 0;
        int bits = 0;
        while (pos + 8 <= wav.length) {
            int id = b.getInt(pos);
            int size = b.getInt(pos + 4);
            if (id == 0x20746d66) { // "fmt "
                channels = b.getShort(pos + 10);
                rate = b.getInt(pos + 12);
                bits = b.getShort(pos + 22);
            } else if (id == 0x61746164) { // "data": to the end of the stream
                if (channels != 1 || bits != 16 || rate <= 0) {
                    throw new IllegalArgumentException("unexpected WAV format from espeak-ng: " + channels
                            + " channels, " + bits + " bits, " + rate + " Hz");
                }
                int from = pos + 8;
                int n = (wav.length - from) / 2;
                float[] out = new float[n];
                for (int i = 0; i < n; i++) {
                    out[i] = b.getShort(from + 2 * i) / 32768f;
                }
                return new WavReader(rate, out);
            }
            if (size < 0 || pos + 8L + size > wav.length) break;
            pos += 8 + size + (size & 1);
        }
        throw new IllegalArgumentException("espeak-ng's WAV output has no data chunk");
    }
}
