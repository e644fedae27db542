package io.kinora.provenance.internal.c2pa;

import io.kinora.api.media.StageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * The signing identity and trust anchors a service instance uses, resolved once at activation: the operator's
 * PKCS#12 key store when configured, otherwise the local CA (generated on first start). A problem (wrong password,
 * unreadable directory) does not stop the service: signing then fails with the reason, and verification still works.
 */
public final class SigningSetup {
    private static final Logger LOG = LoggerFactory.getLogger(SigningSetup.class);

    private final SigningIdentity identity;
    private final String problem;
    private final List<C2paValidator.Anchor> anchors;

    private SigningSetup(SigningIdentity identity, String problem, List<C2paValidator.Anchor> anchors) {
        this.identity = identity;
        this.problem = problem;
        this.anchors = List.copyOf(anchors);
    }

    /**
     * @param keystore     PKCS#12 path or blank for the local CA
     * @param password     its password (never logged)
     * @param alias        key entry or blank for the first
     * @param localCaDir   where the local CA lives (used without a key store), or null when there is none
     * @param organisation O= of generated certificates
     * @param trustAnchors PEM files (separated by commas) with extra anchors for validation
     */
    public static SigningSetup resolve(String keystore, String password, String alias, Path localCaDir, String organisation, String trustAnchors) {
        List<C2paValidator.Anchor> anchors = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        if (trustAnchors != null) {
            for (String p : trustAnchors.split(",")) {
                if (p.isBlank()) continue;
                Path file = Path.of(p.trim());
                try {
                    for (X509Certificate c : Keys.readCertificates(file)) {
                        anchors.add(new C2paValidator.Anchor(c, c.getSubjectX500Principal().getName() + " from " + file, false));
                    }
                } catch (IOException | CertificateException e) {
                    problems.add("trust anchors " + file + " cannot be read: " + e.getMessage());
                    LOG.error("C2PA trust anchors {} cannot be read: {}", file, e.getMessage());
                }
            }
        }
        SigningIdentity id = null;
        String problem = null;
        try {
            if (keystore != null && !keystore.isBlank()) {
                Path ks = Path.of(keystore.trim());
                if (!Files.isRegularFile(ks)) throw new IOException("the PKCS#12 key store " + ks + " does not exist");
                id = Keys.pkcs12(ks, password == null ? new char[0] : password.toCharArray(), alias);
                LOG.info("C2PA signing with {}", id.describe());
            } else if (localCaDir != null) {
                id = Keys.localCa(localCaDir, organisation);
                LOG.warn("C2PA signing with the LOCAL Kinora CA in {}: NOT a publicly trusted identity. Manifests validate, but show as trusted only"
                        + " where {} is configured as a trust anchor; set signingKeystore in configuration io.kinora.provenance for an operator certificate",
                        localCaDir, localCaDir.resolve(Keys.CA_CERT));
            } else {
                problem = "no signing key: neither a PKCS#12 key store (signingKeystore) nor a directory for the local CA is available";
            }
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            problem = "the C2PA signing key cannot be loaded: " + e.getMessage();
            LOG.error("C2PA signing is unavailable: {}", problem);
        }
        if (id != null && id.anchor() != null) {
            anchors.add(new C2paValidator.Anchor(id.anchor(), id.local() ? "the local Kinora CA (" + id.source() + ")"
                    : id.anchor().getSubjectX500Principal().getName() + " from " + id.source(), id.local()));
        }
        return new SigningSetup(id, problem, anchors);
    }

    /** The identity, or a {@link StageException} naming why there is none. */
    public SigningIdentity identity() {
        if (identity == null) throw new StageException("Cannot sign with C2PA: " + problem);
        return identity;
    }

    public boolean hasIdentity() { return identity != null; }

    public List<C2paValidator.Anchor> anchors() { return anchors; }

    public C2paValidator validator() { return new C2paValidator(anchors); }
}
