package io.kinora.api.provenance;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One provenance layer of a file: {@code layer} is one of {@code visible-label}, {@code audio-label},
 * {@code implicit-label}, {@code c2pa}, {@code watermark}; whether it is present, and details.
 * Since 1.1 also its {@link State} and ordered machine-readable {@code facts} (e.g. {@code trusted}, {@code signer},
 * {@code actions}; values are strings, lists as JSON text).
 */
public record LayerStatus(String layer, boolean present, String detail, State state, Map<String, String> facts) {
    /** How a layer checked out. */
    public enum State {
        /** Present and checked: signature, hash or parse all fine. */
        VALID,
        /** Present (applied, or found) but not something that can be checked cryptographically. */
        PRESENT,
        /** Not there. */
        ABSENT,
        /** Could not be checked (e.g. needs a decoder this installation lacks). */
        UNCHECKED,
        /** There but broken: tampered, malformed, duplicated. */
        INVALID
    }

    public LayerStatus {
        if (state == null) state = present ? State.PRESENT : State.ABSENT;
        facts = facts == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(facts));
    }

    /** The 1.0 form: state from {@code present}, no facts. */
    public LayerStatus(String layer, boolean present, String detail) {
        this(layer, present, detail, null, null);
    }
}
