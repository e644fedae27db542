package io.kinora.provenance.internal.watermark;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** The 64-bit watermark payload (from the content id) and its CRC-24 (OpenPGP polynomial) protected code word. */
public final class Payload {
    private Payload() {
    }

    /** The payload that identifies a content id: the first 64 bits of SHA-256("kinora-content:" + id). */
    public static long forContent(String contentId) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(("kinora-content:" + contentId).getBytes(StandardCharsets.UTF_8));
            long v = 0;
            for (int i = 0; i < 8; i++) v = (v << 8) | (h[i] & 0xff);
            return v;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String hex(long payload) {
        return String.format("%016x", payload);
    }

    static int crc24(long payload) {
        int crc = 0xB704CE;
        for (int i = 7; i >= 0; i--) {
            crc ^= (int) ((payload >>> (8 * i)) & 0xff) << 16;
            for (int k = 0; k < 8; k++) {
                crc <<= 1;
                if ((crc & 0x1000000) != 0) crc ^= 0x1864CFB;
            }
        }
        return crc & 0xFFFFFF;
    }

    /** 64 payload bits (MSB first) then 24 CRC bits. */
    static boolean[] encode(long payload) {
        boolean[] b = new boolean[LumaMark.CODE_BITS];
        for (int i = 0; i < 64; i++) b[i] = ((payload >>> (63 - i)) & 1) != 0;
        int crc = crc24(payload);
        for (int i = 0; i < 24; i++) b[64 + i] = ((crc >>> (23 - i)) & 1) != 0;
        return b;
    }

    /** The payload if the code word's CRC checks, else null. */
    static Long decode(boolean[] b) {
        long p = 0;
        for (int i = 0; i < 64; i++) p = (p << 1) | (b[i] ? 1 : 0);
        int crc = 0;
        for (int i = 0; i < 24; i++) crc = (crc << 1) | (b[64 + i] ? 1 : 0);
        return crc24(p) == crc ? p : null;
    }
}
