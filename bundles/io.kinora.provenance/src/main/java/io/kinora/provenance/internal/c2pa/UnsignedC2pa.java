package io.kinora.provenance.internal.c2pa;

import io.kinora.api.provenance.LayerStatus;
import io.kinora.api.provenance.ProvenanceRequest;
import io.kinora.provenance.internal.Layers;
import io.kinora.provenance.internal.bmff.C2paBox;
import io.kinora.provenance.internal.bmff.Mp4Inspection;

import java.nio.file.Path;

/** The signer when C2PA signing is switched off: leaves the file alone and says so. */
public final class UnsignedC2pa implements C2paSigner {
    private final String reason;

    public UnsignedC2pa() {
        this("C2PA signing not implemented");
    }

    public UnsignedC2pa(String reason) {
        this.reason = reason;
    }

    @Override
    public LayerStatus sign(Path file, ProvenanceRequest request, Mp4Inspection before) {
        String detail = "not signed: " + reason;
        if (!before.c2pa().isEmpty()) {
            C2paBox b = before.c2pa().get(0);
            detail += "; the file already carries a C2PA box Kinora did not write (offset " + b.offset() + ", purpose " + b.purpose() + ")";
        }
        return new LayerStatus(Layers.C2PA, false, detail);
    }
}
