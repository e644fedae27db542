package io.kinora.provenance.internal.c2pa;

import io.kinora.api.media.StageException;
import io.kinora.api.provenance.LayerStatus;
import io.kinora.api.provenance.ProvenanceIngredient;
import io.kinora.api.provenance.ProvenanceRequest;
import io.kinora.provenance.internal.Layers;
import io.kinora.provenance.internal.bmff.BmffFormatException;
import io.kinora.provenance.internal.bmff.Mp4Inspection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Signs finished MP4s with a C2PA 2.2 manifest written by this code: claim v2; {@code c2pa.actions.v2} with
 * {@code c2pa.created} and the IPTC digital source type; {@code c2pa.ingredient.v3} per ingredient;
 * {@code c2pa.hash.bmff.v3} hard binding; COSE_Sign1 with x5chain; an RFC 3161 time stamp when a TSA is configured.
 * <p>Two passes: the manifest's size is fixed first (every hash and signature has a fixed length; a time stamp gets
 * a reserve absorbed by the COSE {@code pad} header), the file is rewritten with a box of that size after
 * {@code ftyp} and every chunk offset shifted, the final layout is hashed, the claim signed and the box filled in.
 * The result is validated before it replaces the file.
 */
public final class ManifestSigner implements C2paSigner {
    public static final String TRAINED = "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia";
    public static final String COMPOSITE = "http://cv.iptc.org/newscodes/digitalsourcetype/compositeWithTrainedAlgorithmicMedia";
    static final String HASH_LABEL = "c2pa.hash.bmff.v3";
    static final String ACTIONS_LABEL = "c2pa.actions.v2";
    /** Room kept for an RFC 3161 token (they run 2 to 6 KB with the TSA's certificates). */
    static final int TSA_RESERVE = 16 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(ManifestSigner.class);

    private final Supplier<SigningIdentity> identity;
    private final String tsaUrl;
    private final String digitalSourceType;
    private final String generatorVersion;
    private final Supplier<C2paValidator> validator;

    public ManifestSigner(Supplier<SigningIdentity> identity, String tsaUrl, String digitalSourceType, String generatorVersion,
                          Supplier<C2paValidator> validator) {
        this.identity = identity;
        this.tsaUrl = tsaUrl == null || tsaUrl.isBlank() ? null : tsaUrl.trim();
        this.digitalSourceType = digitalSourceType;
        this.generatorVersion = generatorVersion;
        this.validator = validator;
    }

    @Override
    public LayerStatus sign(Path file, ProvenanceRequest request, Mp4Inspection before) {
        return sign(file, request, before, null);
    }

    @Override
    public LayerStatus sign(Path file, ProvenanceRequest request, Mp4Inspection before, Map<String, Object> labels) {
        String name = String.valueOf(file.getFileName());
        if (!before.c2pa().isEmpty()) {
            throw new StageException(name + " already carries a C2PA box (offset " + before.c2pa().get(0).offset()
                    + "); Kinora signs the files it has just made, never over another manifest");
        }
        SigningIdentity id = identity.get();
        Path tmp = file.resolveSibling(name + ".c2pa-tmp");
        try {
            Files.deleteIfExists(tmp);
            Manifest m = new Manifest(request, id, labels);
            int storeSize = m.store(new byte[32], new byte[m.alg.signatureLength()], null, -1).length + (tsaUrl != null ? TSA_RESERVE : 0);
            byte[] head = boxHead(storeSize);
            Mp4Embedder.Placement at = Mp4Embedder.insertAfterFtyp(file, tmp, head.length + storeSize);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.write(ByteBuffer.wrap(head), at.offset());
            }
            byte[] hash = BmffHash.hash(tmp, "sha256", BmffHash.defaultExclusions());
            byte[] store = m.sign(hash, storeSize);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.write(ByteBuffer.wrap(store), at.offset() + head.length);
                ch.force(true);
            }
            C2paValidation v = validator.get().validate(tmp);
            if (v.state() != C2paValidation.State.VALID) {
                throw new StageException("C2PA signing of " + name + " produced a manifest that does not validate: " + String.join("; ", v.failures()));
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Map<String, String> facts = new LinkedHashMap<>(v.facts());
            facts.put("trusted", String.valueOf(v.trusted()));
            facts.put("trust", v.trust());
            facts.put("localCa", String.valueOf(id.local()));
            String detail = "signed " + m.label + " (claim v2, " + HASH_LABEL + ", " + m.alg + ", " + request.ingredients().size() + " ingredient(s)"
                    + (m.timeStamped ? ", RFC 3161 time stamp" : ", no time stamp") + ") by " + id.describe() + "; manifest box "
                    + (head.length + storeSize) + " bytes after ftyp, chunk offsets shifted";
            return new LayerStatus(Layers.C2PA, true, detail, LayerStatus.State.VALID, facts);
        } catch (BmffFormatException e) {
            throw new StageException("Cannot sign " + name + " with C2PA: " + e.getMessage());
        } catch (IOException e) {
            throw new StageException("Cannot sign " + name + " with C2PA: " + e.getMessage(), e);
        } catch (GeneralSecurityException | BmffHash.UnsupportedExclusionException e) {
            throw new StageException("Cannot sign " + name + " with C2PA: " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException e) {
                LOG.warn("Cannot delete {}: {}", tmp, e.getMessage());
            }
        }
    }

    /** The uuid box header up to the manifest store: size, 'uuid', C2PA UUID, version/flags, "manifest\0", merkle offset 0. */
    static byte[] boxHead(int storeSize) {
        byte[] purpose = "manifest\0".getBytes(StandardCharsets.US_ASCII);
        int headLen = 8 + 16 + 4 + purpose.length + 8;
        ByteBuffer b = ByteBuffer.allocate(headLen);
        b.putInt(headLen + storeSize).put("uuid".getBytes(StandardCharsets.US_ASCII)).put(BmffHash.uuidBytes()).putInt(0).put(purpose).putLong(0);
        return b.array();
    }

    /** One manifest being built. */
    private final class Manifest {
        final SigningIdentity id;
        final Cose.Alg alg;
        final String label;
        final String instanceId;
        final Map<String, byte[]> fixed = new LinkedHashMap<>();
        final byte[] protectedHeader;
        boolean timeStamped;

        Manifest(ProvenanceRequest r, SigningIdentity id, Map<String, Object> labels) throws CertificateEncodingException, GeneralSecurityException {
            this.id = id;
            this.alg = Cose.Alg.forKey(id.key());
            if (alg == null) throw new GeneralSecurityException("the signing key is not an ECDSA P-256/P-384/P-521 key");
            this.label = "urn:c2pa:" + UUID.nameUUIDFromBytes(("kinora-manifest:" + r.contentId()).getBytes(StandardCharsets.UTF_8));
            this.instanceId = "xmp:iid:" + UUID.nameUUIDFromBytes(("kinora-instance:" + r.contentId()).getBytes(StandardCharsets.UTF_8));
            this.protectedHeader = Cose.protectedHeader(alg, id.chain());
            List<String> ingredientLabels = new ArrayList<>();
            int n = 0;
            for (ProvenanceIngredient i : r.ingredients()) {
                String l = "c2pa.ingredient.v3" + (n == 0 ? "" : "__" + n);
                n++;
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("dc:title", i.title());
                if (i.format() != null) m.put("dc:format", i.format());
                m.put("relationship", i.relationship());
                String d = i.description() == null ? "" : i.description();
                if (i.sha256() != null) d = (d.isEmpty() ? "" : d + "; ") + "SHA-256 " + i.sha256();
                if (!d.isEmpty()) m.put("description", d);
                fixed.put(l, Jumbf.cborAssertion(l, Cbor.encode(m)));
                ingredientLabels.add(l);
            }
            Map<String, Object> agent = new LinkedHashMap<>();
            agent.put("name", "Kinora");
            agent.put("version", generatorVersion);
            Map<String, Object> created = new LinkedHashMap<>();
            created.put("action", "c2pa.created");
            created.put("digitalSourceType", digitalSourceType);
            created.put("softwareAgent", agent);
            String model = r.model() == null ? "a video model" : "the video model " + r.model().id() + " " + r.model().version();
            created.put("description", "Generated by " + model + " from a still image and a scene description (content ID " + r.contentId() + ")");
            if (!ingredientLabels.isEmpty()) {
                List<Object> refs = new ArrayList<>();
                for (String l : ingredientLabels) refs.add(hashedUri(l, fixed.get(l)));
                created.put("parameters", Map.of("ingredients", refs));
            }
            byte[] actions = Jumbf.cborAssertion(ACTIONS_LABEL, Cbor.encode(Map.of("actions", List.of(created))));
            Map<String, byte[]> ordered = new LinkedHashMap<>();
            ordered.put(ACTIONS_LABEL, actions);
            ordered.putAll(fixed);
            if (labels != null && !labels.isEmpty()) ordered.put(LABEL_ASSERTION, Jumbf.cborAssertion(LABEL_ASSERTION, Cbor.encode(labels)));
            fixed.clear();
            fixed.putAll(ordered);
        }

        Map<String, Object> hashedUri(String assertionLabel, byte[] superbox) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("url", "self#jumbf=c2pa.assertions/" + assertionLabel);
            m.put("hash", sha256(java.util.Arrays.copyOfRange(superbox, 8, superbox.length)));
            return m;
        }

        byte[] hashAssertion(byte[] hash) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("exclusions", BmffHash.exclusionsToCbor(BmffHash.defaultExclusions()));
            m.put("alg", "sha256");
            m.put("hash", hash);
            m.put("name", "jumbf manifest");
            return Jumbf.cborAssertion(HASH_LABEL, Cbor.encode(m));
        }

        byte[] claim(byte[] hashAssertion) {
            List<Object> created = new ArrayList<>();
            created.add(hashedUri(HASH_LABEL, hashAssertion));
            for (Map.Entry<String, byte[]> e : fixed.entrySet()) created.add(hashedUri(e.getKey(), e.getValue()));
            Map<String, Object> gen = new LinkedHashMap<>();
            gen.put("name", "Kinora");
            gen.put("version", generatorVersion);
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("instanceID", instanceId);
            c.put("claim_generator_info", gen);
            c.put("signature", "self#jumbf=/c2pa/" + label + "/c2pa.signature");
            c.put("created_assertions", created);
            c.put("alg", "sha256");
            return Cbor.encode(c);
        }

        /** The whole store; {@code padTo} &gt; 0 pads the COSE unprotected header so the store is exactly that long. */
        byte[] store(byte[] hash, byte[] signature, byte[] token, int padTo) {
            byte[] hashAssertion = hashAssertion(hash);
            byte[] claim = claim(hashAssertion);
            int pad = 0;
            byte[] out = build(hashAssertion, claim, signature, token, pad);
            if (padTo > 0) {
                int missing = padTo - out.length;
                if (missing < 0) throw new IllegalStateException("manifest of " + out.length + " bytes does not fit the reserved " + padTo);
                // a byte string's header grows with its length (1, 2, 3 or 5 bytes): try the lengths that can land exactly
                for (int p = missing; p >= Math.max(0, missing - 8); p--) {
                    out = build(hashAssertion, claim, signature, token, p);
                    if (out.length == padTo) return out;
                }
                throw new IllegalStateException("cannot pad the manifest to exactly " + padTo + " bytes");
            }
            return out;
        }

        private byte[] build(byte[] hashAssertion, byte[] claim, byte[] signature, byte[] token, int pad) {
            ByteArrayOutputStream assertions = new ByteArrayOutputStream();
            assertions.writeBytes(hashAssertion);
            for (byte[] a : fixed.values()) assertions.writeBytes(a);
            Map<String, Object> unprotected = new LinkedHashMap<>();
            if (token != null) unprotected.put("sigTst2", TimeStamps.sigTst2(token));
            unprotected.put("pad", new byte[pad]);
            byte[] cose = Cose.sign1(protectedHeader, unprotected, signature);
            byte[] manifest = Jumbf.superbox(Jumbf.MANIFEST, label,
                    Jumbf.superbox(Jumbf.ASSERTIONS, "c2pa.assertions", splitBoxes(assertions.toByteArray())),
                    Jumbf.superbox(Jumbf.CLAIM, "c2pa.claim.v2", Jumbf.box("cbor", claim)),
                    Jumbf.superbox(Jumbf.SIGNATURE, "c2pa.signature", Jumbf.box("cbor", cose)));
            return Jumbf.superbox(Jumbf.STORE, "c2pa", manifest);
        }

        byte[] sign(byte[] hash, int storeSize) throws GeneralSecurityException, IOException {
            byte[] claim = claim(hashAssertion(hash));
            byte[] signature = Cose.sign(alg, id.key(), Cose.toBeSigned("Signature1", protectedHeader, claim));
            byte[] token = null;
            if (tsaUrl != null) {
                token = TimeStamps.request(tsaUrl, protectedHeader, signature, 15_000);
                timeStamped = true;
                if (token.length > TSA_RESERVE - 64) throw new IOException("the time-stamp token (" + token.length + " bytes) exceeds the reserved space");
            }
            return store(hash, signature, token, storeSize);
        }
    }

    private static byte[][] splitBoxes(byte[] concatenated) {
        List<byte[]> out = new ArrayList<>();
        int pos = 0;
        while (pos < concatenated.length) {
            int size = ByteBuffer.wrap(concatenated, pos, 4).getInt();
            out.add(java.util.Arrays.copyOfRange(concatenated, pos, pos + size));
            pos += size;
        }
        return out.toArray(new byte[0][]);
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}
