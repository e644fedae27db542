package io.kinora.api.model;

import io.kinora.api.video.ModelInfo;
import io.kinora.api.video.VideoModel;

/**
 * One job's hold on a model version. The job renders every rendition with {@link #model()}; the version is not
 * retired while a lease on it is open, even when it is drained, rolled back or its bundle is uninstalled.
 * Close it when the job ends (try-with-resources); call {@link #failed(String)} first when the render failed
 * for a reason that is the model's fault (not for cancellation or bad input), which feeds automatic rollback.
 */
public interface ModelLease extends AutoCloseable {

    /** The routed model version's service object. */
    VideoModel model();

    /** Its identity. */
    ModelInfo info();

    /** The job this lease was acquired for. */
    String jobId();

    /** Why the router chose this version, e.g. {@code canary 30%: bucket 12 < 30 -> candidate parallax:1.1.0}. */
    String route();

    /** Records that the job failed because of the model; counted against the version's error budget. */
    void failed(String reason);

    /** Releases the lease; idempotent. */
    @Override
    void close();
}
