package io.kinora.api.jobs;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A host's job system that runs Kinora's jobs instead of the job service's own workers, e.g. Apache Sling's job
 * manager, which spreads jobs over the instances of a cluster and persists them.
 *
 * <p>The {@link JobService} stores every job first (its folder with {@code job.json}, the scene and the image) and then
 * hands its id to {@link #schedule}. From then on the host owns delivery: it calls {@link JobRunner#run} for that id
 * exactly when it wants the job run — on any instance that sees the same job folder — and runs it again after a crash
 * if its own guarantees say so. The job service never runs a scheduled job on its own workers, and after a restart it
 * leaves a scheduled job that has not finished to the host instead of queueing it again.
 *
 * <p>Implementations are registered as services; the job service uses the one with the highest ranking.
 */
@ConsumerType
public interface JobScheduler {
    /** A short name for this scheduler, stored with each job it takes and shown in {@link JobInfo#scheduler()}. */
    String name();

    /**
     * Hands a stored job to the host. Returns once the host has accepted (and, if it persists jobs, persisted) it.
     *
     * @param jobId    the job's id (its folder name)
     * @param priority the job's priority: higher first, where the host can order jobs
     * @throws JobRejectedException when the host cannot take the job now (the submission is refused with this message)
     */
    void schedule(String jobId, int priority) throws JobRejectedException;

    /**
     * Withdraws a job: the host drops it if it has not started and asks it to stop if it runs (a running job also
     * stops through the {@link JobRunner}'s cancellation). Best effort; never throws for an unknown id.
     */
    void cancel(String jobId);
}
