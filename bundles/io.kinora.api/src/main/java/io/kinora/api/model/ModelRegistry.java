package io.kinora.api.model;

import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The model runtime: tracks model bundles (header {@value #HEADER}), verifies and warms up each version, and
 * routes every new job to a version by its family's {@link RoutingPolicy}.
 *
 * <p>A job calls {@link #acquire(String, String, String)} once, renders with the lease's model and closes the lease
 * at its end. Policy changes and swaps apply to the next {@code acquire}; a job keeps its version to its end.
 */
public interface ModelRegistry {

    /** Manifest header that marks a model bundle; its value is the model id (= the bundle's symbolic name). */
    String HEADER = "Kinora-Model";
    /** Descriptor path inside a model bundle. */
    String DESCRIPTOR = "META-INF/kinora/model.json";

    /** Every version known to the registry (retired ones too, most recent last), sorted by id then version. */
    List<ModelVersion> versions();

    /** The versions of one family or model id. */
    List<ModelVersion> versions(String familyOrId);

    /** The effective routing policy of a family or model id (configured, changed by an operator, or the default). */
    RoutingPolicy policy(String familyOrId);

    /**
     * Routes a new job and holds the chosen version until the lease is closed. Waits up to the registry's
     * configured time for a ready version (at start-up, models are still warming up).
     *
     * @param familyOrId a model family (e.g. {@code image-to-video}) or a model id (e.g. {@code parallax})
     * @param jobId      the job's id; the canary choice is a deterministic function of it
     * @param tenant     the job's tenant for per-tenant pins, or {@code null}
     * @throws ModelException when no version of that family is ready in time (the message lists what is installed)
     */
    ModelLease acquire(String familyOrId, String jobId, String tenant);

    /** As {@link #acquire(String, String, String)}, waiting at most {@code maxWait} for a ready version. */
    ModelLease acquire(String familyOrId, String jobId, String tenant, Duration maxWait);

    /**
     * Installs and starts a model bundle from a file. The jar is checked first (header, descriptor, archive paths);
     * verification and warm-up continue asynchronously: use {@link #await} to wait for READY or FAILED.
     *
     * @throws ModelException when the file is not a model bundle, or its id and version are already installed
     */
    ModelVersion install(Path jar);

    /** As {@link #install(Path)}; the bytes are stored in the registry's data area first. */
    ModelVersion install(InputStream jar, String name);

    /**
     * Drains a version (no new jobs), waits up to {@code timeout} for its leases to close, then uninstalls its
     * bundle. Returns the number of leases still open when it gave up waiting (0 = clean).
     */
    int uninstall(String familyOrId, String version, Duration timeout);

    /** Waits until the version is READY, FAILED or RETIRED, at most {@code timeout}; returns its last snapshot. */
    ModelVersion await(String id, String version, Duration timeout);

    /** Routes every new job of the family to this (ready) version: a pinned policy. */
    RoutingPolicy activate(String familyOrId, String version);

    /** Follow the latest ready version again. */
    RoutingPolicy followLatest(String familyOrId);

    /** Sends {@code percent} % of new jobs to {@code candidate}, the rest to the current stable version. */
    RoutingPolicy canary(String familyOrId, String candidate, int percent);

    /** Pins (or, with a {@code null} version, unpins) a tenant. */
    RoutingPolicy pinTenant(String familyOrId, String tenant, String version);

    /**
     * Rolls the family back: ends a canary (the candidate gets no new jobs) or pins the previous stable version,
     * and marks the version rolled back from as FAILED with the reason. Returns the new policy.
     */
    RoutingPolicy rollback(String familyOrId, String reason);
}
