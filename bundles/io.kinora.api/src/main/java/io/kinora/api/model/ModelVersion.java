package io.kinora.api.model;

import io.kinora.api.video.ModelInfo;

/**
 * A snapshot of one model version as the registry sees it.
 *
 * @param info            id, version, family, description (from the descriptor; the bundle's values before it is read)
 * @param state           life-cycle state
 * @param reason          why it is in that state (always set for {@code FAILED}), or {@code null}
 * @param bundleId        the model bundle's id
 * @param location        the bundle location
 * @param activeLeases    jobs rendering with it right now
 * @param completedJobs   jobs that ended with it (including failed ones)
 * @param failedJobs      jobs that reported a failure with it
 * @param installToReadyMillis time from the registry first seeing the bundle to {@code READY}; -1 if not ready yet
 */
public record ModelVersion(ModelInfo info, ModelState state, String reason, long bundleId, String location,
                           int activeLeases, long completedJobs, long failedJobs, long installToReadyMillis) {

    /** {@code id:version}, the key used by routing policies and commands. */
    public String key() { return info.id() + ":" + info.version(); }
}
