package io.kinora.provenance.internal.c2pa;

import io.kinora.provenance.internal.bmff.BmffFormatException;
import io.kinora.provenance.internal.bmff.BmffReader;
import io.kinora.provenance.internal.bmff.Box;
import io.kinora.provenance.internal.bmff.C2paBox;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code c2pa.hash.bmff.v3} hard binding (C2PA 2.2 §18.6): every top-level box that is not excluded
 * contributes its absolute offset (8 bytes, big-endian) followed by its bytes, header included, minus any
 * {@code subset} exclusions; excluded boxes contribute nothing. Exclusions are matched on top-level boxes
 * ({@code /type} with optional {@code length}, {@code version}, {@code flags} and {@code data} conditions);
 * deeper xpaths are reported as unsupported rather than guessed.
 */
public final class BmffHash {
    /** An exclusion as written in the assertion. */
    public record Exclusion(String xpath, Long length, List<long[]> subsets, List<Map.Entry<Long, byte[]>> data, Integer version, byte[] flags,
                            boolean exact) {
        public static Exclusion of(String xpath) { return new Exclusion(xpath, null, List.of(), List.of(), null, null, true); }

        Map<String, Object> toCbor() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("xpath", xpath);
            if (length != null) m.put("length", length);
            if (!data.isEmpty()) {
                List<Object> d = new ArrayList<>();
                for (Map.Entry<Long, byte[]> e : data) d.add(Map.of("offset", e.getKey(), "value", e.getValue()));
                m.put("data", d);
            }
            if (!subsets.isEmpty()) {
                List<Object> s = new ArrayList<>();
                for (long[] x : subsets) s.add(Map.of("offset", x[0], "length", x[1]));
                m.put("subset", s);
            }
            if (version != null) m.put("version", (long) version);
            if (flags != null) m.put("flags", flags);
            return m;
        }
    }

    /** Kinora's exclusions: the C2PA box (matched by its extended type at byte 8), {@code ftyp} and {@code mfra}. */
    public static List<Exclusion> defaultExclusions() {
        return List.of(
                new Exclusion("/uuid", null, List.of(), List.of(Map.entry(8L, uuidBytes())), null, null, true),
                Exclusion.of("/ftyp"),
                Exclusion.of("/mfra"));
    }

    static byte[] uuidBytes() {
        return ByteBuffer.allocate(16).putLong(C2paBox.UUID.getMostSignificantBits()).putLong(C2paBox.UUID.getLeastSignificantBits()).array();
    }

    public static List<Object> exclusionsToCbor(List<Exclusion> exclusions) {
        List<Object> out = new ArrayList<>();
        for (Exclusion e : exclusions) out.add(e.toCbor());
        return out;
    }

    /** Hash input could not be determined: an exclusion this implementation does not evaluate. */
    public static final class UnsupportedExclusionException extends Exception {
        private static final long serialVersionUID = 1L;

        UnsupportedExclusionException(String m) { super(m); }
    }

    private BmffHash() {
    }

    /** Hashes {@code file} with {@code alg} ({@code sha256}, {@code sha384}, {@code sha512}) under the exclusions. */
    public static byte[] hash(Path file, String alg, List<Exclusion> exclusions)
            throws IOException, BmffFormatException, UnsupportedExclusionException, NoSuchAlgorithmException {
        MessageDigest md = MessageDigest.getInstance(javaAlg(alg));
        for (Exclusion e : exclusions) {
            if (e.xpath() == null || !e.xpath().matches("/[^/\\[\\]]{4}(\\[1\\])?")) {
                throw new UnsupportedExclusionException("exclusion xpath \"" + e.xpath() + "\" is not a top-level box path");
            }
        }
        try (BmffReader r = new BmffReader(file); FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            List<Box> top = r.topLevel();
            Map<String, Integer> seen = new LinkedHashMap<>();
            for (Box b : top) {
                int index = seen.merge(b.type(), 1, Integer::sum);
                List<long[]> cut = new ArrayList<>();
                boolean whole = false;
                for (Exclusion e : exclusions) {
                    if (!matches(r, b, index, e)) continue;
                    if (e.subsets().isEmpty()) {
                        whole = true;
                    } else {
                        for (long[] s : e.subsets()) {
                            long start = Math.min(s[0], b.size());
                            long len = s[1] == 0 ? b.size() - start : Math.min(s[1], b.size() - start);
                            if (len > 0) cut.add(new long[]{start, start + len});
                        }
                    }
                }
                if (whole) continue;
                md.update(ByteBuffer.allocate(8).putLong(b.offset()).array());
                cut.sort((x, y) -> Long.compare(x[0], y[0]));
                long pos = 0;
                for (long[] c : cut) {
                    if (c[0] > pos) digest(ch, md, b.offset() + pos, c[0] - pos);
                    pos = Math.max(pos, c[1]);
                }
                if (pos < b.size()) digest(ch, md, b.offset() + pos, b.size() - pos);
            }
        }
        return md.digest();
    }

    static String javaAlg(String alg) throws NoSuchAlgorithmException {
        return switch (alg == null ? "sha256" : alg) {
            case "sha256" -> "SHA-256";
            case "sha384" -> "SHA-384";
            case "sha512" -> "SHA-512";
            default -> throw new NoSuchAlgorithmException("hash algorithm \"" + alg + "\" is not allowed by C2PA (sha256, sha384, sha512)");
        };
    }

    private static boolean matches(BmffReader r, Box b, int index, Exclusion e) throws IOException {
        String path = e.xpath();
        String type = path.substring(1, 5);
        if (!b.type().equals(type)) return false;
        if (path.endsWith("[1]") && index != 1) return false;
        if (e.length() != null && e.length() != b.size()) return false;
        int header = b.headerSize() - (b.userType() != null ? 16 : 0);
        if (e.version() != null || e.flags() != null) {
            if (b.size() < header + 4L) return false;
            byte[] vf = r.read(b.offset() + header, 4);
            if (e.version() != null && (vf[0] & 0xff) != e.version()) return false;
            if (e.flags() != null && e.flags().length == 3) {
                for (int i = 0; i < 3; i++) {
                    int f = vf[1 + i] & 0xff;
                    int want = e.flags()[i] & 0xff;
                    if (e.exact() ? f != want : (f & want) != want) return false;
                }
            }
        }
        for (Map.Entry<Long, byte[]> d : e.data()) {
            long off = d.getKey();
            byte[] want = d.getValue();
            if (off < 0 || off + want.length > b.size()) return false;
            if (!Arrays.equals(r.read(b.offset() + off, want.length), want)) return false;
        }
        return true;
    }

    private static void digest(FileChannel ch, MessageDigest md, long position, long length) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min(1 << 20, length));
        long p = position;
        long end = position + length;
        while (p < end) {
            buf.clear();
            buf.limit((int) Math.min(buf.capacity(), end - p));
            int n = ch.read(buf, p);
            if (n < 0) throw new IOException("unexpected end of file at byte " + p);
            buf.flip();
            md.update(buf);
            p += n;
        }
    }
}
