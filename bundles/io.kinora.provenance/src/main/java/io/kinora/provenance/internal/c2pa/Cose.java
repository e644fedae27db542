package io.kinora.provenance.internal.c2pa;

import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA384Digest;
import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.Digest;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * COSE_Sign1 (RFC 9052) as C2PA uses it (§13.2, §14.5): tag 18, detached payload (the claim box contents),
 * {@code alg} and {@code x5chain} (label 33: leaf first, without the root) in the protected header, ECDSA
 * signatures as raw r‖s. Signing is deterministic ECDSA (RFC 6979), so equal inputs give equal files.
 */
public final class Cose {
    public static final int TAG = 18;
    public static final int HDR_ALG = 1;
    public static final int HDR_X5CHAIN = 33;

    /** The COSE algorithms Kinora signs and validates: ECDSA on P-256/P-384/P-521. */
    public enum Alg {
        ES256(-7, "SHA256withECDSAinP1363Format", 32), ES384(-35, "SHA384withECDSAinP1363Format", 48), ES512(-36, "SHA512withECDSAinP1363Format", 66);

        final int id;
        final String jca;
        final int fieldBytes;

        Alg(int id, String jca, int fieldBytes) {
            this.id = id;
            this.jca = jca;
            this.fieldBytes = fieldBytes;
        }

        public int id() { return id; }

        public int signatureLength() { return 2 * fieldBytes; }

        static Alg forId(long id) {
            for (Alg a : values()) if (a.id == id) return a;
            return null;
        }

        public static Alg forKey(PrivateKey key) {
            if (!(key instanceof ECKey ec)) return null;
            int bits = ec.getParams().getCurve().getField().getFieldSize();
            return bits == 256 ? ES256 : bits == 384 ? ES384 : bits == 521 ? ES512 : null;
        }

        Digest digest() {
            return switch (this) {
                case ES256 -> new SHA256Digest();
                case ES384 -> new SHA384Digest();
                case ES512 -> new SHA512Digest();
            };
        }
    }

    private Cose() {
    }

    public static byte[] protectedHeader(Alg alg, List<X509Certificate> chain) throws CertificateEncodingException {
        Map<Object, Object> h = new LinkedHashMap<>();
        h.put((long) HDR_ALG, (long) alg.id);
        List<Object> certs = new ArrayList<>();
        for (X509Certificate c : chain) certs.add(c.getEncoded());
        h.put((long) HDR_X5CHAIN, certs.size() == 1 ? certs.get(0) : certs);
        return Cbor.encode(h);
    }

    /** {@code Sig_structure} for a COSE_Sign1 with empty external AAD. */
    public static byte[] toBeSigned(String context, byte[] protectedHeader, byte[] payload) {
        return Cbor.encode(List.of(context, protectedHeader, new byte[0], payload));
    }

    /** Deterministic ECDSA (RFC 6979) over {@code data}, as r‖s of fixed width. */
    public static byte[] sign(Alg alg, PrivateKey key, byte[] data) throws GeneralSecurityException {
        ECPrivateKeyParameters params;
        try {
            params = (ECPrivateKeyParameters) PrivateKeyFactory.createKey(key.getEncoded());
        } catch (IOException | ClassCastException e) {
            throw new GeneralSecurityException("the signing key is not a usable EC private key: " + e.getMessage(), e);
        }
        Digest d = alg.digest();
        byte[] hash = new byte[d.getDigestSize()];
        d.update(data, 0, data.length);
        d.doFinal(hash, 0);
        ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(alg.digest()));
        signer.init(true, params);
        BigInteger[] rs = signer.generateSignature(hash);
        BigInteger n = params.getParameters().getN();
        BigInteger s = rs[1];
        if (s.compareTo(n.shiftRight(1)) > 0) s = n.subtract(s); // low-S form, as most verifiers expect
        byte[] out = new byte[alg.signatureLength()];
        put(rs[0], out, 0, alg.fieldBytes);
        put(s, out, alg.fieldBytes, alg.fieldBytes);
        return out;
    }

    public static boolean verify(Alg alg, PublicKey key, byte[] data, byte[] signature) throws GeneralSecurityException {
        if (signature.length != alg.signatureLength()) return false;
        Signature v = Signature.getInstance(alg.jca);
        v.initVerify(key);
        v.update(data);
        return v.verify(signature);
    }

    public static Alg alg(long id) { return Alg.forId(id); }

    private static void put(BigInteger v, byte[] out, int off, int len) {
        byte[] b = v.toByteArray();
        int copy = Math.min(b.length, len);
        System.arraycopy(b, b.length - copy, out, off + len - copy, copy);
    }

    /** The COSE_Sign1_Tagged structure with a detached payload. */
    public static byte[] sign1(byte[] protectedHeader, Map<String, Object> unprotected, byte[] signature) {
        List<Object> arr = new ArrayList<>();
        arr.add(protectedHeader);
        arr.add(unprotected);
        arr.add(null);
        arr.add(signature);
        return Cbor.encode(new Cbor.Tagged(TAG, arr));
    }
}
