package io.kinora.jobs.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

@ObjectClassDefinition(name = "Kinora Job Queue", description = "The persistent queue of generation jobs: concurrency, bounds and retention.")
public @interface JobQueueConfig {
    String PID = "io.kinora.jobs.queue";

    @AttributeDefinition(name = "Concurrent jobs", description = "Jobs that run at the same time. Rendering already uses every core; raise it only on larger machines.")
    int concurrency() default 1;

    @AttributeDefinition(name = "Worker nice value", description = "Operating-system scheduling priority of Kinora's own job workers "
            + "and the threads they start (encoders, model threads, speech), as a Linux nice value from 1 (slightly lower than "
            + "the rest of the server) to 19 (lowest): rendering then yields the CPU to request serving, so the REST API and "
            + "the console stay responsive while every core renders, and rendering still gets every cycle nobody else wants. "
            + "0: leave the workers at the server's priority. Applies to the local workers (not to threads of a host's job "
            + "system); where it is not supported (not Linux, no renice) nothing changes.")
    int worker_nice() default 10;

    @AttributeDefinition(name = "Queue length", description = "Most jobs waiting; a submission beyond it is refused with 'busy, retry later'.")
    int max_queued() default 50;

    @AttributeDefinition(name = "Active jobs per owner", description = "Most queued or running jobs one owner may have.")
    int max_active_per_owner() default 10;

    @AttributeDefinition(name = "Max image bytes", description = "Largest uploaded image accepted, in bytes.")
    long max_image_bytes() default 64L * 1024 * 1024;

    @AttributeDefinition(name = "Max image pixels", description = "Largest image accepted at submission, in pixels (width x height), "
            + "read from the image's header before the job is stored, so a job is refused at once instead of failing when it runs. "
            + "The generation (configuration io.kinora.jobs, max.image.pixels) checks its own limit again when the job runs.")
    long max_image_pixels() default 40_000_000L;

    @AttributeDefinition(name = "Retention (days)", description = "Finished jobs and their results are deleted after this many days.")
    int retention_days() default 7;

    @AttributeDefinition(name = "Results budget (MiB)", description = "When finished jobs' results exceed this size, the oldest are deleted first.")
    long max_results_mib() default 10_240;

    @AttributeDefinition(name = "Attempts", description = "How often a job interrupted by a restart is run again before it fails.")
    int max_attempts() default 3;

    @AttributeDefinition(name = "Job folder", description = "Where jobs are kept; empty: <kinora.work>/jobs. On a cluster whose "
            + "jobs a host scheduler spreads over the instances (scheduler 'auto' or 'host'), every instance must see the same "
            + "folder (shared storage), because any instance may run a job another one took.")
    String folder() default "";

    @AttributeDefinition(name = "Scheduler", description = "Who runs the jobs. 'auto': a host's job system when the host has one "
            + "(Apache Sling's job manager with the io.kinora.jobs.sling bundle: the jobs become Sling jobs and a Sling/AEM "
            + "cluster spreads them over its instances), otherwise Kinora's own workers. 'local': always Kinora's own workers. "
            + "'host': only a host's job system; submissions are refused while there is none. A host job needs the job folder "
            + "on storage every instance shares.",
            options = {@Option(label = "auto: the host's job system when present, else Kinora's own workers", value = "auto"),
                    @Option(label = "local: Kinora's own workers", value = "local"),
                    @Option(label = "host: only the host's job system", value = "host")})
    String scheduler() default "auto";
}
