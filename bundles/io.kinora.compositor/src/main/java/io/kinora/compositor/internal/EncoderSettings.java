package io.kinora.compositor.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Encoding parameters (from the component configuration).
 *
 * @param videoEncoder     FFmpeg encoder name; must produce H.264 (default libopenh264 of the LGPL build)
 * @param videoBitrateKbps target video bit rate, 0 = automatic (0.12 bit per pixel per frame)
 * @param audioBitrateKbps AAC bit rate
 * @param keyframeSeconds  key-frame interval in seconds
 * @param encoderOptions   extra private encoder options, "key=value"
 */
record EncoderSettings(String videoEncoder, int videoBitrateKbps, int audioBitrateKbps, double keyframeSeconds,
                       Map<String, String> encoderOptions) {
    static final double AUTO_BITS_PER_PIXEL = 0.12;

    EncoderSettings {
        if (videoBitrateKbps < 0 || videoBitrateKbps > 200_000) {
            throw new IllegalArgumentException("video bit rate must be 0 (automatic) .. 200000 kbit/s: " + videoBitrateKbps);
        }
        if (audioBitrateKbps < 32 || audioBitrateKbps > 512) {
            throw new IllegalArgumentException("audio bit rate must be 32..512 kbit/s: " + audioBitrateKbps);
        }
        if (!(keyframeSeconds > 0 && keyframeSeconds <= 60)) {
            throw new IllegalArgumentException("key-frame interval must be in (0, 60] s: " + keyframeSeconds);
        }
        encoderOptions = Map.copyOf(encoderOptions);
    }

    static EncoderSettings defaults() {
        return new EncoderSettings("libopenh264", 0, 192, 2.0, Map.of());
    }

    static Map<String, String> parseOptions(String[] options) {
        Map<String, String> map = new LinkedHashMap<>();
        if (options == null) return map;
        for (String o : options) {
            if (o == null || o.isBlank()) continue;
            int eq = o.indexOf('=');
            if (eq <= 0) throw new IllegalArgumentException("encoder option '" + o + "' is not key=value");
            map.put(o.substring(0, eq).trim(), o.substring(eq + 1).trim());
        }
        return map;
    }

    int videoBitrate(int width, int height, int fps) {
        if (videoBitrateKbps > 0) return videoBitrateKbps * 1000;
        return (int) Math.min(200_000_000L, Math.round((double) width * height * fps * AUTO_BITS_PER_PIXEL));
    }

    int gop(int fps) {
        return Math.max(1, (int) Math.round(keyframeSeconds * fps));
    }
}
