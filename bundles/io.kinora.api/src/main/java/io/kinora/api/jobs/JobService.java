package io.kinora.api.jobs;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Queues generation jobs, runs them with a bounded concurrency, and keeps them (scene, image, state, results) on disk
 * so they survive a restart. Each state change is published on Event Admin under {@link #TOPIC_PREFIX} + state name
 * (e.g. {@code io/kinora/jobs/SUCCEEDED}) with the properties {@link #PROP_JOB_ID}, {@link #PROP_OWNER} and
 * {@link #PROP_STATE}.
 */
public interface JobService {
    String TOPIC_PREFIX = "io/kinora/jobs/";
    String TOPIC_ALL = "io/kinora/jobs/*";
    String PROP_JOB_ID = "job.id";
    String PROP_OWNER = "job.owner";
    String PROP_STATE = "job.state";

    /**
     * Validates and queues a job.
     *
     * @throws JobRejectedException when the queue is full, the owner has too many jobs, or the input is invalid
     */
    JobInfo submit(JobSubmission submission) throws JobRejectedException;

    Optional<JobInfo> get(String id);

    /** Jobs of one owner, or of everyone when {@code owner} is null; newest first. */
    List<JobInfo> list(String owner);

    /**
     * Cancels a queued or running job.
     *
     * @return the job after the request; unchanged when it had already ended
     */
    Optional<JobInfo> cancel(String id);

    /** A result file of a finished job, by the name {@link JobInfo#results()} lists; empty when there is none. */
    Optional<Path> result(String id, String name);
}
