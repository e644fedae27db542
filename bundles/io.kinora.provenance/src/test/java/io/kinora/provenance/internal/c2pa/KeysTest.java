package io.kinora.provenance.internal.c2pa;

import io.kinora.api.media.StageException;
import org.bouncycastle.asn1.x509.Extension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

class KeysTest {
    @TempDir
    Path dir;

    @Test
    void localCaFollowsTheC2paCertificateProfileAndIsReused() throws Exception {
        SigningIdentity id = Keys.localCa(dir.resolve("ca"), "Acme");
        assertTrue(id.local());
        X509Certificate leaf = id.leaf();
        X509Certificate root = id.anchor();
        assertEquals(List.of(leaf), id.chain(), "x5chain holds the leaf only, never the root");
        assertEquals(3, leaf.getVersion());
        assertEquals(-1, leaf.getBasicConstraints(), "leaf is not a CA");
        assertTrue(leaf.getKeyUsage()[0], "digitalSignature");
        assertFalse(leaf.getKeyUsage()[5], "no keyCertSign on the leaf");
        assertTrue(leaf.getCriticalExtensionOIDs().contains(Extension.keyUsage.getId()), "key usage is critical");
        assertTrue(leaf.getExtendedKeyUsage().containsAll(List.of(Keys.EKU_C2PA_CLAIM_SIGNING, Keys.EKU_DOCUMENT_SIGNING, Keys.EKU_EMAIL_PROTECTION)));
        assertFalse(leaf.getExtendedKeyUsage().contains("2.5.29.37.0"));
        assertNotNull(leaf.getExtensionValue(Extension.authorityKeyIdentifier.getId()), "AKI");
        assertNotNull(leaf.getExtensionValue(Extension.subjectKeyIdentifier.getId()), "SKI");
        assertEquals("EC", leaf.getPublicKey().getAlgorithm());
        leaf.verify(root.getPublicKey());
        assertTrue(root.getBasicConstraints() >= 0);
        assertTrue(root.getKeyUsage()[5], "keyCertSign on the CA");
        assertNotNull(root.getExtensionValue(Extension.subjectKeyIdentifier.getId()));
        assertTrue(leaf.getSubjectX500Principal().getName().contains("O=Acme"));
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(dir.resolve("ca").resolve(Keys.SIGNER_KEY));
        assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE), perms, "private keys are owner-only");
        SigningIdentity again = Keys.localCa(dir.resolve("ca"), "Acme");
        assertEquals(leaf, again.leaf(), "generated once, then reused");
        assertEquals(root, again.anchor());
    }

    @Test
    void operatorPkcs12IsLoadedAndAWrongPasswordIsNamedWithoutTheSecret() throws Exception {
        KeyPair caKeys = Keys.ecKeyPair();
        X509Certificate ca = Keys.caCertificate(caKeys, "Operator", Instant.now());
        KeyPair leafKeys = Keys.ecKeyPair();
        X509Certificate leaf = Keys.signerCertificate(leafKeys, ca, caKeys.getPrivate(), "Operator", Instant.now());
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("signer", leafKeys.getPrivate(), "s3cret-pw".toCharArray(), new Certificate[]{leaf, ca});
        Path p12 = dir.resolve("op.p12");
        try (OutputStream o = Files.newOutputStream(p12)) {
            ks.store(o, "s3cret-pw".toCharArray());
        }
        SigningSetup ok = SigningSetup.resolve(p12.toString(), "s3cret-pw", "", null, "x", "");
        assertFalse(ok.identity().local());
        assertEquals(List.of(leaf), ok.identity().chain(), "the self-signed root is left out of x5chain");
        assertEquals(ca, ok.identity().anchor());
        assertEquals(1, ok.anchors().size());

        SigningSetup bad = SigningSetup.resolve(p12.toString(), "wrong-pw", "", dir.resolve("unused"), "x", "");
        assertFalse(bad.hasIdentity());
        StageException e = assertThrows(StageException.class, bad::identity);
        assertTrue(e.getMessage().contains("cannot open the PKCS#12 key store " + p12), e.getMessage());
        assertFalse(e.getMessage().contains("wrong-pw") || e.getMessage().contains("s3cret"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("unused")), "a broken operator key store never falls back silently to the local CA");

        SigningSetup missing = SigningSetup.resolve(dir.resolve("nope.p12").toString(), "", "", null, "x", "");
        assertTrue(assertThrows(StageException.class, missing::identity).getMessage().contains("does not exist"));
        SigningSetup alias = SigningSetup.resolve(p12.toString(), "s3cret-pw", "other", null, "x", "");
        assertTrue(assertThrows(StageException.class, alias::identity).getMessage().contains("no private key entry named \"other\""));
    }

    @Test
    void extraTrustAnchorsAreReadFromPem() throws Exception {
        X509Certificate ca = Keys.caCertificate(Keys.ecKeyPair(), "Extra", Instant.now());
        Path pem = Files.writeString(dir.resolve("anchors.pem"), Keys.pem("CERTIFICATE", ca.getEncoded()));
        SigningSetup s = SigningSetup.resolve("", "", "", dir.resolve("ca"), "x", pem + ", " + dir.resolve("missing.pem"));
        assertTrue(s.identity().local());
        assertEquals(2, s.anchors().size(), "the configured anchor and the local CA; the missing file is logged and skipped");
        assertEquals(ca, s.anchors().get(0).certificate());
    }
}
