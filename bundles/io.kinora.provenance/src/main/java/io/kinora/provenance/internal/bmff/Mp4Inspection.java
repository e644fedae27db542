package io.kinora.provenance.internal.bmff;

import java.util.List;

/**
 * What {@link Mp4Inspector} found in a file: the major brand ({@code null} without {@code ftyp}), the top-level
 * boxes, every text metadata item of {@code moov/meta} and {@code moov/udta/meta}, and the C2PA boxes.
 */
public record Mp4Inspection(String majorBrand, List<Box> topLevel, boolean hasMoov, List<MetadataEntry> metadata, List<C2paBox> c2pa) {
    public Mp4Inspection {
        topLevel = List.copyOf(topLevel);
        metadata = List.copyOf(metadata);
        c2pa = List.copyOf(c2pa);
    }

    /** The metadata items with exactly this key, in file order. */
    public List<MetadataEntry> entries(String key) {
        return metadata.stream().filter(e -> e.key().equals(key)).toList();
    }
}
