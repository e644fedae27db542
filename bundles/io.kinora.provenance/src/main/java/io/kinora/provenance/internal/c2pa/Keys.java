package io.kinora.provenance.internal.c2pa;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Date;
import java.util.Enumeration;
import java.util.List;

/**
 * Signing keys: the operator's PKCS#12 key store, or a local CA and signing certificate generated once into a
 * directory (C2PA §14.5.1 certificate profile: X.509 v3, P-256 ECDSA; the CA with {@code cA}, keyCertSign/cRLSign
 * and SKI; the leaf with {@code cA=false}, critical digitalSignature key usage, EKU documentSigning +
 * emailProtection + c2pa-kp-claimSigning, SKI and AKI).
 */
public final class Keys {
    /** {@code c2pa-kp-claimSigning}, the C2PA Trust List EKU. */
    public static final String EKU_C2PA_CLAIM_SIGNING = "1.3.6.1.4.1.62558.2.1";
    public static final String EKU_DOCUMENT_SIGNING = "1.3.6.1.5.5.7.3.36";
    public static final String EKU_EMAIL_PROTECTION = "1.3.6.1.5.5.7.3.4";
    static final String CA_CERT = "local-ca.pem";
    static final String CA_KEY = "local-ca.key";
    static final String SIGNER_CERT = "signer.pem";
    static final String SIGNER_KEY = "signer.key";

    private Keys() {
    }

    /** Loads a key entry (the named alias, or the only/first key entry) from a PKCS#12 file. */
    public static SigningIdentity pkcs12(Path file, char[] password, String alias) throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            ks.load(in, password);
        } catch (IOException e) {
            // KeyStore reports a wrong password as an IOException caused by UnrecoverableKeyException
            throw new GeneralSecurityException("cannot open the PKCS#12 key store " + file + " (wrong password or not a PKCS#12 file)", e);
        }
        String use = alias == null || alias.isBlank() ? null : alias.trim();
        if (use == null) {
            for (Enumeration<String> e = ks.aliases(); e.hasMoreElements(); ) {
                String a = e.nextElement();
                if (ks.isKeyEntry(a)) {
                    use = a;
                    break;
                }
            }
        }
        if (use == null || !ks.isKeyEntry(use)) {
            throw new GeneralSecurityException("the PKCS#12 key store " + file + " has no private key entry" + (use == null ? "" : " named \"" + use + "\""));
        }
        Key key = ks.getKey(use, password);
        if (!(key instanceof PrivateKey pk)) throw new GeneralSecurityException("entry \"" + use + "\" in " + file + " is not a private key");
        Certificate[] chain = ks.getCertificateChain(use);
        if (chain == null || chain.length == 0) throw new GeneralSecurityException("entry \"" + use + "\" in " + file + " has no certificate chain");
        List<X509Certificate> certs = new ArrayList<>();
        X509Certificate root = null;
        for (Certificate c : chain) {
            X509Certificate x = (X509Certificate) c;
            if (certs.size() > 0 && selfSigned(x)) root = x;
            else certs.add(x);
        }
        if (Cose.Alg.forKey(pk) == null) {
            throw new GeneralSecurityException("the key \"" + use + "\" in " + file + " is " + pk.getAlgorithm()
                    + "; Kinora signs C2PA manifests with ECDSA keys on P-256, P-384 or P-521");
        }
        return new SigningIdentity(pk, certs, root, false, file.toString());
    }

    /** Loads the local CA and signer from {@code dir}, generating them on first use (or when the signer expires). */
    public static synchronized SigningIdentity localCa(Path dir, String organisation) throws IOException, GeneralSecurityException {
        Files.createDirectories(dir);
        Path caCert = dir.resolve(CA_CERT);
        Path caKey = dir.resolve(CA_KEY);
        X509Certificate ca;
        PrivateKey caPriv;
        Instant now = Instant.now();
        if (Files.exists(caCert) && Files.exists(caKey)) {
            ca = readCertificates(caCert).get(0);
            caPriv = readKey(caKey);
        } else {
            KeyPair kp = ecKeyPair();
            ca = caCertificate(kp, organisation, now);
            caPriv = kp.getPrivate();
            writeKey(caKey, caPriv);
            writePem(caCert, "CERTIFICATE", ca.getEncoded());
        }
        Path sCert = dir.resolve(SIGNER_CERT);
        Path sKey = dir.resolve(SIGNER_KEY);
        X509Certificate leaf = null;
        PrivateKey leafKey = null;
        if (Files.exists(sCert) && Files.exists(sKey)) {
            leaf = readCertificates(sCert).get(0);
            leafKey = readKey(sKey);
            boolean fresh = leaf.getNotAfter().toInstant().isAfter(now.plus(Duration.ofDays(7))) && leaf.getIssuerX500Principal().equals(ca.getSubjectX500Principal());
            try {
                leaf.verify(ca.getPublicKey());
            } catch (GeneralSecurityException e) {
                fresh = false;
            }
            if (!fresh) leaf = null;
        }
        if (leaf == null) {
            KeyPair kp = ecKeyPair();
            leaf = signerCertificate(kp, ca, caPriv, organisation, now);
            leafKey = kp.getPrivate();
            writeKey(sKey, leafKey);
            writePem(sCert, "CERTIFICATE", leaf.getEncoded());
        }
        return new SigningIdentity(leafKey, List.of(leaf), ca, true, dir.toString());
    }

    static KeyPair ecKeyPair() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
        return g.generateKeyPair();
    }

    static X509Certificate caCertificate(KeyPair kp, String organisation, Instant now) throws GeneralSecurityException {
        X500Name name = name("Kinora local C2PA root CA", organisation);
        try {
            JcaX509ExtensionUtils u = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, serial(), Date.from(now.minus(Duration.ofHours(1))),
                    Date.from(now.plus(Duration.ofDays(3650))), name, kp.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false, u.createSubjectKeyIdentifier(kp.getPublic()));
            return toX509(b.build(signer(kp.getPrivate())));
        } catch (IOException | OperatorCreationException e) {
            throw new GeneralSecurityException("cannot create the local CA certificate: " + e.getMessage(), e);
        }
    }

    static X509Certificate signerCertificate(KeyPair kp, X509Certificate ca, PrivateKey caKey, String organisation, Instant now)
            throws GeneralSecurityException {
        try {
            JcaX509ExtensionUtils u = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(ca, serial(), Date.from(now.minus(Duration.ofHours(1))),
                    Date.from(now.plus(Duration.ofDays(730))), name("Kinora content signer", organisation), kp.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(new KeyPurposeId[]{
                            KeyPurposeId.getInstance(new ASN1ObjectIdentifier(EKU_DOCUMENT_SIGNING)),
                            KeyPurposeId.id_kp_emailProtection,
                            KeyPurposeId.getInstance(new ASN1ObjectIdentifier(EKU_C2PA_CLAIM_SIGNING))}))
                    .addExtension(Extension.subjectKeyIdentifier, false, u.createSubjectKeyIdentifier(kp.getPublic()))
                    .addExtension(Extension.authorityKeyIdentifier, false, u.createAuthorityKeyIdentifier(ca));
            return toX509(b.build(signer(caKey)));
        } catch (IOException | OperatorCreationException e) {
            throw new GeneralSecurityException("cannot create the local signing certificate: " + e.getMessage(), e);
        }
    }

    private static X500Name name(String cn, String organisation) {
        X500NameBuilder n = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, cn);
        if (organisation != null && !organisation.isBlank()) n.addRDN(BCStyle.O, organisation);
        return n.build();
    }

    private static BigInteger serial() {
        return new BigInteger(127, new SecureRandom()).setBit(126);
    }

    private static ContentSigner signer(PrivateKey key) throws OperatorCreationException {
        return new JcaContentSignerBuilder("SHA256withECDSA").build(key);
    }

    private static X509Certificate toX509(X509CertificateHolder h) throws CertificateException, IOException {
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(h.getEncoded()));
    }

    static boolean selfSigned(X509Certificate c) {
        if (!c.getSubjectX500Principal().equals(c.getIssuerX500Principal())) return false;
        try {
            c.verify(c.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** Every certificate in a PEM (or DER) file. */
    public static List<X509Certificate> readCertificates(Path file) throws IOException, CertificateException {
        try (InputStream in = Files.newInputStream(file)) {
            Collection<? extends Certificate> all = CertificateFactory.getInstance("X.509").generateCertificates(in);
            List<X509Certificate> out = new ArrayList<>();
            for (Certificate c : all) out.add((X509Certificate) c);
            if (out.isEmpty()) throw new CertificateException("no certificate in " + file);
            return out;
        }
    }

    static PrivateKey readKey(Path file) throws IOException, GeneralSecurityException {
        String pem = Files.readString(file, StandardCharsets.US_ASCII);
        String b64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(b64)));
    }

    private static void writeKey(Path file, PrivateKey key) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        try {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(tmp);
        }
        Files.writeString(tmp, pem("PRIVATE KEY", key.getEncoded()), StandardCharsets.US_ASCII);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void writePem(Path file, String type, byte[] der) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, pem(type, der), StandardCharsets.US_ASCII);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    public static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[]{'\n'}).encodeToString(der) + "\n-----END " + type + "-----\n";
    }
}
