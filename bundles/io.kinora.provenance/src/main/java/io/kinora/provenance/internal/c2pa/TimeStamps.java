package io.kinora.provenance.internal.c2pa;

import com.fasterxml.jackson.databind.JsonNode;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.tsp.TSPException;
import org.bouncycastle.tsp.TimeStampRequest;
import org.bouncycastle.tsp.TimeStampRequestGenerator;
import org.bouncycastle.tsp.TimeStampResponse;
import org.bouncycastle.tsp.TimeStampToken;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.HttpURLConnection;
import java.net.URI;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;

/**
 * RFC 3161 time stamps for C2PA v2 ({@code sigTst2}, C2PA 2.2 §10.3.2.5): the imprint is the SHA-256 of the
 * COSE {@code Sig_structure} with context {@code CounterSignature} whose payload is the signature field
 * (encoded as a byte string). Only used when a TSA URL is configured: Kinora makes no network calls otherwise.
 */
public final class TimeStamps {
    private static final int MAX_RESPONSE = 1 << 20;

    private TimeStamps() {
    }

    static byte[] imprint(byte[] protectedHeader, byte[] signature) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(Cose.toBeSigned("CounterSignature", protectedHeader, Cbor.encode(signature)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Asks the TSA at {@code url} for a token over the signature; returns the DER {@code TimeStampToken}. */
    public static byte[] request(String url, byte[] protectedHeader, byte[] signature, int timeoutMillis) throws IOException {
        TimeStampRequestGenerator g = new TimeStampRequestGenerator();
        g.setCertReq(true);
        TimeStampRequest req = g.generate(NISTObjectIdentifiers.id_sha256, imprint(protectedHeader, signature), new BigInteger(63, new SecureRandom()));
        HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
        c.setConnectTimeout(timeoutMillis);
        c.setReadTimeout(timeoutMillis);
        c.setDoOutput(true);
        c.setRequestMethod("POST");
        c.setRequestProperty("Content-Type", "application/timestamp-query");
        try (OutputStream out = c.getOutputStream()) {
            out.write(req.getEncoded());
        }
        if (c.getResponseCode() != 200) throw new IOException("the time-stamp authority " + url + " answered HTTP " + c.getResponseCode());
        byte[] body;
        try (InputStream in = c.getInputStream()) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            int n;
            while ((n = in.read(buf)) > 0) {
                b.write(buf, 0, n);
                if (b.size() > MAX_RESPONSE) throw new IOException("the time-stamp response from " + url + " is larger than 1 MiB");
            }
            body = b.toByteArray();
        }
        try {
            TimeStampResponse resp = new TimeStampResponse(body);
            resp.validate(req);
            if (resp.getTimeStampToken() == null) throw new IOException("the time-stamp authority " + url + " granted no token: " + resp.getStatusString());
            return resp.getTimeStampToken().getEncoded();
        } catch (TSPException e) {
            throw new IOException("the time-stamp response from " + url + " is invalid: " + e.getMessage(), e);
        }
    }

    /** The unprotected-header entry for a token. */
    static Map<String, Object> sigTst2(byte[] token) {
        return Map.of("tstTokens", List.of(Map.of("val", token)));
    }

    /** Describes the time stamp in an unprotected header (v2), checking its imprint against this signature. */
    static String describe(JsonNode unprotected, byte[] signature, byte[] protectedHeader, byte[] claim) {
        try {
            JsonNode t = unprotected.path("sigTst2").path("tstTokens").path(0).path("val");
            if (!t.isBinary()) return unprotected.has("sigTst") ? "legacy v1 time stamp (sigTst), not checked" : "malformed time stamp";
            TimeStampToken token = new TimeStampToken(new CMSSignedData(t.binaryValue()));
            boolean match = MessageDigest.isEqual(token.getTimeStampInfo().getMessageImprintDigest(), imprint(protectedHeader, signature));
            return "RFC 3161 " + token.getTimeStampInfo().getGenTime().toInstant() + " by " + token.getSID().getIssuer()
                    + (match ? ", imprint matches the signature" : ", imprint does NOT match the signature");
        } catch (Exception e) {
            return "unreadable time stamp: " + e.getMessage();
        }
    }
}
