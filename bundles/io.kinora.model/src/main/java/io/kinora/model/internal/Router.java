package io.kinora.model.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.List;

import org.osgi.framework.Version;

import io.kinora.api.model.RoutingPolicy;

/**
 * Pure routing: given a family's policy and its READY versions, picks the version for one job. The canary choice
 * is {@code bucket(jobId) < percent}, where the bucket is the first 4 bytes of SHA-256(job id) modulo 100: the
 * same job id always lands on the same side, and job ids spread evenly.
 */
final class Router {

    /** One routable version. */
    interface Candidate {
        String id();

        String version();
    }

    record Choice<C extends Candidate>(C target, String reason) {
    }

    static final Comparator<Candidate> BY_VERSION = Comparator
            .comparing((Candidate c) -> osgiVersion(c.version()))
            .thenComparing(Candidate::id);

    private Router() {
    }

    static <C extends Candidate> Choice<C> route(RoutingPolicy policy, List<C> ready, String jobId, String tenant) {
        if (ready.isEmpty()) return null;
        String note = "";
        if (tenant != null && policy.tenantPins().containsKey(tenant)) {
            String spec = policy.tenantPins().get(tenant);
            C pinned = find(ready, spec);
            if (pinned != null) return new Choice<>(pinned, "tenant " + tenant + " pinned to " + key(pinned));
            note = "tenant " + tenant + " pin " + spec + " is not ready; ";
        }
        switch (policy.mode()) {
            case PINNED: {
                C pinned = find(ready, policy.version());
                if (pinned != null) return new Choice<>(pinned, note + "pinned to " + key(pinned));
                C latest = latest(ready, null);
                return new Choice<>(latest, note + "pinned " + policy.version() + " is not ready -> latest ready "
                        + key(latest));
            }
            case CANARY: {
                C candidate = find(ready, policy.candidate());
                int bucket = bucket(jobId);
                C stable = policy.version() == null || policy.version().isBlank() ? null : find(ready, policy.version());
                if (stable == null) stable = latest(ready, candidate);
                if (candidate != null && (bucket < policy.canaryPercent() || stable == null)) {
                    return new Choice<>(candidate, note + "canary " + policy.canaryPercent() + "%: bucket " + bucket
                            + (bucket < policy.canaryPercent() ? " < " : " >= ") + policy.canaryPercent()
                            + " -> candidate " + key(candidate) + (stable == null ? " (no stable version ready)" : ""));
                }
                if (stable == null) stable = latest(ready, null);
                return new Choice<>(stable, note + (candidate == null
                        ? "canary candidate " + policy.candidate() + " is not ready -> stable " + key(stable)
                        : "canary " + policy.canaryPercent() + "%: bucket " + bucket + " >= " + policy.canaryPercent()
                                + " -> stable " + key(stable)));
            }
            case LATEST:
            default: {
                C latest = latest(ready, null);
                return new Choice<>(latest, note + "latest ready " + key(latest));
            }
        }
    }

    /** The highest version, optionally excluding one; {@code null} if none is left. */
    static <C extends Candidate> C latest(List<C> ready, C excluded) {
        return ready.stream().filter(c -> c != excluded).max(BY_VERSION).orElse(null);
    }

    /** A version spec is {@code version} or {@code id:version}; Maven and OSGi spellings are equal. */
    static <C extends Candidate> C find(List<C> list, String spec) {
        if (spec == null || spec.isBlank()) return null;
        String s = spec.trim();
        String id = null;
        int colon = s.indexOf(':');
        if (colon >= 0) {
            id = s.substring(0, colon);
            s = s.substring(colon + 1);
        }
        String v = Descriptor.normalizeVersion(s);
        C found = null;
        for (C c : list) {
            if ((id == null || id.equals(c.id())) && Descriptor.normalizeVersion(c.version()).equals(v)) {
                if (found == null || BY_VERSION.compare(c, found) > 0) found = c;
            }
        }
        return found;
    }

    static boolean matches(Candidate c, String spec) {
        return find(List.of(c), spec) != null;
    }

    static int bucket(String jobId) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(
                    (jobId == null ? "" : jobId).getBytes(StandardCharsets.UTF_8));
            long v = ((h[0] & 0xffL) << 24) | ((h[1] & 0xffL) << 16) | ((h[2] & 0xffL) << 8) | (h[3] & 0xffL);
            return (int) (v % 100);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String key(Candidate c) {
        return c.id() + ":" + c.version();
    }

    static Version osgiVersion(String v) {
        try {
            return Version.parseVersion(Descriptor.normalizeVersion(v));
        } catch (IllegalArgumentException e) {
            return Version.emptyVersion;
        }
    }
}
