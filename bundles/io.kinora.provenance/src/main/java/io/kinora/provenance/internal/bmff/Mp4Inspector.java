package io.kinora.provenance.internal.bmff;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads the provenance-relevant structure of an MP4 without decoding anything: the top-level boxes, the
 * metadata in {@code moov/udta/meta} and {@code moov/meta} (QuickTime {@code mdta} keys as written by FFmpeg's
 * {@code use_metadata_tags}, and iTunes-style {@code mdir} items), and C2PA {@code uuid} boxes.
 */
public final class Mp4Inspector {
    private static final Set<String> MANIFEST_PURPOSES = Set.of("manifest", "original", "update");

    private Mp4Inspector() {
    }

    public static Mp4Inspection inspect(Path file) throws IOException, BmffFormatException {
        try (BmffReader r = new BmffReader(file)) {
            r.checkSignature();
            List<Box> top = r.topLevel();
            String brand = null;
            Box moov = null;
            int firstMedia = Integer.MAX_VALUE;
            for (int i = 0; i < top.size(); i++) {
                Box b = top.get(i);
                if (b.is("ftyp") && brand == null) {
                    if (b.payloadSize() < 4) throw new BmffFormatException("box " + b + " is too short for a major brand");
                    brand = BmffReader.fourcc(r.payloadHead(b, 4), 0);
                }
                if (b.is("moov")) {
                    if (moov != null) throw new BmffFormatException("the file has more than one 'moov' box (at " + moov.offset() + " and " + b.offset() + ")");
                    moov = b;
                }
                if ((b.is("moov") || b.is("mdat")) && firstMedia == Integer.MAX_VALUE) firstMedia = i;
            }
            List<MetadataEntry> metadata = new ArrayList<>();
            if (moov != null) {
                for (Box child : r.children(moov, 0)) {
                    if (child.is("meta")) readMeta(r, child, "moov/meta", metadata);
                    if (child.is("udta")) {
                        for (Box u : r.children(child, 0)) if (u.is("meta")) readMeta(r, u, "moov/udta/meta", metadata);
                    }
                }
            }
            List<C2paBox> c2pa = new ArrayList<>();
            for (int i = 0; i < top.size(); i++) {
                Box b = top.get(i);
                if (b.is("uuid") && C2paBox.UUID.equals(b.userType())) c2pa.add(readC2pa(r, b, i < firstMedia));
            }
            return new Mp4Inspection(brand, top, moov != null, metadata, c2pa);
        }
    }

    /** A {@code meta} box: ISO FullBox form (version/flags first) or QuickTime form (children first). */
    static void readMeta(BmffReader r, Box meta, String location, List<MetadataEntry> out) throws IOException, BmffFormatException {
        byte[] head = r.payloadHead(meta, 8);
        int skip = head.length >= 8 && BmffReader.fourcc(head, 4).equals("hdlr") ? 0 : 4;
        String handler = null;
        List<String> keys = null;
        Box ilst = null;
        for (Box b : r.children(meta, skip)) {
            switch (b.type()) {
                case "hdlr" -> {
                    if (b.payloadSize() < 12) throw new BmffFormatException("handler box " + b + " in " + location + " is too short");
                    handler = BmffReader.fourcc(r.payloadHead(b, 12), 8);
                }
                case "keys" -> keys = readKeys(r.payload(b), b, location);
                case "ilst" -> ilst = b;
                default -> { }
            }
        }
        if (ilst == null) return;
        boolean mdta = "mdta".equals(handler);
        if (mdta && keys == null) throw new BmffFormatException("the mdta metadata in " + location + " has an 'ilst' but no 'keys' box");
        for (Box item : r.children(ilst, 0)) {
            List<Box> parts = r.children(item, 0);
            String key;
            if (mdta) {
                long index = BmffReader.u32(item.type().getBytes(StandardCharsets.ISO_8859_1), 0);
                if (index < 1 || index > keys.size()) {
                    throw new BmffFormatException("metadata item at offset " + item.offset() + " in " + location + " refers to key " + index
                            + " but the 'keys' box lists " + keys.size());
                }
                key = keys.get((int) index - 1);
            } else if (item.is("----")) {
                key = freeformName(r, parts);
            } else {
                key = item.type();
            }
            for (Box part : parts) {
                if (!part.is("data")) continue;
                byte[] p = r.payload(part);
                if (p.length < 8) throw new BmffFormatException("data box " + part + " in " + location + " is too short");
                int wellKnownType = (int) (BmffReader.u32(p, 0) & 0xffffff);
                String value = switch (wellKnownType) {
                    case 1 -> new String(p, 8, p.length - 8, StandardCharsets.UTF_8);
                    case 2 -> new String(p, 8, p.length - 8, StandardCharsets.UTF_16BE);
                    default -> null; // binary, integer, image: not text metadata
                };
                if (value != null) out.add(new MetadataEntry(key, value, location));
            }
        }
    }

    private static String freeformName(BmffReader r, List<Box> parts) throws IOException, BmffFormatException {
        for (Box part : parts) {
            if (part.is("name")) {
                byte[] p = r.payload(part);
                return p.length <= 4 ? "" : new String(p, 4, p.length - 4, StandardCharsets.UTF_8);
            }
        }
        return "----";
    }

    /** The {@code keys} box: version/flags, entry count, then (size, namespace, name) entries. */
    static List<String> readKeys(byte[] p, Box box, String location) throws BmffFormatException {
        if (p.length < 8) throw new BmffFormatException("keys box " + box + " in " + location + " is too short");
        long count = BmffReader.u32(p, 4);
        if (count > (p.length - 8) / 8) {
            throw new BmffFormatException("keys box " + box + " in " + location + " claims " + count + " keys but has room for " + (p.length - 8) / 8);
        }
        List<String> keys = new ArrayList<>((int) count);
        int pos = 8;
        for (int i = 0; i < count; i++) {
            if (pos + 8 > p.length) throw new BmffFormatException("key " + (i + 1) + " of keys box " + box + " in " + location + " is cut off");
            long ks = BmffReader.u32(p, pos);
            if (ks < 8 || pos + ks > p.length) {
                throw new BmffFormatException("key " + (i + 1) + " of keys box " + box + " in " + location + " has an invalid size " + ks);
            }
            keys.add(new String(p, pos + 8, (int) ks - 8, StandardCharsets.UTF_8));
            pos += (int) ks;
        }
        return keys;
    }

    /** The framing of a C2PA box: FullBox version/flags, NUL-terminated purpose, 8-byte merkle offset, JUMBF. */
    static C2paBox readC2pa(BmffReader r, Box b, boolean beforeMedia) throws IOException {
        byte[] p = r.payloadHead(b, 4 + 64 + 8 + 8);
        StringBuilder purpose = new StringBuilder();
        int i = 4;
        while (i < p.length && p[i] != 0) purpose.append((char) (p[i++] & 0xff));
        boolean terminated = i < p.length;
        int after = i + 1;
        boolean jumbf = false;
        if (terminated && MANIFEST_PURPOSES.contains(purpose.toString()) && after + 8 + 8 <= p.length) {
            jumbf = BmffReader.fourcc(p, after + 8 + 4).equals("jumb");
        }
        return new C2paBox(b.offset(), b.size(), terminated ? purpose.toString() : "(unterminated)", jumbf, beforeMedia);
    }
}
