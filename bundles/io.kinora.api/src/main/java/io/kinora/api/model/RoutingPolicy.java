package io.kinora.api.model;

import java.util.Map;
import java.util.TreeMap;

/**
 * How new jobs of one model family (or model id) are routed. Versions are written {@code version} or
 * {@code id:version}. A version that is not {@code READY} is never routed to: the router falls back to the
 * latest ready version of the family and says so in {@link ModelLease#route()}.
 *
 * @param family        the family or model id this policy applies to
 * @param mode          {@link Mode#LATEST}, {@link Mode#PINNED} or {@link Mode#CANARY}
 * @param version       PINNED: the version; CANARY: the stable version ({@code null}/empty = latest ready other
 *                      than the candidate)
 * @param candidate     CANARY: the candidate version
 * @param canaryPercent CANARY: share of new jobs (0-100) routed to the candidate, chosen by a hash of the job id
 * @param tenantPins    tenant -> version, checked before everything else
 * @param autoRollback  whether a version that fails its error budget over its first jobs is rolled back
 */
public record RoutingPolicy(String family, Mode mode, String version, String candidate, int canaryPercent,
                            Map<String, String> tenantPins, boolean autoRollback) {

    public enum Mode { LATEST, PINNED, CANARY }

    public RoutingPolicy {
        if (family == null || family.isBlank()) throw new IllegalArgumentException("routing policy needs a family");
        mode = mode == null ? Mode.LATEST : mode;
        if (canaryPercent < 0 || canaryPercent > 100) {
            throw new IllegalArgumentException("canary percent must be 0-100, got " + canaryPercent);
        }
        tenantPins = tenantPins == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(tenantPins));
    }

    /**
     * The policy in words, as operators read it in the CLI, the console and logs, e.g. "10 % of new jobs to 1.1.0, the
     * rest to the stable version"; "; no automatic rollback" is added when that is off.
     */
    public String describe() {
        String base = switch (mode) {
            case LATEST -> "every new job to the latest ready version";
            case PINNED -> "every new job to " + version;
            case CANARY -> canaryPercent + " % of new jobs to " + candidate + ", the rest to "
                    + (version == null || version.isBlank() ? "the stable version" : version);
        };
        if (!tenantPins.isEmpty()) base += "; tenant pins " + tenantPins;
        return autoRollback ? base : base + "; no automatic rollback";
    }

    /** The default: every new job to the latest ready version. */
    public static RoutingPolicy latest(String family) {
        return new RoutingPolicy(family, Mode.LATEST, null, null, 0, Map.of(), true);
    }
}
