package io.kinora.models.i2v.internal;

import io.kinora.json.Json;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the model needs from {@code META-INF/kinora/model.json}: identity, sampler settings, file hashes. */
record I2vDescriptor(String id, String version, String family, String description, int steps, double guidance,
                     int latentChannels, int latentSize, int size, Map<String, String> sha256) {

    static final String FOLDER = "META-INF/kinora/";
    static final String RESOURCE = FOLDER + "model.json";

    static I2vDescriptor load(ClassLoader loader) throws IOException {
        try (InputStream in = loader.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IOException(RESOURCE + " is missing from the model bundle");
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    static I2vDescriptor parse(String json) throws IOException {
        try {
            Map<?, ?> m = (Map<?, ?>) Json.parse(json);
            Map<?, ?> s = (Map<?, ?>) m.get("sampler");
            if (s == null) throw new IOException(RESOURCE + " has no \"sampler\" section");
            Map<String, String> sha = new LinkedHashMap<>();
            for (Object o : (List<?>) m.get("files")) {
                Map<?, ?> f = (Map<?, ?>) o;
                sha.put((String) f.get("path"), (String) f.get("sha256"));
            }
            return new I2vDescriptor((String) m.get("id"), (String) m.get("version"), (String) m.get("family"),
                    (String) m.get("description"), num(s, "steps"), ((Number) s.get("guidance")).doubleValue(),
                    num(s, "latentChannels"), num(s, "latentSize"), num(s, "size"), sha);
        } catch (ClassCastException | NullPointerException | IllegalArgumentException e) {
            throw new IOException("invalid " + RESOURCE + ": " + e.getMessage(), e);
        }
    }

    private static int num(Map<?, ?> m, String key) throws IOException {
        Object v = m.get(key);
        if (!(v instanceof Number n)) throw new IOException(RESOURCE + ": sampler." + key + " is not a number");
        return n.intValue();
    }
}
