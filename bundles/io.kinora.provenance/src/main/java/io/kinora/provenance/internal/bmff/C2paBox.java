package io.kinora.provenance.internal.bmff;

import java.util.UUID;

/**
 * A C2PA {@code ContentProvenanceBox} found at the top level of a file (C2PA 2.2 §A.5): a {@code uuid} box with
 * extended type {@link #UUID}. Only its framing is read here; the manifest store inside is not validated.
 *
 * @param offset      absolute offset of the box
 * @param size        total box size
 * @param purpose     {@code manifest}, {@code original}, {@code update}, {@code merkle} (or what the file says)
 * @param jumbf       whether a JUMBF superbox ({@code jumb}) follows the purpose fields, as a manifest store must
 * @param beforeMedia whether the box precedes the first {@code moov} and {@code mdat}, as §A.5.3 requires
 */
public record C2paBox(long offset, long size, String purpose, boolean jumbf, boolean beforeMedia) {
    /** {@code d8fec3d6-1b0e-483c-9297-5828877ec481}: the C2PA top-level box's extended type. */
    public static final UUID UUID = java.util.UUID.fromString("d8fec3d6-1b0e-483c-9297-5828877ec481");
}
