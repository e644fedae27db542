package io.kinora.model.internal;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.kinora.api.model.ModelException;
import io.kinora.api.model.ModelRegistry;

/**
 * Checks a model archive before it may take traffic. Every refusal is a {@link ModelException} whose message names
 * the problem: no {@code Kinora-Model} header, header and symbolic name differ, an entry path escaping its folder, no
 * or an invalid descriptor, descriptor id/version differing from the bundle, a missing weight file, a SHA-256
 * mismatch.
 */
final class Verifier {

    private Verifier() {
    }

    static Descriptor verify(ModelArchive archive) throws IOException {
        String header = archive.header(ModelRegistry.HEADER);
        if (header == null || header.isBlank()) {
            throw new ModelException(archive.source() + " has no " + ModelRegistry.HEADER
                    + " manifest header: not a model bundle");
        }
        String bsn = archive.header("Bundle-SymbolicName");
        String symbolicName = bsn == null ? null : bsn.split(";", 2)[0].trim();
        String version = archive.header("Bundle-Version");
        version = version == null ? "0.0.0" : version.trim();
        String id = header.trim();
        if (symbolicName == null) {
            throw new ModelException(archive.source() + " has no Bundle-SymbolicName: not an OSGi bundle");
        }
        if (!symbolicName.equals(id)) {
            throw new ModelException("Bundle-SymbolicName \"" + symbolicName + "\" differs from the " + ModelRegistry.HEADER
                    + " header \"" + id + "\": a model bundle's symbolic name is its model id");
        }
        List<String> names = archive.entryNames();
        for (String name : names) {
            if (Descriptor.escapes(name)) {
                throw new ModelException("archive entry \"" + name + "\" escapes its folder (absolute, drive or "
                        + "'..' segment): refusing " + archive.source());
            }
        }
        Descriptor d;
        try (InputStream in = archive.open(ModelRegistry.DESCRIPTOR)) {
            if (in == null) {
                throw new ModelException(archive.source() + " has no descriptor " + ModelRegistry.DESCRIPTOR);
            }
            d = Descriptor.parse(in.readAllBytes());
        }
        if (!d.id().equals(id)) {
            throw new ModelException("descriptor id \"" + d.id() + "\" differs from the " + ModelRegistry.HEADER
                    + " header \"" + id + "\"");
        }
        if (!Descriptor.normalizeVersion(d.version()).equals(Descriptor.normalizeVersion(version))) {
            throw new ModelException("descriptor version \"" + d.version() + "\" differs from the bundle version \""
                    + version + "\"");
        }
        Set<String> present = new HashSet<>(names);
        for (Descriptor.WeightFile f : d.files()) {
            if (!present.contains(f.entry())) {
                throw new ModelException("weight file " + f.entry() + " named in the descriptor is missing from "
                        + archive.source());
            }
            String actual;
            try (InputStream in = archive.open(f.entry())) {
                if (in == null) throw new ModelException("weight file " + f.entry() + " is missing");
                actual = sha256(in);
            }
            if (!actual.equals(f.sha256())) {
                throw new ModelException("weight file " + f.entry() + ": SHA-256 is " + actual
                        + " but the descriptor expects " + f.sha256());
            }
        }
        return d;
    }

    static String sha256(InputStream in) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] buf = new byte[65536];
        for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
        return HexFormat.of().formatHex(md.digest());
    }
}
