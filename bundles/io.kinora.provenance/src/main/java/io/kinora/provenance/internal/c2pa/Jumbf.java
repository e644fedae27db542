package io.kinora.provenance.internal.c2pa;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * JUMBF (ISO/IEC 19566-5) as C2PA uses it: superboxes ({@code jumb}) made of a description box ({@code jumd}:
 * type UUID, toggles, label) followed by content boxes ({@code cbor}, {@code json}, nested {@code jumb}).
 * Writing builds exact bytes; parsing checks every size against its parent and never trusts a length.
 */
public final class Jumbf {
    /** C2PA JUMBF type UUIDs: four characters followed by {@code -0011-0010-8000-00AA00389B71}. */
    public static final UUID STORE = c2pa("c2pa");
    public static final UUID MANIFEST = c2pa("c2ma");
    public static final UUID UPDATE_MANIFEST = c2pa("c2um");
    public static final UUID ASSERTIONS = c2pa("c2as");
    public static final UUID CLAIM = c2pa("c2cl");
    public static final UUID SIGNATURE = c2pa("c2cs");
    public static final UUID CBOR = c2pa("cbor");
    public static final UUID JSON = c2pa("json");
    /** Toggles: requestable + label present (C2PA §11.1.4.1). */
    public static final int TOGGLES = 0x03;
    private static final int MAX_DEPTH = 16;

    private Jumbf() {
    }

    static UUID c2pa(String fourcc) {
        byte[] b = fourcc.getBytes(StandardCharsets.US_ASCII);
        long msb = ((long) (b[0] & 0xff) << 56) | ((long) (b[1] & 0xff) << 48) | ((long) (b[2] & 0xff) << 40) | ((long) (b[3] & 0xff) << 32)
                | 0x0011_0010L;
        return new UUID(msb, 0x8000_00AA_0038_9B71L);
    }

    // ---- writing ---------------------------------------------------------------------------------------------

    public static byte[] box(String type, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(8 + payload.length);
        b.putInt(8 + payload.length).put(type.getBytes(StandardCharsets.ISO_8859_1)).put(payload);
        return b.array();
    }

    public static byte[] description(UUID type, String label) {
        byte[] l = label.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(16 + 1 + l.length + 1);
        b.putLong(type.getMostSignificantBits()).putLong(type.getLeastSignificantBits()).put((byte) TOGGLES).put(l).put((byte) 0);
        return box("jumd", b.array());
    }

    /** A {@code jumb} superbox: description then the given content boxes. */
    public static byte[] superbox(UUID type, String label, byte[]... contents) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(description(type, label));
        for (byte[] c : contents) out.writeBytes(c);
        return box("jumb", out.toByteArray());
    }

    /** An assertion superbox holding one {@code cbor} content box. */
    public static byte[] cborAssertion(String label, byte[] cbor) {
        return superbox(CBOR, label, box("cbor", cbor));
    }

    // ---- parsing ---------------------------------------------------------------------------------------------

    /** A parsed box: its type and payload range in {@code data}. */
    public record RawBox(String type, byte[] data, int offset, int size) {
        public int payloadOffset() { return offset + 8; }

        public int payloadSize() { return size - 8; }

        public byte[] payload() {
            byte[] p = new byte[payloadSize()];
            System.arraycopy(data, payloadOffset(), p, 0, p.length);
            return p;
        }
    }

    /**
     * A parsed superbox: its description and content boxes; {@code children} holds the nested superboxes.
     * {@code contentHash} input (C2PA hashed URIs) is {@link #contents()}: the superbox's payload.
     */
    public record SuperBox(UUID type, String label, RawBox box, List<RawBox> contentBoxes, List<SuperBox> children) {
        public byte[] contents() { return box.payload(); }

        public SuperBox child(String childLabel) {
            for (SuperBox c : children) if (c.label().equals(childLabel)) return c;
            return null;
        }

        /** The payload of the first content box of {@code boxType} ({@code cbor}, {@code json}), or null. */
        public byte[] content(String boxType) {
            for (RawBox b : contentBoxes) if (b.type().equals(boxType)) return b.payload();
            return null;
        }
    }

    /** Parses the superbox at the start of {@code data}; trailing bytes are ignored. */
    public static SuperBox parse(byte[] data) throws JumbfException {
        List<RawBox> top = boxes(data, 0, data.length, "manifest store");
        if (top.isEmpty() || !top.get(0).type().equals("jumb")) throw new JumbfException("the manifest store does not start with a JUMBF superbox ('jumb')");
        return superbox(top.get(0), 0);
    }

    private static SuperBox superbox(RawBox jumb, int depth) throws JumbfException {
        if (depth > MAX_DEPTH) throw new JumbfException("JUMBF superboxes nested more than " + MAX_DEPTH + " deep");
        List<RawBox> inner = boxes(jumb.data(), jumb.payloadOffset(), jumb.payloadOffset() + jumb.payloadSize(), "superbox at " + jumb.offset());
        if (inner.isEmpty() || !inner.get(0).type().equals("jumd")) {
            throw new JumbfException("JUMBF superbox at offset " + jumb.offset() + " does not start with a description box ('jumd')");
        }
        RawBox d = inner.get(0);
        if (d.payloadSize() < 17) throw new JumbfException("JUMBF description box at offset " + d.offset() + " is too short");
        ByteBuffer b = ByteBuffer.wrap(d.data(), d.payloadOffset(), d.payloadSize());
        UUID type = new UUID(b.getLong(), b.getLong());
        int toggles = b.get() & 0xff;
        String label = "";
        if ((toggles & 0x02) != 0) {
            int start = b.position();
            int end = start;
            int limit = d.payloadOffset() + d.payloadSize();
            while (end < limit && d.data()[end] != 0) end++;
            if (end >= limit) throw new JumbfException("JUMBF label at offset " + start + " is not terminated");
            label = new String(d.data(), start, end - start, StandardCharsets.UTF_8);
        }
        List<RawBox> contents = new ArrayList<>();
        List<SuperBox> children = new ArrayList<>();
        for (int i = 1; i < inner.size(); i++) {
            RawBox c = inner.get(i);
            if (c.type().equals("jumb")) children.add(superbox(c, depth + 1));
            else contents.add(c);
        }
        return new SuperBox(type, label, jumb, contents, children);
    }

    private static List<RawBox> boxes(byte[] data, int start, int end, String where) throws JumbfException {
        List<RawBox> out = new ArrayList<>();
        int pos = start;
        while (pos < end) {
            if (end - pos < 8) throw new JumbfException("the last " + (end - pos) + " bytes of the " + where + " are too short for a box header");
            long size = ((data[pos] & 0xffL) << 24) | ((data[pos + 1] & 0xffL) << 16) | ((data[pos + 2] & 0xffL) << 8) | (data[pos + 3] & 0xffL);
            String type = new String(data, pos + 4, 4, StandardCharsets.ISO_8859_1);
            if (size == 0) size = end - pos;
            if (size < 8 || size > end - pos) {
                throw new JumbfException("JUMBF box '" + type.replaceAll("[^ -~]", "?") + "' at offset " + pos + " of the " + where + " declares "
                        + size + " bytes but " + (end - pos) + " remain");
            }
            out.add(new RawBox(type, data, pos, (int) size));
            pos += (int) size;
            if (out.size() > 100_000) throw new JumbfException("too many JUMBF boxes in the " + where);
        }
        return out;
    }

    /** Malformed JUMBF. */
    public static final class JumbfException extends Exception {
        private static final long serialVersionUID = 1L;

        public JumbfException(String message) { super(message); }
    }
}
