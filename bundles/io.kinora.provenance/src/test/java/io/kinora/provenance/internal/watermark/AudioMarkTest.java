package io.kinora.provenance.internal.watermark;

import io.kinora.api.media.AudioBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class AudioMarkTest {
    static final AudioMark MARK = new AudioMark("audio-key");
    static final long PAYLOAD = 0x0123_4567_89ab_cdefL;

    static double snrDb(float[] host, float[] marked) {
        double s = 0;
        double e = 0;
        for (int i = 0; i < host.length; i++) {
            s += host[i] * (double) host[i];
            double d = marked[i] - host[i];
            e += d * d;
        }
        return 10 * Math.log10(s / e);
    }

    @Test
    void markIsAtLeast30dBBelowTheSoundAndReadsBack() {
        float[] voice = ClipDetectionTest.sound(48_000, 6.0);
        AudioBuffer in = new AudioBuffer(48_000, 1, voice);
        float[] copy = voice.clone();
        AudioBuffer out = MARK.mark(in, PAYLOAD);
        assertArrayEquals(copy, voice, "input not modified");
        double snr = snrDb(voice, out.samples());
        System.out.printf("audio watermark SNR %.2f dB%n", snr);
        assertTrue(snr >= 30.0, "SNR " + snr);
        AudioMark.Detection d = MARK.detect(out.samples());
        System.out.println("clean: " + d);
        assertTrue(d.found(), d.toString());
        assertEquals(PAYLOAD, d.payload());
        assertEquals(0, d.offset());
        // delayed by AAC-like priming (1024 samples) and a few more
        float[] late = new float[voice.length + 2112];
        System.arraycopy(out.samples(), 0, late, 2112, voice.length);
        AudioMark.Detection dl = MARK.detect(late);
        assertTrue(dl.found(), dl.toString());
        assertEquals(2112, dl.offset());
        assertFalse(MARK.detect(voice).found());
        assertFalse(new AudioMark("other-key").detect(out.samples()).found());
    }

    @Test
    void stereoGetsTheSameMarkOnBothChannelsAndIsDeterministic() {
        float[] mono = ClipDetectionTest.sound(48_000, 6.0);
        float[] st = new float[mono.length * 2];
        for (int i = 0; i < mono.length; i++) {
            st[2 * i] = mono[i];
            st[2 * i + 1] = mono[i] * 0.5f;
        }
        AudioBuffer a = MARK.mark(new AudioBuffer(48_000, 2, st), PAYLOAD);
        AudioBuffer b = MARK.mark(new AudioBuffer(48_000, 2, st.clone()), PAYLOAD);
        assertArrayEquals(a.samples(), b.samples());
        float[] ml = new float[mono.length];
        for (int i = 0; i < mono.length; i++) {
            assertEquals(a.samples()[2 * i] - st[2 * i], a.samples()[2 * i + 1] - st[2 * i + 1], 1e-6f);
            ml[i] = (a.samples()[2 * i] + a.samples()[2 * i + 1]) / 2;
        }
        assertEquals(PAYLOAD, MARK.detect(ml).payload());
    }

    @Test
    void silenceStaysSilentAndOtherRatesAreRefused() {
        AudioBuffer s = AudioBuffer.silence(48_000, 1, 6);
        for (float v : MARK.mark(s, PAYLOAD).samples()) assertEquals(0f, v);
        assertFalse(MARK.detect(new float[48_000 * 6]).found());
        assertFalse(AudioMark.supports(AudioBuffer.silence(44_100, 1, 1)));
        assertThrows(IllegalArgumentException.class, () -> MARK.mark(AudioBuffer.silence(44_100, 1, 1), PAYLOAD));
    }
}
