package io.kinora.provenance.internal.c2pa;

import io.kinora.provenance.internal.bmff.BmffFormatException;
import io.kinora.provenance.internal.bmff.BmffReader;
import io.kinora.provenance.internal.bmff.Box;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Set;

/**
 * Inserts a zero-filled box of a reserved size right after {@code ftyp} (C2PA §A.5.3) while copying an MP4, and
 * shifts every chunk offset ({@code stco}, {@code co64}) of every track by that size, so the media still decodes.
 * The caller then hashes the new layout and overwrites the reserved bytes with the real manifest box.
 */
public final class Mp4Embedder {
    private static final Set<String> CONTAINERS = Set.of("moov", "trak", "mdia", "minf", "stbl", "edts", "dinf", "udta", "mvex", "moof", "traf");

    private Mp4Embedder() {
    }

    /** Where the placeholder went: its absolute offset and size. */
    public record Placement(long offset, long size) {
    }

    public static Placement insertAfterFtyp(Path src, Path dst, int boxSize) throws IOException, BmffFormatException {
        try (BmffReader r = new BmffReader(src);
             FileChannel in = FileChannel.open(src, StandardOpenOption.READ);
             FileChannel out = FileChannel.open(dst, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            r.checkSignature();
            List<Box> top = r.topLevel();
            if (top.isEmpty() || !top.get(0).is("ftyp")) throw new BmffFormatException("the file does not start with an 'ftyp' box");
            int moovs = 0;
            for (Box b : top) {
                if (b.is("moov")) moovs++;
                if (b.is("moof")) throw new BmffFormatException("fragmented MP4 (moof) is not supported for signing");
            }
            if (moovs != 1) throw new BmffFormatException("the file has " + moovs + " 'moov' boxes; exactly one is needed");
            Box ftyp = top.get(0);
            copy(in, out, ftyp.offset(), ftyp.size());
            out.write(ByteBuffer.allocate(boxSize));
            for (int i = 1; i < top.size(); i++) {
                Box b = top.get(i);
                if (b.is("moov")) {
                    if (b.headerSize() != 8 && b.headerSize() != 16) throw new BmffFormatException("unexpected moov header");
                    byte[] moov = r.read(b.offset(), Math.toIntExact(b.size()));
                    patch(moov, b.headerSize(), moov.length, boxSize, ftyp.end());
                    ByteBuffer buf = ByteBuffer.wrap(moov);
                    while (buf.hasRemaining()) out.write(buf);
                } else {
                    copy(in, out, b.offset(), b.size());
                }
            }
            out.force(true);
            return new Placement(ftyp.end(), boxSize);
        }
    }

    /** Adds {@code delta} to every stco/co64 entry at or after {@code from} inside {@code [start, end)} of {@code b}. */
    static void patch(byte[] b, int start, int end, long delta, long from) throws BmffFormatException {
        int pos = start;
        while (pos + 8 <= end) {
            long size = u32(b, pos);
            String type = new String(b, pos + 4, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
            int header = 8;
            if (size == 1) {
                if (pos + 16 > end) throw new BmffFormatException("box '" + type + "' in moov is cut off");
                size = ByteBuffer.wrap(b, pos + 8, 8).getLong();
                header = 16;
            } else if (size == 0) {
                size = end - pos;
            }
            if (size < header || size > end - pos) throw new BmffFormatException("box '" + type + "' in moov declares " + size + " bytes but " + (end - pos) + " remain");
            int boxEnd = pos + (int) size;
            if (CONTAINERS.contains(type)) {
                patch(b, pos + header, boxEnd, delta, from);
            } else if (type.equals("stco") || type.equals("co64")) {
                int p = pos + header + 4;
                if (p + 4 > boxEnd) throw new BmffFormatException("'" + type + "' is too short");
                long n = u32(b, p);
                p += 4;
                int entry = type.equals("stco") ? 4 : 8;
                if (n * entry > boxEnd - p) throw new BmffFormatException("'" + type + "' lists " + n + " chunks but has room for " + (boxEnd - p) / entry);
                ByteBuffer bb = ByteBuffer.wrap(b);
                for (long i = 0; i < n; i++, p += entry) {
                    if (entry == 4) {
                        long v = u32(b, p);
                        if (v < from) continue;
                        long nv = v + delta;
                        if (nv > 0xFFFF_FFFFL) throw new BmffFormatException("a chunk offset would pass 4 GiB in 'stco'; the file needs co64 chunk offsets");
                        bb.putInt(p, (int) nv);
                    } else {
                        long v = bb.getLong(p);
                        if (v >= from) bb.putLong(p, v + delta);
                    }
                }
            }
            pos = boxEnd;
        }
    }

    private static long u32(byte[] b, int off) {
        return ((b[off] & 0xffL) << 24) | ((b[off + 1] & 0xffL) << 16) | ((b[off + 2] & 0xffL) << 8) | (b[off + 3] & 0xffL);
    }

    private static void copy(FileChannel in, FileChannel out, long position, long count) throws IOException {
        long done = 0;
        while (done < count) {
            long n = in.transferTo(position + done, count - done, out);
            if (n <= 0) throw new IOException("unexpected end of file at byte " + (position + done));
            done += n;
        }
    }
}
