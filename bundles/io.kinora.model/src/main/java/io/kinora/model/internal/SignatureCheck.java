package io.kinora.model.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSigner;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.PKIXParameters;
import java.util.Collections;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

import io.kinora.api.model.ModelException;

/**
 * Jar signature check against an operator's trust store: every entry outside {@code META-INF/} must be signed, and
 * one signer's certificate path must validate (PKIX, no revocation check: the machine is offline) to a trusted
 * certificate of the store.
 */
final class SignatureCheck {

    private final KeyStore trust;
    private final String source;

    private SignatureCheck(KeyStore trust, String source) {
        this.trust = trust;
        this.source = source;
    }

    static SignatureCheck load(Path store, String type, char[] password) {
        try (InputStream in = Files.newInputStream(store)) {
            KeyStore ks = KeyStore.getInstance(type == null || type.isBlank() ? KeyStore.getDefaultType() : type);
            ks.load(in, password);
            if (ks.size() == 0) throw new ModelException("trust store " + store + " holds no certificate");
            return new SignatureCheck(ks, store.toString());
        } catch (IOException | GeneralSecurityException e) {
            throw new ModelException("cannot read the model trust store " + store + ": " + e.getMessage(), e);
        }
    }

    void check(Path jar) {
        try (JarFile jf = new JarFile(jar.toFile(), true)) {
            PKIXParameters params = new PKIXParameters(trust);
            params.setRevocationEnabled(false);
            CertPathValidator validator = CertPathValidator.getInstance("PKIX");
            byte[] buf = new byte[65536];
            int signedEntries = 0;
            for (JarEntry e : Collections.list(jf.entries())) {
                if (e.isDirectory() || e.getName().startsWith("META-INF/")
                        && !e.getName().startsWith("META-INF/kinora/")) {
                    continue;
                }
                try (InputStream in = jf.getInputStream(e)) {
                    while (in.read(buf) > 0) {
                        // reading the entry to its end makes JarFile verify its digest (SecurityException if altered)
                    }
                }
                CodeSigner[] signers = e.getCodeSigners();
                if (signers == null || signers.length == 0) {
                    throw new ModelException("jar signature: entry " + e.getName() + " of " + jar.getFileName()
                            + " is not signed (a trust store is configured: " + source + ")");
                }
                boolean trusted = false;
                String last = null;
                for (CodeSigner s : signers) {
                    CertPath path = s.getSignerCertPath();
                    try {
                        validator.validate(path, params);
                        trusted = true;
                        break;
                    } catch (GeneralSecurityException ex) {
                        last = ex.getMessage();
                    }
                }
                if (!trusted) {
                    throw new ModelException("jar signature of " + jar.getFileName()
                            + " does not chain to the trust store " + source + ": " + last);
                }
                signedEntries++;
            }
            if (signedEntries == 0) throw new ModelException("jar " + jar.getFileName() + " has no signed entry");
        } catch (SecurityException e) {
            throw new ModelException("jar signature of " + jar.getFileName() + " is invalid: " + e.getMessage(), e);
        } catch (IOException | GeneralSecurityException e) {
            throw new ModelException("cannot check the jar signature of " + jar.getFileName() + ": " + e.getMessage(), e);
        }
    }
}
