package io.kinora.compositor.internal;

import io.kinora.api.media.AudioBuffer;
import io.kinora.api.media.StageException;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes audio as a RIFF/WAVE file: 48 kHz (band-limited resampling when the buffer has another rate), 24-bit
 * little-endian PCM (rounded, no dither), the buffer's own channel count. Samples beyond [-1, 1] are
 * clipped. The file is written beside the target under a hidden temporary name and moved into place.
 */
final class WavWriter {
    static final int RATE = 48_000;
    private static final int BYTES = 3;

    private WavWriter() {
    }

    static Path write(AudioBuffer audio, Path file) {
        if (audio == null) throw new StageException("no audio to write to " + file);
        if (file == null) throw new StageException("no WAV file name given");
        int ch = audio.channels();
        if (ch > 8) throw new StageException("cannot write " + ch + " channels to a WAV file (at most 8)");
        float[] samples = audio.samples();
        for (float v : samples) {
            if (!Float.isFinite(v)) throw new StageException("audio for " + file.getFileName() + " contains non-finite samples");
        }
        if (audio.sampleRate() != RATE) samples = resample(audio);
        long dataBytes = (long) samples.length * BYTES;
        if (dataBytes > 0xFFFF_FFFFL - 36) throw new StageException("audio is too long for a WAV file: " + audio);
        Path target = file.toAbsolutePath().normalize();
        Path dir = target.getParent();
        Path temp = dir.resolve("." + target.getFileName() + ".part");
        try {
            Files.createDirectories(dir);
            try (OutputStream out = Files.newOutputStream(temp)) {
                ByteBuffer h = ByteBuffer.allocate(44).order(ByteOrder.LITTLE_ENDIAN);
                h.put("RIFF".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt((int) (36 + dataBytes));
                h.put("WAVE".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                h.put("fmt ".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(16);
                h.putShort((short) 1).putShort((short) ch).putInt(RATE).putInt(RATE * ch * BYTES)
                        .putShort((short) (ch * BYTES)).putShort((short) (BYTES * 8));
                h.put("data".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt((int) dataBytes);
                out.write(h.array());
                byte[] chunk = new byte[BYTES * 8192];
                int pos = 0;
                for (float v : samples) {
                    int q = (int) Math.round(Math.max(-1.0, Math.min(1.0, v)) * 8_388_607.0);
                    chunk[pos++] = (byte) q;
                    chunk[pos++] = (byte) (q >> 8);
                    chunk[pos++] = (byte) (q >> 16);
                    if (pos == chunk.length) {
                        out.write(chunk);
                        pos = 0;
                    }
                }
                out.write(chunk, 0, pos);
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            return target;
        } catch (IOException | SecurityException e) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // nothing more to do
            }
            throw new StageException("cannot write WAV file " + target + ": " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"), e);
        }
    }

    private static float[] resample(AudioBuffer audio) {
        int ch = audio.channels();
        float[] src = audio.samples();
        float[][] planes = new float[ch][];
        Resampler r = new Resampler(audio.sampleRate(), RATE);
        int frames = -1;
        for (int c = 0; c < ch; c++) {
            float[] p = new float[audio.frames()];
            for (int n = 0; n < p.length; n++) p[n] = src[n * ch + c];
            planes[c] = r.process(p);
            frames = planes[c].length;
        }
        float[] out = new float[Math.max(0, frames) * ch];
        for (int n = 0; n < frames; n++) for (int c = 0; c < ch; c++) out[n * ch + c] = planes[c][n];
        return out;
    }
}
