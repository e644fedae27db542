package io.kinora.provenance.internal.bmff;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Reads ISO-BMFF (MP4, MOV, M4A) box structure straight from a file with positional reads: only the headers
 * and the small boxes asked for are read, never the media data. Every box is checked against its parent's
 * bounds, so a truncated or corrupt file gives a {@link BmffFormatException} naming the box and offset
 * instead of a wrong answer or an endless loop (each step advances by at least one 8-byte header).
 */
public final class BmffReader implements Closeable {
    /** Top-level box types that may open an ISO-BMFF / QuickTime file. */
    private static final Set<String> FIRST_BOX_TYPES = Set.of("ftyp", "styp", "moov", "mdat", "free", "skip", "wide", "uuid", "pdin", "sidx");
    /** Largest box payload this reader loads into memory (metadata boxes are a few KB). */
    public static final int MAX_PAYLOAD = 16 << 20;
    /** Upper bound on the boxes listed in one parent: a defence against hostile files. */
    private static final int MAX_CHILDREN = 1_000_000;

    private final FileChannel channel;
    private final long size;

    public BmffReader(Path file) throws IOException {
        this.channel = FileChannel.open(file, StandardOpenOption.READ);
        this.size = channel.size();
    }

    public long size() { return size; }

    /**
     * Checks that the file starts like an ISO-BMFF file: a sane first box of a type that can open one.
     *
     * @throws BmffFormatException naming what was found instead
     */
    public void checkSignature() throws IOException, BmffFormatException {
        if (size < 8) throw new BmffFormatException("it is only " + size + " bytes long, too short for an MP4 box", true);
        byte[] head = read(0, 8);
        String type = fourcc(head, 4);
        if (!FIRST_BOX_TYPES.contains(type)) {
            throw new BmffFormatException("it does not start with an MP4 box (first bytes " + hex(head) + "; expected a box such as 'ftyp')", true);
        }
    }

    /** The top-level boxes of the file. */
    public List<Box> topLevel() throws IOException, BmffFormatException {
        return children(0, size, "file");
    }

    /** The boxes inside {@code parent}, whose children start {@code skip} bytes into its payload (4 for a FullBox). */
    public List<Box> children(Box parent, int skip) throws IOException, BmffFormatException {
        if (parent.payloadSize() < skip) {
            throw new BmffFormatException("box " + parent + " is too short for its " + skip + "-byte version/flags field");
        }
        return children(parent.payloadOffset() + skip, parent.end(), "box " + parent);
    }

    /** The boxes between {@code start} and {@code end}, in file order; {@code where} names the region in messages. */
    public List<Box> children(long start, long end, String where) throws IOException, BmffFormatException {
        if (end > size) {
            throw new BmffFormatException(where + " ends at byte " + end + " but the file has only " + size + " bytes (truncated file?)");
        }
        List<Box> boxes = new ArrayList<>();
        long pos = start;
        while (pos < end) {
            if (boxes.size() >= MAX_CHILDREN) throw new BmffFormatException(where + " holds more than " + MAX_CHILDREN + " boxes");
            long left = end - pos;
            if (left < 8) {
                throw new BmffFormatException("the last " + left + " bytes of " + where + " at offset " + pos + " are too short for a box header");
            }
            byte[] h = read(pos, 8);
            long boxSize = u32(h, 0);
            String type = fourcc(h, 4);
            int header = 8;
            if (boxSize == 1) {
                if (left < 16) throw new BmffFormatException("box '" + type + "' at offset " + pos + " in " + where + " is cut off inside its 64-bit size");
                boxSize = ByteBuffer.wrap(read(pos + 8, 8)).getLong();
                header = 16;
                if (boxSize < 16) throw new BmffFormatException("box '" + type + "' at offset " + pos + " in " + where + " has an invalid 64-bit size " + Long.toUnsignedString(boxSize));
            } else if (boxSize == 0) {
                boxSize = left; // extends to the end of the enclosing region (ISO/IEC 14496-12 §4.2)
            } else if (boxSize < 8) {
                throw new BmffFormatException("box '" + printable(type) + "' at offset " + pos + " in " + where + " has an invalid size " + boxSize);
            }
            UUID userType = null;
            if (type.equals("uuid")) {
                if (boxSize < header + 16L || left < header + 16L) {
                    throw new BmffFormatException("uuid box at offset " + pos + " in " + where + " is too short for its 16-byte extended type");
                }
                ByteBuffer u = ByteBuffer.wrap(read(pos + header, 16));
                userType = new UUID(u.getLong(), u.getLong());
                header += 16;
            }
            if (boxSize > left) {
                throw new BmffFormatException("box '" + printable(type) + "' at offset " + pos + " in " + where + " declares " + boxSize
                        + " bytes but only " + left + " remain (truncated or corrupt file)");
            }
            boxes.add(new Box(type, pos, boxSize, header, userType));
            pos += boxSize;
        }
        return boxes;
    }

    /** The whole payload of a box (up to {@link #MAX_PAYLOAD} bytes). */
    public byte[] payload(Box box) throws IOException, BmffFormatException {
        if (box.payloadSize() > MAX_PAYLOAD) {
            throw new BmffFormatException("box " + box + " is larger than the " + MAX_PAYLOAD + " bytes this reader loads");
        }
        return read(box.payloadOffset(), (int) box.payloadSize());
    }

    /** Up to {@code max} bytes from the start of a box's payload. */
    public byte[] payloadHead(Box box, int max) throws IOException {
        return read(box.payloadOffset(), (int) Math.min(max, box.payloadSize()));
    }

    /** Exactly {@code length} bytes at {@code position}. */
    public byte[] read(long position, int length) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(length);
        long p = position;
        while (buf.hasRemaining()) {
            int n = channel.read(buf, p);
            if (n < 0) throw new EOFException("unexpected end of file at byte " + p);
            p += n;
        }
        return buf.array();
    }

    @Override
    public void close() throws IOException { channel.close(); }

    static long u32(byte[] b, int off) {
        return ((b[off] & 0xffL) << 24) | ((b[off + 1] & 0xffL) << 16) | ((b[off + 2] & 0xffL) << 8) | (b[off + 3] & 0xffL);
    }

    static String fourcc(byte[] b, int off) {
        return new String(b, off, 4, StandardCharsets.ISO_8859_1);
    }

    /** A four-character code safe to show in a message. */
    static String printable(String type) {
        StringBuilder sb = new StringBuilder(4);
        for (char c : type.toCharArray()) sb.append(c >= 0x20 && c < 0x7f || c == 0xa9 ? c : '?');
        return sb.toString();
    }

    static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder(b.length * 3);
        for (byte x : b) sb.append(String.format("%02x", x & 0xff)).append(' ');
        return sb.toString().trim();
    }
}
