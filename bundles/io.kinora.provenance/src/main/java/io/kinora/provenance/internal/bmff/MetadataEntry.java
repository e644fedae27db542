package io.kinora.provenance.internal.bmff;

/**
 * One metadata item read from an {@code ilst}: its key (the {@code mdta} key name, the iTunes four-character
 * code, or a freeform {@code ----} name), its text value, and where it was found, e.g. {@code moov/udta/meta}.
 */
public record MetadataEntry(String key, String value, String location) {
}
