package io.kinora.provenance.internal.c2pa;

import io.kinora.api.provenance.LayerStatus;
import io.kinora.api.provenance.ProvenanceRequest;
import io.kinora.provenance.internal.bmff.Mp4Inspection;

import java.nio.file.Path;

/**
 * The C2PA step of {@code seal}: runs last, over the final file (after the implicit label was checked), and
 * may rewrite it in place (manifest {@code uuid} box after {@code ftyp}, {@code stco}/{@code co64} patched,
 * {@code c2pa.hash.bmff.v3} hard binding, COSE_Sign1 ES256). Reports the {@code c2pa} layer as applied.
 */
public interface C2paSigner {
    LayerStatus sign(Path file, ProvenanceRequest request, Mp4Inspection before);

    /** Label of Kinora's own assertion recording the perceptible labels applied (what verify then looks for). */
    String LABEL_ASSERTION = "io.kinora.label";

    /**
     * As {@link #sign(Path, ProvenanceRequest, Mp4Inspection)}, recording {@code labels} (string keys, values
     * strings, integers, booleans or maps of them; null for none) as the {@value #LABEL_ASSERTION} assertion.
     */
    default LayerStatus sign(Path file, ProvenanceRequest request, Mp4Inspection before, java.util.Map<String, Object> labels) {
        return sign(file, request, before);
    }
}
