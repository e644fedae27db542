package io.kinora.provenance.internal.bmff;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Builds ISO-BMFF byte structures for tests, laid out as FFmpeg's mov muxer writes them. */
public final class Mp4Bytes {
    private Mp4Bytes() {
    }

    public static byte[] box(String type, byte[]... payload) {
        byte[] body = concat(payload);
        return concat(u32(8 + body.length), fourcc(type), body);
    }

    /** A box with a 64-bit largesize (size field 1). */
    public static byte[] largeBox(String type, byte[]... payload) {
        byte[] body = concat(payload);
        return concat(u32(1), fourcc(type), u64(16 + body.length), body);
    }

    public static byte[] fullBox(String type, int version, int flags, byte[]... payload) {
        return box(type, concat(u32((version << 24) | (flags & 0xffffff))), concat(payload));
    }

    public static byte[] uuidBox(UUID uuid, byte[]... payload) {
        ByteBuffer u = ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits());
        byte[] body = concat(payload);
        return concat(u32(8 + 16 + body.length), fourcc("uuid"), u.array(), body);
    }

    public static byte[] ftyp() {
        return box("ftyp", fourcc("isom"), u32(0x200), fourcc("isom"), fourcc("iso2"), fourcc("avc1"), fourcc("mp41"));
    }

    /** A C2PA box: FullBox(0,0), purpose + NUL, 8-byte merkle offset, then a small JUMBF superbox. */
    public static byte[] c2pa(String purpose) {
        byte[] jumd = box("jumd", new byte[16], new byte[] {3}, "c2pa\0".getBytes(StandardCharsets.US_ASCII));
        return uuidBox(C2paBox.UUID, u32(0), (purpose + "\0").getBytes(StandardCharsets.US_ASCII), u64(0), box("jumb", jumd));
    }

    /**
     * {@code meta} with {@code hdlr mdta}, {@code keys} and {@code ilst} as FFmpeg writes for
     * {@code -movflags use_metadata_tags}; {@code fullBox} chooses the ISO form (version/flags first, as FFmpeg
     * writes) or the QuickTime form (children first).
     */
    public static byte[] mdtaMeta(boolean fullBox, List<Map.Entry<String, String>> items) {
        byte[] hdlr = fullBox("hdlr", 0, 0, u32(0), fourcc("mdta"), new byte[12], new byte[] {0});
        List<byte[]> keys = new ArrayList<>();
        List<byte[]> ilst = new ArrayList<>();
        int index = 1;
        for (Map.Entry<String, String> e : items) {
            byte[] name = e.getKey().getBytes(StandardCharsets.UTF_8);
            keys.add(concat(u32(8 + name.length), fourcc("mdta"), name));
            byte[] data = box("data", u32(1), u32(0), e.getValue().getBytes(StandardCharsets.UTF_8));
            ilst.add(concat(u32(8 + data.length), u32(index++), data));
        }
        byte[] keysBox = fullBox("keys", 0, 0, u32(items.size()), concat(keys.toArray(new byte[0][])));
        byte[] ilstBox = box("ilst", concat(ilst.toArray(new byte[0][])));
        return fullBox ? fullBox("meta", 0, 0, hdlr, keysBox, ilstBox) : box("meta", hdlr, keysBox, ilstBox);
    }

    /** iTunes-style {@code meta} ({@code hdlr mdir}) with one item per four-character code. */
    public static byte[] mdirMeta(List<Map.Entry<String, String>> items) {
        byte[] hdlr = fullBox("hdlr", 0, 0, u32(0), fourcc("mdir"), fourcc("appl"), new byte[8], new byte[] {0});
        List<byte[]> ilst = new ArrayList<>();
        for (Map.Entry<String, String> e : items) {
            ilst.add(box(e.getKey(), box("data", u32(1), u32(0), e.getValue().getBytes(StandardCharsets.UTF_8))));
        }
        return fullBox("meta", 0, 0, hdlr, box("ilst", concat(ilst.toArray(new byte[0][]))));
    }

    /** A minimal moov: an mvhd-shaped placeholder plus udta holding {@code meta}. */
    public static byte[] moovWithUdta(byte[]... udtaChildren) {
        return box("moov", fullBox("mvhd", 0, 0, new byte[96]), box("udta", udtaChildren));
    }

    public static byte[] mdat(int bytes) {
        return box("mdat", new byte[bytes]);
    }

    public static byte[] u32(long v) {
        return ByteBuffer.allocate(4).putInt((int) v).array();
    }

    public static byte[] u64(long v) {
        return ByteBuffer.allocate(8).putLong(v).array();
    }

    public static byte[] fourcc(String t) {
        byte[] b = t.getBytes(StandardCharsets.ISO_8859_1);
        if (b.length != 4) throw new IllegalArgumentException(t);
        return b;
    }

    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }
}
