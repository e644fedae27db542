package io.kinora.provenance.internal.c2pa;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The key and certificate chain that sign manifests. {@code chain} is leaf first and never holds a self-signed
 * root (C2PA §14.5: x5chain without the anchor). {@code anchor} is the root, when known. {@code local} marks the
 * generated local CA: not a publicly trusted identity.
 */
public record SigningIdentity(PrivateKey key, List<X509Certificate> chain, X509Certificate anchor, boolean local, String source) {
    public SigningIdentity {
        chain = List.copyOf(chain);
    }

    public X509Certificate leaf() { return chain.get(0); }

    public String describe() {
        return leaf().getSubjectX500Principal().getName() + (local
                ? " (local Kinora CA at " + source + ": NOT a publicly trusted identity; validators trust it only when given its root as an anchor)"
                : " (operator key store " + source + ")");
    }
}
