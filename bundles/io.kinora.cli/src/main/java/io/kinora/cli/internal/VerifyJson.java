package io.kinora.cli.internal;

import io.kinora.api.provenance.LayerStatus;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The JSON document of {@code kinora verify --json}:
 * {@code {"file", "result": valid|invalid|unsigned|unreadable, "exitCode", "layers": [{"layer", "present", "state", "detail", "facts"}]}}.
 * Facts are strings, except the lists the provenance service gives as JSON ({@code actions}, {@code ingredients},
 * {@code failures}), which are embedded as arrays.
 */
final class VerifyJson {
    private static final Set<String> JSON_FACTS = Set.of("actions", "ingredients", "failures");

    private VerifyJson() {
    }

    static String report(String file, String result, int code, List<LayerStatus> layers) {
        StringBuilder sb = new StringBuilder(1024);
        sb.append("{\"file\":").append(quote(file)).append(",\"result\":").append(quote(result)).append(",\"exitCode\":").append(code).append(",\"layers\":[");
        for (int i = 0; i < layers.size(); i++) {
            LayerStatus l = layers.get(i);
            if (i > 0) sb.append(',');
            sb.append("{\"layer\":").append(quote(l.layer())).append(",\"present\":").append(l.present())
                    .append(",\"state\":").append(quote(l.state().name().toLowerCase(Locale.ROOT))).append(",\"detail\":").append(quote(l.detail()))
                    .append(",\"facts\":{");
            boolean first = true;
            for (Map.Entry<String, String> f : l.facts().entrySet()) {
                if (!first) sb.append(',');
                first = false;
                String v = f.getValue();
                sb.append(quote(f.getKey())).append(':');
                if (JSON_FACTS.contains(f.getKey()) && v != null && v.startsWith("[") && v.endsWith("]")) sb.append(v);
                else if (v != null && (v.equals("true") || v.equals("false")) && (f.getKey().equals("trusted") || f.getKey().equals("valid")
                        || f.getKey().equals("localCa"))) sb.append(v);
                else sb.append(quote(v));
            }
            sb.append("}}");
        }
        return sb.append("]}").toString();
    }

    static String quote(String s) {
        if (s == null) return "null";
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
        return sb.append('"').toString();
    }
}
