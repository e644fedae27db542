package io.kinora.provenance.internal.c2pa;

import com.fasterxml.jackson.databind.JsonNode;
import io.kinora.provenance.internal.bmff.BmffFormatException;
import io.kinora.provenance.internal.bmff.BmffReader;
import io.kinora.provenance.internal.bmff.Box;
import io.kinora.provenance.internal.bmff.C2paBox;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Validates the C2PA manifest of an MP4 (C2PA 2.2 §15, the parts a single-manifest BMFF asset needs): one
 * manifest box before the media; the JUMBF store; the active manifest's claim (v2 or v1); every hashed URI;
 * exactly one hard binding, recomputed ({@code c2pa.hash.bmff.v2/v3}); the COSE_Sign1 signature over the claim;
 * the signing certificate's profile; and trust against the given anchors. Never throws for bad input: every
 * problem becomes a failure code in the result.
 */
public final class C2paValidator {
    static final int MAX_STORE = 64 << 20;
    private static final Set<String> ACCEPTED_EKU = Set.of(Keys.EKU_C2PA_CLAIM_SIGNING, Keys.EKU_DOCUMENT_SIGNING, Keys.EKU_EMAIL_PROTECTION,
            "1.3.6.1.5.5.7.3.8", "1.3.6.1.5.5.7.3.9", "1.3.6.1.4.1.311.76.59.1.9");

    /** A trust anchor with a name for reports. */
    public record Anchor(X509Certificate certificate, String name, boolean local) {
    }

    private final List<Anchor> anchors;

    public C2paValidator(List<Anchor> anchors) {
        this.anchors = List.copyOf(anchors);
    }

    public C2paValidation validate(Path file) {
        Result r = new Result();
        try (BmffReader reader = new BmffReader(file)) {
            reader.checkSignature();
            List<Box> top = reader.topLevel();
            List<Box> manifests = new ArrayList<>();
            int firstMedia = -1;
            for (int i = 0; i < top.size(); i++) {
                Box b = top.get(i);
                if ((b.is("moov") || b.is("mdat")) && firstMedia < 0) firstMedia = i;
                if (b.is("uuid") && C2paBox.UUID.equals(b.userType())) {
                    String purpose = purpose(reader, b);
                    if (!"merkle".equals(purpose)) {
                        manifests.add(b);
                        if (firstMedia >= 0 && !"update".equals(purpose)) r.fail("manifest.misplaced", "the C2PA box " + b + " comes after moov/mdat (§A.5.3)");
                    }
                }
            }
            if (manifests.isEmpty()) return new C2paValidation(C2paValidation.State.ABSENT, List.of(), null, false, "no manifest", Map.of(), List.of(), List.of());
            if (manifests.size() > 1) {
                r.fail("manifest.multipleStores", "the file carries " + manifests.size() + " C2PA manifest boxes (at offsets "
                        + manifests.stream().map(b -> String.valueOf(b.offset())).toList() + "); one is allowed");
                return r.done();
            }
            Box box = manifests.get(0);
            byte[] payload = store(reader, box, r);
            if (payload == null) return r.done();
            validateStore(file, payload, r);
        } catch (BmffFormatException e) {
            r.fail("general.error", (e.notBmff() ? "not an MP4/ISO-BMFF file: " : "damaged MP4: ") + e.getMessage());
        } catch (IOException e) {
            r.fail("general.error", "cannot read the file: " + e.getMessage());
        }
        return r.done();
    }

    private static String purpose(BmffReader reader, Box b) throws IOException {
        byte[] p = reader.payloadHead(b, 4 + 32);
        int i = 4;
        StringBuilder s = new StringBuilder();
        while (i < p.length && p[i] != 0) s.append((char) (p[i++] & 0xff));
        return s.toString();
    }

    private static byte[] store(BmffReader reader, Box b, Result r) throws IOException {
        if (b.payloadSize() > MAX_STORE) {
            r.fail("manifest.tooLarge", "the C2PA box " + b + " is larger than " + MAX_STORE + " bytes");
            return null;
        }
        byte[] p = reader.read(b.payloadOffset(), (int) b.payloadSize());
        if (p.length < 5 || p[0] != 0) {
            r.fail("manifest.malformed", "the C2PA box " + b + " has no version 0 header");
            return null;
        }
        int i = 4;
        while (i < p.length && p[i] != 0) i++;
        if (i >= p.length) {
            r.fail("manifest.malformed", "the C2PA box purpose is not terminated");
            return null;
        }
        String purpose = new String(p, 4, i - 4, StandardCharsets.ISO_8859_1);
        r.facts.put("box", "uuid at offset " + b.offset() + ", " + b.size() + " bytes, purpose " + purpose);
        int start = i + 1;
        if (purpose.equals("manifest")) start += 8;
        else if (!purpose.equals("original") && !purpose.equals("update")) {
            r.fail("manifest.malformed", "the C2PA box purpose \"" + purpose + "\" is not manifest/original/update");
            return null;
        }
        if (start > p.length) {
            r.fail("manifest.malformed", "the C2PA box ends before its manifest store");
            return null;
        }
        return Arrays.copyOfRange(p, start, p.length);
    }

    private void validateStore(Path file, byte[] storeBytes, Result r) {
        Jumbf.SuperBox store;
        try {
            store = Jumbf.parse(storeBytes);
        } catch (Jumbf.JumbfException e) {
            r.fail("manifest.malformed", "broken JUMBF: " + e.getMessage());
            return;
        }
        if (!Jumbf.STORE.equals(store.type()) || !"c2pa".equals(store.label())) {
            r.fail("manifest.malformed", "the JUMBF superbox is not a C2PA manifest store (label \"" + store.label() + "\")");
            return;
        }
        List<Jumbf.SuperBox> ms = store.children().stream()
                .filter(m -> Jumbf.MANIFEST.equals(m.type()) || Jumbf.UPDATE_MANIFEST.equals(m.type())).toList();
        if (ms.isEmpty()) {
            r.fail("claim.missing", "the manifest store holds no manifest");
            return;
        }
        Jumbf.SuperBox m = ms.get(ms.size() - 1); // the active manifest is the last one (§11.1.4.2)
        r.facts.put("manifest", m.label() + (ms.size() > 1 ? " (active; " + ms.size() + " manifests in the store)" : ""));
        Jumbf.SuperBox assertions = m.children().stream().filter(c -> Jumbf.ASSERTIONS.equals(c.type())).findFirst().orElse(null);
        Jumbf.SuperBox claimBox = m.children().stream().filter(c -> Jumbf.CLAIM.equals(c.type())).findFirst().orElse(null);
        Jumbf.SuperBox sigBox = m.children().stream().filter(c -> Jumbf.SIGNATURE.equals(c.type())).findFirst().orElse(null);
        if (claimBox == null || claimBox.content("cbor") == null) {
            r.fail("claim.missing", "the manifest has no claim");
            return;
        }
        if (sigBox == null || sigBox.content("cbor") == null) {
            r.fail("claimSignature.missing", "the manifest has no claim signature");
            return;
        }
        if (assertions == null) {
            r.fail("assertion.missing", "the manifest has no assertion store");
            return;
        }
        byte[] claimBytes = claimBox.content("cbor");
        JsonNode claim;
        try {
            claim = Cbor.decode(claimBytes);
        } catch (IOException e) {
            r.fail("claim.cbor.invalid", "the claim is not valid CBOR: " + e.getMessage());
            return;
        }
        boolean v2 = "c2pa.claim.v2".equals(claimBox.label());
        r.facts.put("claim", claimBox.label());
        String alg = claim.path("alg").asText("sha256");
        JsonNode gen = claim.path("claim_generator_info");
        if (gen.isArray()) gen = gen.path(0);
        if (gen.has("name")) r.facts.put("claimGenerator", gen.path("name").asText() + (gen.has("version") ? " " + gen.path("version").asText() : ""));
        else if (claim.has("claim_generator")) r.facts.put("claimGenerator", claim.path("claim_generator").asText());
        if (claim.has("dc:title")) r.facts.put("title", claim.path("dc:title").asText());
        if (claim.has("instanceID")) r.facts.put("instanceID", claim.path("instanceID").asText());
        // hashed URIs
        List<JsonNode> refs = new ArrayList<>();
        for (String k : v2 ? List.of("created_assertions", "gathered_assertions") : List.of("assertions")) {
            for (JsonNode n : claim.path(k)) refs.add(n);
        }
        if (refs.isEmpty()) r.fail("claim.malformed", "the claim lists no assertions");
        Map<String, JsonNode> decoded = new LinkedHashMap<>();
        for (JsonNode ref : refs) {
            String url = ref.path("url").asText("");
            String label = url.substring(url.lastIndexOf('/') + 1);
            Jumbf.SuperBox a = assertions.child(label);
            if (a == null) {
                r.fail("assertion.missing", "the claim refers to " + url + ", which is not in the assertion store");
                continue;
            }
            try {
                byte[] want = ref.path("hash").binaryValue();
                byte[] got = MessageDigest.getInstance(BmffHash.javaAlg(ref.path("alg").asText(alg))).digest(a.contents());
                if (want == null || !MessageDigest.isEqual(want, got)) {
                    r.fail("assertion.hashedURI.mismatch", "the assertion " + label + " does not match its hash in the claim (edited after signing)");
                    continue;
                }
                byte[] cbor = a.content("cbor");
                if (cbor != null) decoded.put(label, Cbor.decode(cbor));
            } catch (IOException e) {
                r.fail("assertion.cbor.invalid", "the assertion " + label + " is not valid CBOR: " + e.getMessage());
            } catch (NoSuchAlgorithmException e) {
                r.fail("algorithm.unsupported", e.getMessage());
            }
        }
        actionsAndIngredients(decoded, r);
        hardBinding(file, decoded, r);
        signature(claimBytes, sigBox.content("cbor"), claim, m, r);
    }

    private static void actionsAndIngredients(Map<String, JsonNode> decoded, Result r) {
        boolean sawActions = false;
        for (Map.Entry<String, JsonNode> e : decoded.entrySet()) {
            String label = e.getKey();
            if (label.startsWith("c2pa.actions")) {
                sawActions = true;
                for (JsonNode a : e.getValue().path("actions")) {
                    Map<String, String> m = new LinkedHashMap<>();
                    m.put("action", a.path("action").asText());
                    if (a.has("digitalSourceType")) m.put("digitalSourceType", a.path("digitalSourceType").asText());
                    JsonNode agent = a.path("softwareAgent");
                    if (agent.isTextual()) m.put("softwareAgent", agent.asText());
                    else if (agent.has("name")) m.put("softwareAgent", agent.path("name").asText() + (agent.has("version") ? " " + agent.path("version").asText() : ""));
                    if (a.has("description")) m.put("description", a.path("description").asText());
                    r.actions.add(m);
                }
            } else if (label.equals(C2paSigner.LABEL_ASSERTION)) {
                r.facts.put("labels", e.getValue().toString()); // Kinora's record of the perceptible labels, as JSON
            } else if (label.startsWith("c2pa.ingredient")) {
                JsonNode i = e.getValue();
                Map<String, String> m = new LinkedHashMap<>();
                m.put("title", i.path("dc:title").asText(""));
                m.put("relationship", i.path("relationship").asText(""));
                if (i.has("dc:format")) m.put("format", i.path("dc:format").asText());
                if (i.has("description")) m.put("description", i.path("description").asText());
                r.ingredients.add(m);
            }
        }
        if (!sawActions) r.fail("assertion.missing", "the manifest has no actions assertion (required since C2PA 2.0)");
        else if (r.actions.isEmpty()) r.fail("assertion.action.malformed", "the actions assertion lists no actions");
        else {
            String first = r.actions.get(0).get("action");
            if (!first.equals("c2pa.created") && !first.equals("c2pa.opened")) {
                r.fail("assertion.action.malformed", "the first action is " + first + ", not c2pa.created or c2pa.opened");
            } else if (first.equals("c2pa.created") && !r.actions.get(0).containsKey("digitalSourceType")) {
                r.fail("assertion.action.malformed", "c2pa.created has no digitalSourceType");
            }
        }
    }

    private static void hardBinding(Path file, Map<String, JsonNode> decoded, Result r) {
        List<String> bindings = decoded.keySet().stream()
                .filter(l -> l.startsWith("c2pa.hash.bmff") || l.startsWith("c2pa.hash.data") || l.startsWith("c2pa.hash.boxes")).toList();
        if (bindings.isEmpty()) {
            r.fail("claim.hardBindings.missing", "the manifest has no hard binding");
            return;
        }
        if (bindings.size() > 1) {
            r.fail("assertion.multipleHardBindings", "the manifest has " + bindings.size() + " hard bindings: " + bindings);
            return;
        }
        String label = bindings.get(0);
        if (!label.equals("c2pa.hash.bmff.v2") && !label.equals("c2pa.hash.bmff.v3")) {
            r.fail("assertion.bmffHash.mismatch", "hard binding " + label + " cannot bind an MP4 (or is the removed v1)");
            return;
        }
        JsonNode h = decoded.get(label);
        if (h.has("merkle")) {
            r.fail("assertion.bmffHash.unsupported", "Merkle-tree BMFF hashes are not validated by this implementation");
            return;
        }
        try {
            List<BmffHash.Exclusion> ex = new ArrayList<>();
            for (JsonNode e : h.path("exclusions")) {
                List<long[]> subsets = new ArrayList<>();
                for (JsonNode s : e.path("subset")) subsets.add(new long[]{s.path("offset").asLong(), s.path("length").asLong()});
                List<Map.Entry<Long, byte[]>> data = new ArrayList<>();
                for (JsonNode d : e.path("data")) {
                    byte[] v = d.path("value").binaryValue();
                    if (v == null) throw new IOException("exclusion data value is not a byte string");
                    data.add(Map.entry(d.path("offset").asLong(), v));
                }
                ex.add(new BmffHash.Exclusion(e.path("xpath").asText(null), present(e, "length") ? e.path("length").asLong() : null, subsets, data,
                        present(e, "version") ? e.path("version").asInt() : null, present(e, "flags") ? e.path("flags").binaryValue() : null,
                        !present(e, "exact") || e.path("exact").asBoolean(true)));
            }
            byte[] want = h.path("hash").binaryValue();
            byte[] got = BmffHash.hash(file, h.path("alg").asText("sha256"), ex);
            if (want == null || !MessageDigest.isEqual(want, got)) {
                r.fail("assertion.bmffHash.mismatch", "the file's bytes do not match the signed " + label + " hash: the media or metadata changed after signing");
            } else {
                r.facts.put("hardBinding", label + " (" + h.path("alg").asText("sha256") + ") matches");
            }
        } catch (BmffHash.UnsupportedExclusionException e) {
            r.fail("assertion.bmffHash.unsupported", e.getMessage());
        } catch (NoSuchAlgorithmException e) {
            r.fail("algorithm.unsupported", e.getMessage());
        } catch (BmffFormatException | IOException e) {
            r.fail("assertion.bmffHash.mismatch", "cannot hash the file: " + e.getMessage());
        }
    }

    /** A map entry that is there and not CBOR null (c2pa-rs writes absent options as null). */
    private static boolean present(JsonNode map, String key) {
        return map.has(key) && !map.get(key).isNull();
    }

    private void signature(byte[] claimBytes, byte[] coseBytes, JsonNode claim, Jumbf.SuperBox manifest, Result r) {
        JsonNode cose;
        try {
            cose = Cbor.decode(coseBytes);
        } catch (IOException e) {
            r.fail("claimSignature.malformed", "the COSE signature is not valid CBOR: " + e.getMessage());
            return;
        }
        if (!cose.isArray() || cose.size() != 4) {
            r.fail("claimSignature.malformed", "the signature is not a COSE_Sign1 array of 4");
            return;
        }
        try {
            byte[] prot = cose.get(0).binaryValue();
            byte[] sig = cose.get(3).binaryValue();
            if (prot == null || sig == null) throw new IOException("protected header or signature is not a byte string");
            JsonNode ph = Cbor.decode(prot);
            JsonNode uh = cose.get(1);
            Cose.Alg alg = ph.has("1") && ph.get("1").canConvertToLong() ? Cose.alg(ph.get("1").asLong()) : null;
            if (alg == null) {
                r.fail("algorithm.unsupported", "COSE algorithm " + ph.path("1") + " is not one this implementation validates (ES256/384/512)");
                return;
            }
            r.facts.put("alg", alg.name());
            JsonNode x5 = ph.has("33") ? ph.get("33") : ph.has("x5chain") ? ph.get("x5chain") : uh.has("33") ? uh.get("33") : uh.get("x5chain");
            if (x5 == null) {
                r.fail("claimSignature.missing", "the signature carries no certificate chain (x5chain)");
                return;
            }
            List<byte[]> ders = new ArrayList<>();
            if (x5.isBinary()) ders.add(x5.binaryValue());
            else for (JsonNode c : x5) ders.add(c.binaryValue());
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            List<X509Certificate> chain = new ArrayList<>();
            for (byte[] d : ders) {
                if (d == null) throw new IOException("x5chain entry is not a byte string");
                chain.add((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(d)));
            }
            if (chain.isEmpty()) throw new IOException("empty x5chain");
            X509Certificate leaf = chain.get(0);
            r.signer = leaf.getSubjectX500Principal().getName();
            r.facts.put("signer", r.signer);
            r.facts.put("issuer", leaf.getIssuerX500Principal().getName());
            if (uh.has("sigTst2") || uh.has("sigTst")) r.facts.put("timeStamp", TimeStamps.describe(uh, sig, prot, claimBytes));
            String sigUrl = claim.path("signature").asText("");
            if (!sigUrl.endsWith("/c2pa.signature") && !sigUrl.endsWith("=c2pa.signature")) {
                r.fail("claim.malformed", "the claim's signature reference \"" + sigUrl + "\" does not name c2pa.signature");
            }
            if (!Cose.verify(alg, leaf.getPublicKey(), Cose.toBeSigned("Signature1", prot, claimBytes), sig)) {
                r.fail("claimSignature.mismatch", "the claim signature does not verify: the claim changed after signing or the key does not match the certificate");
                return;
            }
            r.facts.put("signature", "COSE_Sign1 " + alg + " verified over the claim");
            profile(leaf, r);
            trust(chain, r);
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            r.fail("claimSignature.malformed", "cannot read the COSE signature: " + e.getMessage());
        }
    }

    private static void profile(X509Certificate leaf, Result r) throws GeneralSecurityException {
        if (leaf.getVersion() != 3) r.fail("signingCredential.invalid", "the signing certificate is not X.509 v3");
        if (leaf.getBasicConstraints() >= 0) r.fail("signingCredential.invalid", "the signing certificate is a CA certificate");
        boolean[] ku = leaf.getKeyUsage();
        if (ku == null || !ku[0]) r.fail("signingCredential.invalid", "the signing certificate lacks the digitalSignature key usage");
        List<String> eku = leaf.getExtendedKeyUsage();
        if (eku == null || eku.isEmpty()) r.fail("signingCredential.invalid", "the signing certificate has no extended key usage");
        else if (eku.contains("2.5.29.37.0")) r.fail("signingCredential.invalid", "the signing certificate allows anyExtendedKeyUsage");
        else if (eku.stream().noneMatch(ACCEPTED_EKU::contains)) r.fail("signingCredential.invalid", "no C2PA-accepted extended key usage in " + eku);
        if (Keys.selfSigned(leaf)) r.fail("signingCredential.invalid", "the signing certificate is self-signed");
        Date now = new Date();
        if (now.after(leaf.getNotAfter()) || now.before(leaf.getNotBefore())) {
            r.fail("signingCredential.expired", "the signing certificate is valid " + leaf.getNotBefore().toInstant() + " to " + leaf.getNotAfter().toInstant()
                    + " and there is no trusted time stamp");
        }
    }

    private void trust(List<X509Certificate> chain, Result r) {
        if (anchors.isEmpty()) {
            r.trust = "untrusted: no trust anchors configured";
            return;
        }
        for (Anchor a : anchors) {
            try {
                Set<TrustAnchor> ta = new HashSet<>();
                ta.add(new TrustAnchor(a.certificate(), null));
                PKIXParameters p = new PKIXParameters(ta);
                p.setRevocationEnabled(false);
                List<X509Certificate> path = new ArrayList<>(chain);
                path.removeIf(c -> c.equals(a.certificate()));
                CertPath cp = CertificateFactory.getInstance("X.509").generateCertPath(path);
                CertPathValidator.getInstance("PKIX").validate(cp, p);
                r.trusted = true;
                r.trust = "trusted: chains to " + a.name() + (a.local()
                        ? " (the local Kinora CA: NOT a publicly trusted identity; only this installation and validators given its root trust it)"
                        : "");
                return;
            } catch (CertPathValidatorException e) {
                // try the next anchor
            } catch (GeneralSecurityException e) {
                r.trust = "untrusted: " + e.getMessage();
            }
        }
        r.trust = "untrusted: the signer " + chain.get(0).getIssuerX500Principal().getName() + " does not chain to any of the "
                + anchors.size() + " configured trust anchors";
    }

    private static final class Result {
        final List<String> failures = new ArrayList<>();
        final Map<String, String> facts = new LinkedHashMap<>();
        final List<Map<String, String>> actions = new ArrayList<>();
        final List<Map<String, String>> ingredients = new ArrayList<>();
        String signer;
        boolean trusted;
        String trust = "untrusted: signature not validated";

        void fail(String code, String explanation) { failures.add(code + ": " + explanation); }

        C2paValidation done() {
            return new C2paValidation(failures.isEmpty() ? C2paValidation.State.VALID : C2paValidation.State.INVALID, failures, signer,
                    failures.isEmpty() && trusted, trust, facts, actions, ingredients);
        }
    }
}
