package io.kinora.api.media;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Immutable copies that keep iteration order. {@code Map.copyOf} iterates in an order that changes from one JVM
 * run to the next, which would make reports and container metadata differ between otherwise identical runs.
 */
public final class Ordered {
    private Ordered() {
    }

    /** An unmodifiable copy of the map with the same iteration order. */
    public static <K, V> Map<K, V> copy(Map<K, V> map) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }
}
