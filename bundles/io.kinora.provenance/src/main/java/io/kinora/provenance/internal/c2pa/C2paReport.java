package io.kinora.provenance.internal.c2pa;

import io.kinora.api.provenance.LayerStatus;
import io.kinora.provenance.internal.Layers;
import io.kinora.provenance.internal.bmff.C2paBox;
import io.kinora.provenance.internal.bmff.Mp4Inspection;

import java.util.ArrayList;
import java.util.List;

/** The {@code c2pa} layer of {@code verify}: whether a C2PA manifest box is there; the manifest is not validated yet. */
public final class C2paReport {
    private C2paReport() {
    }

    public static LayerStatus of(Mp4Inspection in) {
        if (in.c2pa().isEmpty()) return new LayerStatus(Layers.C2PA, false, "no manifest");
        List<String> parts = new ArrayList<>();
        for (C2paBox b : in.c2pa()) {
            String s = "uuid box at offset " + b.offset() + " (" + b.size() + " bytes, purpose " + b.purpose() + ")";
            if (!b.jumbf() && !"merkle".equals(b.purpose())) s += " without a JUMBF manifest store";
            if (!b.beforeMedia() && !"update".equals(b.purpose())) s += " placed after moov/mdat, against C2PA §A.5.3";
            parts.add(s);
        }
        boolean store = in.c2pa().stream().anyMatch(C2paBox::jumbf);
        return new LayerStatus(Layers.C2PA, store, "C2PA manifest store " + (store ? "found: " : "box found but unreadable: ")
                + String.join("; ", parts) + "; signature and hard binding not validated (C2PA validation not implemented yet)");
    }
}
