package io.kinora.provenance.internal.bmff;

/** The file is not ISO-BMFF, or a box in it is truncated or malformed. The message names the offset and box. */
public final class BmffFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    private final boolean notBmff;

    public BmffFormatException(String message) { this(message, false); }

    public BmffFormatException(String message, boolean notBmff) {
        super(message);
        this.notBmff = notBmff;
    }

    /** Whether the file does not look like ISO-BMFF at all (rather than being a damaged one). */
    public boolean notBmff() { return notBmff; }
}
