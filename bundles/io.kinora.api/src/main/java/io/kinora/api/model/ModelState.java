package io.kinora.api.model;

/**
 * Life cycle of one model version in the registry:
 * {@code INSTALLED -> VERIFYING -> WARMING -> READY -> DRAINING -> RETIRED}, or {@code FAILED} with a reason from
 * any state before {@code RETIRED}. Only {@code READY} versions receive new jobs.
 */
public enum ModelState {
    /** The bundle is known; it is not verified yet or its {@code VideoModel} service is not registered yet. */
    INSTALLED,
    /** Descriptor, weight hashes, archive paths and (when configured) the jar signature are being checked. */
    VERIFYING,
    /** Verified; the health-check render runs. */
    WARMING,
    /** Healthy: may receive new jobs. */
    READY,
    /** Receives no new jobs; the jobs that hold a lease on it run to their end. */
    DRAINING,
    /** Gone: no service, no leases; its memory is released. */
    RETIRED,
    /** Refused or rolled back; the reason says why. Receives no jobs. */
    FAILED;

    /** Whether a version in this state may still be rendering jobs it was given before. */
    public boolean serving() { return this == READY || this == DRAINING; }
}
