package io.kinora.provenance.internal.c2pa;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * CBOR for C2PA (RFC 8949): writes values in Core Deterministic Encoding (definite lengths, shortest integer
 * forms, map keys sorted by their encoded bytes, §4.2.1) with Jackson's CBOR generator, and reads untrusted CBOR
 * into a Jackson tree (integer map keys read back as their decimal strings; tags are dropped).
 * <p>Value model for writing: {@link Map} (keys {@link String} or {@link Long}/{@link Integer}), {@link List},
 * {@code byte[]} (byte string), {@link String}, {@link Long}/{@link Integer}, {@link Boolean}, {@code null},
 * {@link Tagged}.
 */
public final class Cbor {
    private static final CBORFactory FACTORY = CBORFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).maxStringLength(16 << 20).build())
            .build();
    private static final ObjectMapper MAPPER = new ObjectMapper(FACTORY);

    /** A tagged value (CBOR major type 6), e.g. tag 18 for COSE_Sign1. */
    public record Tagged(int tag, Object value) {
    }

    private Cbor() {
    }

    public static byte[] encode(Object value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (CBORGenerator g = FACTORY.createGenerator(out)) {
            write(g, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Parses one CBOR item; {@link IOException} for anything malformed, truncated or too deep. */
    public static JsonNode decode(byte[] data) throws IOException {
        JsonNode n = MAPPER.readTree(data);
        if (n == null || n.isMissingNode()) throw new IOException("empty CBOR");
        return n;
    }

    private static void write(CBORGenerator g, Object v) throws IOException {
        if (v == null) {
            g.writeNull();
        } else if (v instanceof String s) {
            g.writeString(s);
        } else if (v instanceof byte[] b) {
            g.writeBinary(b);
        } else if (v instanceof Long || v instanceof Integer) {
            g.writeNumber(((Number) v).longValue());
        } else if (v instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (v instanceof Tagged t) {
            g.writeTag(t.tag());
            write(g, t.value());
        } else if (v instanceof List<?> list) {
            g.writeStartArray(list, list.size());
            for (Object o : list) write(g, o);
            g.writeEndArray();
        } else if (v instanceof Map<?, ?> map) {
            List<Object[]> entries = new ArrayList<>(map.size());
            for (Map.Entry<?, ?> e : map.entrySet()) entries.add(new Object[]{encode(keyOf(e.getKey())), e.getKey(), e.getValue()});
            entries.sort((a, b) -> Arrays.compareUnsigned((byte[]) a[0], (byte[]) b[0]));
            g.writeStartObject(map, map.size());
            for (Object[] e : entries) {
                if (e[1] instanceof String k) g.writeFieldName(k);
                else g.writeFieldId(((Number) e[1]).longValue());
                write(g, e[2]);
            }
            g.writeEndObject();
        } else {
            throw new IllegalArgumentException("no CBOR form for " + v.getClass().getName());
        }
    }

    private static Object keyOf(Object k) {
        if (k instanceof String || k instanceof Long || k instanceof Integer) return k;
        throw new IllegalArgumentException("CBOR map keys must be text or integers, not " + k);
    }
}
