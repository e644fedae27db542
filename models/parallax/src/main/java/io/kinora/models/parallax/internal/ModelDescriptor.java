package io.kinora.models.parallax.internal;

import io.kinora.json.Json;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code META-INF/kinora/model.json}: identity, limits and the SHA-256 of every file the model loads.
 */
record ModelDescriptor(String id, String version, String family, String description, Limits limits,
                       Map<String, String> sha256) {

    static final String RESOURCE = "META-INF/kinora/model.json";
    static final String FOLDER = "META-INF/kinora/";

    /** What a render may ask for. */
    record Limits(int minSize, int maxWidth, int maxHeight, int maxFrames, long maxSourcePixels) {
    }

    static ModelDescriptor load(ClassLoader loader) throws IOException {
        try (InputStream in = loader.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IOException(RESOURCE + " is missing from the model bundle");
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @SuppressWarnings("unchecked")
    static ModelDescriptor parse(String json) {
        Object root;
        try {
            root = Json.parse(json);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(RESOURCE + " is not valid JSON: " + e.getMessage(), e);
        }
        if (!(root instanceof Map)) throw new IllegalArgumentException(RESOURCE + " must be a JSON object");
        Map<String, Object> m = (Map<String, Object>) root;
        Map<String, Object> lim = object(m, "limits");
        Limits limits = new Limits(integer(lim, "minSize"), integer(lim, "maxWidth"), integer(lim, "maxHeight"),
                integer(lim, "maxFrames"), (long) number(lim, "maxSourcePixels"));
        Map<String, String> hashes = new LinkedHashMap<>();
        Object files = m.get("files");
        if (!(files instanceof List) || ((List<Object>) files).isEmpty()) {
            throw new IllegalArgumentException(RESOURCE + ": \"files\" must list the model's files");
        }
        for (Object f : (List<Object>) files) {
            if (!(f instanceof Map)) throw new IllegalArgumentException(RESOURCE + ": every entry of \"files\" must be an object");
            Map<String, Object> file = (Map<String, Object>) f;
            String path = string(file, "path");
            String sha = string(file, "sha256").toLowerCase(java.util.Locale.ROOT);
            if (!sha.matches("[0-9a-f]{64}")) {
                throw new IllegalArgumentException(RESOURCE + ": sha256 of " + path + " must be 64 hex digits");
            }
            if (path.contains("..") || path.startsWith("/")) {
                throw new IllegalArgumentException(RESOURCE + ": file path " + path + " must stay in " + FOLDER);
            }
            hashes.put(path, sha);
        }
        return new ModelDescriptor(string(m, "id"), string(m, "version"), string(m, "family"),
                string(m, "description"), limits, Map.copyOf(hashes));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Map<String, Object> m, String key) {
        Object v = m.get(key);
        if (!(v instanceof Map)) throw new IllegalArgumentException(RESOURCE + ": \"" + key + "\" must be an object");
        return (Map<String, Object>) v;
    }

    private static String string(Map<String, Object> m, String key) {
        Object v = m.get(key);
        if (!(v instanceof String) || ((String) v).isBlank()) {
            throw new IllegalArgumentException(RESOURCE + ": \"" + key + "\" must be a non-empty string");
        }
        return (String) v;
    }

    private static double number(Map<String, Object> m, String key) {
        Object v = m.get(key);
        if (!(v instanceof Double) || (Double) v <= 0) {
            throw new IllegalArgumentException(RESOURCE + ": \"" + key + "\" must be a positive number");
        }
        return (Double) v;
    }

    private static int integer(Map<String, Object> m, String key) {
        double d = number(m, key);
        if (d != Math.rint(d) || d > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(RESOURCE + ": \"" + key + "\" must be a whole number");
        }
        return (int) d;
    }
}
