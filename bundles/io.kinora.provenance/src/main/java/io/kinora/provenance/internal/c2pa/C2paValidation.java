package io.kinora.provenance.internal.c2pa;

import java.util.List;
import java.util.Map;

/**
 * What validating a file's C2PA manifest found.
 *
 * @param state       {@link State}
 * @param failures    C2PA-style failure codes with an explanation ({@code code: explanation}); empty when valid
 * @param signer      the signing certificate's subject, or null
 * @param trusted     whether the chain ends at a configured trust anchor
 * @param trust       how trust was decided (which anchor, or why not)
 * @param facts       ordered facts for reports: manifest label, claim generator, alg, time stamp, ...
 * @param actions     {@code action} (+ {@code digitalSourceType}, {@code softwareAgent}) per action
 * @param ingredients {@code title}, {@code relationship}, {@code format}, {@code description} per ingredient
 */
public record C2paValidation(State state, List<String> failures, String signer, boolean trusted, String trust, Map<String, String> facts,
                             List<Map<String, String>> actions, List<Map<String, String>> ingredients) {
    public enum State {
        /** No C2PA box at all. */
        ABSENT,
        /** Manifest, signature and hard binding all check out (trust is separate). */
        VALID,
        /** Something is wrong: tampered content, broken signature, malformed structure. */
        INVALID
    }

    public C2paValidation {
        failures = List.copyOf(failures);
        facts = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(facts));
        actions = List.copyOf(actions);
        ingredients = List.copyOf(ingredients);
    }
}
