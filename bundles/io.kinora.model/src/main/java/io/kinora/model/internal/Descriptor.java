package io.kinora.model.internal;

import io.kinora.json.Json;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import io.kinora.api.model.ModelException;

/**
 * The parsed and validated {@code META-INF/kinora/model.json} of a model bundle: id, version, family, description,
 * licence and the weight files with their SHA-256. File paths are relative to {@code META-INF/kinora/}.
 */
record Descriptor(String id, String version, String family, String description, String licence,
                  List<WeightFile> files) {

    record WeightFile(String path, String sha256) {
        /** The entry name inside the bundle. */
        String entry() { return "META-INF/kinora/" + path; }
    }

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    static Descriptor parse(byte[] bytes) {
        Object root;
        try {
            root = Json.parse(new String(bytes, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new ModelException("invalid descriptor " + io.kinora.api.model.ModelRegistry.DESCRIPTOR + ": "
                    + e.getMessage());
        }
        if (!(root instanceof Map<?, ?> m)) throw invalid("the top level is not a JSON object");
        String id = string(m, "id", true);
        if (!ID.matcher(id).matches()) throw invalid("\"id\" \"" + id + "\" is not a valid model id");
        String version = string(m, "version", true);
        String family = string(m, "family", true);
        String description = string(m, "description", false);
        String licence = string(m, "licence", false);
        Object filesValue = m.get("files");
        if (filesValue == null) throw invalid("\"files\" is missing (list every weight file with its sha256; [] if none)");
        if (!(filesValue instanceof List<?> list)) throw invalid("\"files\" is not a list");
        List<WeightFile> files = new ArrayList<>();
        for (Object o : list) {
            if (!(o instanceof Map<?, ?> f)) throw invalid("an entry of \"files\" is not an object");
            String path = string(f, "path", true);
            checkRelative(path);
            String sha = string(f, "sha256", true).toLowerCase(Locale.ROOT);
            if (!SHA256.matcher(sha).matches()) {
                throw invalid("\"sha256\" of " + path + " is not 64 hex digits");
            }
            if (files.stream().anyMatch(w -> w.path().equals(path))) throw invalid("file " + path + " is listed twice");
            files.add(new WeightFile(path, sha));
        }
        return new Descriptor(id, version, family, description == null ? "" : description, licence, List.copyOf(files));
    }

    /** Refuses paths that are absolute or climb out of their folder. */
    static void checkRelative(String path) {
        if (escapes(path)) {
            throw new ModelException("archive path \"" + path + "\" escapes its folder (absolute, drive or '..' segment)");
        }
    }

    static boolean escapes(String path) {
        if (path.isEmpty() || path.startsWith("/") || path.startsWith("\\") || path.contains("\\")
                || (path.length() > 1 && path.charAt(1) == ':') || path.indexOf('\0') >= 0) {
            return true;
        }
        for (String seg : path.split("/")) {
            if (seg.equals("..")) return true;
        }
        return false;
    }

    /** Maven's {@code 1.1.0-SNAPSHOT} is OSGi's {@code 1.1.0.SNAPSHOT}; both name the same version. */
    static String normalizeVersion(String v) {
        String s = v.trim().replace('-', '.');
        String[] p = s.split("\\.", 4);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            if (i > 0) b.append('.');
            b.append(i < p.length && !p[i].isEmpty() && p[i].chars().allMatch(Character::isDigit)
                    ? String.valueOf(Integer.parseInt(p[i])) : (i < p.length && !p[i].isEmpty() ? p[i] : "0"));
        }
        if (p.length > 3 && !p[3].isEmpty()) b.append('.').append(p[3]);
        return b.toString();
    }

    private static String string(Map<?, ?> m, String key, boolean required) {
        Object v = m.get(key);
        if (v == null) {
            if (required) throw invalid("\"" + key + "\" is missing");
            return null;
        }
        if (!(v instanceof String s)) throw invalid("\"" + key + "\" is not a string");
        if (required && s.isBlank()) throw invalid("\"" + key + "\" is empty");
        return s;
    }

    private static ModelException invalid(String what) {
        return new ModelException("invalid descriptor " + io.kinora.api.model.ModelRegistry.DESCRIPTOR + ": " + what);
    }
}
