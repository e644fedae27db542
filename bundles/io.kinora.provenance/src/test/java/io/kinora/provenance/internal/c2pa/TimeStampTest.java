package io.kinora.provenance.internal.c2pa;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.kinora.api.provenance.LayerStatus;
import io.kinora.provenance.internal.bmff.Mp4Inspector;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.tsp.TSPAlgorithms;
import org.bouncycastle.tsp.TimeStampRequest;
import org.bouncycastle.tsp.TimeStampResponseGenerator;
import org.bouncycastle.tsp.TimeStampTokenGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The RFC 3161 path against a TSA running in the test (no network): the token lands in sigTst2 and matches. */
class TimeStampTest {
    @TempDir
    Path dir;

    @Test
    void signsWithATimeStampFromAConfiguredTsa() throws Exception {
        Tools.assumeFfmpeg();
        SigningIdentity id = Keys.localCa(dir.resolve("ca"), "Kinora-Test");
        KeyPair tsaKeys = Keys.ecKeyPair();
        Instant now = Instant.now();
        X509Certificate tsaCert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(
                new JcaX509v3CertificateBuilder(id.anchor(), BigInteger.valueOf(7), Date.from(now.minus(Duration.ofHours(1))),
                        Date.from(now.plus(Duration.ofDays(30))), new org.bouncycastle.asn1.x500.X500Name("CN=Test TSA"), tsaKeys.getPublic())
                        .addExtension(Extension.extendedKeyUsage, true, new ExtendedKeyUsage(KeyPurposeId.id_kp_timeStamping))
                        .addExtension(Extension.keyUsage, true, new org.bouncycastle.asn1.x509.KeyUsage(org.bouncycastle.asn1.x509.KeyUsage.digitalSignature))
                        .addExtension(Extension.subjectKeyIdentifier, false, new org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils().createSubjectKeyIdentifier(tsaKeys.getPublic()))
                        .addExtension(Extension.authorityKeyIdentifier, false, new org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils().createAuthorityKeyIdentifier(id.anchor()))
                        .build(new JcaContentSignerBuilder("SHA256withECDSA").build(Keys.readKey(dir.resolve("ca").resolve(Keys.CA_KEY))))
                        .getEncoded()));
        TimeStampTokenGenerator tg = new TimeStampTokenGenerator(new JcaSignerInfoGeneratorBuilder(new JcaDigestCalculatorProviderBuilder().build())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(tsaKeys.getPrivate()), new JcaX509CertificateHolder(tsaCert)),
                new JcaDigestCalculatorProviderBuilder().build().get(new org.bouncycastle.asn1.x509.AlgorithmIdentifier(
                        org.bouncycastle.asn1.oiw.OIWObjectIdentifiers.idSHA1)), new ASN1ObjectIdentifier("1.2.3.4.1"));
        tg.addCertificates(new JcaCertStore(List.of(tsaCert)));
        TimeStampResponseGenerator rg = new TimeStampResponseGenerator(tg, TSPAlgorithms.ALLOWED);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        int[] calls = {0};
        server.createContext("/tsa", ex -> {
            try {
                TimeStampRequest req = new TimeStampRequest(ex.getRequestBody().readAllBytes());
                byte[] resp = rg.generate(req, BigInteger.valueOf(++calls[0]), new Date()).getEncoded();
                ex.getResponseHeaders().add("Content-Type", "application/timestamp-reply");
                ex.sendResponseHeaders(200, resp.length);
                ex.getResponseBody().write(resp);
            } catch (Exception e) {
                ex.sendResponseHeaders(500, -1);
            } finally {
                ex.close();
            }
        });
        server.start();
        try {
            C2paValidator validator = new C2paValidator(List.of(new C2paValidator.Anchor(id.anchor(), "test root", true)));
            ManifestSigner signer = new ManifestSigner(() -> id, "http://127.0.0.1:" + server.getAddress().getPort() + "/tsa",
                    ManifestSigner.TRAINED, "test", () -> validator);
            Path f = Tools.encode(dir.resolve("tst.mp4"), 0.5, true, Map.of());
            LayerStatus s = signer.sign(f, C2paSigningTest.request("c-t"), Mp4Inspector.inspect(f));
            assertEquals(1, calls[0]);
            assertTrue(s.detail().contains("RFC 3161 time stamp"), s.detail());
            C2paValidation v = validator.validate(f);
            assertEquals(C2paValidation.State.VALID, v.state(), v.failures().toString());
            assertTrue(v.facts().get("timeStamp").contains("imprint matches the signature"), v.facts().toString());
            if (Tools.node() != null && Files.isDirectory(Tools.ORACLE.resolve("node_modules"))) {
                Path anchor = Files.writeString(dir.resolve("root.pem"), Keys.pem("CERTIFICATE", id.anchor().getEncoded()));
                String out = Tools.oracle(f, anchor);
                JsonNode j = new ObjectMapper().readTree(out);
                // the TSA certificate chains to the same test root, so c2pa-rs trusts the time stamp as well
                assertEquals("Trusted", j.path("validation_state").asText(), out);
                assertTrue(out.contains("\"timeStamp.validated\""), out);
            }
        } finally {
            server.stop(0);
        }
    }
}
