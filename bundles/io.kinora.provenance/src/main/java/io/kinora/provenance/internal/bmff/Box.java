package io.kinora.provenance.internal.bmff;

import java.util.UUID;

/**
 * One ISO-BMFF box header as found in a file.
 *
 * @param type       the four-character type (ISO-8859-1, so {@code ©cmt} reads as written)
 * @param offset     absolute file offset of the box's first byte
 * @param size       total size in bytes, header included (already resolved for size 0 and 64-bit largesize)
 * @param headerSize 8, 16 with a largesize, plus 16 for the extended type of a {@code uuid} box
 * @param userType   the extended type of a {@code uuid} box, otherwise {@code null}
 */
public record Box(String type, long offset, long size, int headerSize, UUID userType) {
    public long payloadOffset() { return offset + headerSize; }

    public long payloadSize() { return size - headerSize; }

    public long end() { return offset + size; }

    public boolean is(String fourcc) { return type.equals(fourcc); }

    @Override
    public String toString() {
        return "'" + type + "'" + (userType != null ? "(" + userType + ")" : "") + " at " + offset + " (" + size + " bytes)";
    }
}
