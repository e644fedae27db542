/**
 * Asynchronous jobs: a persistent, bounded queue in front of the generation service, and the SPI through which a
 * host's job system ({@link io.kinora.api.jobs.JobScheduler}) runs the jobs ({@link io.kinora.api.jobs.JobRunner}).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package io.kinora.api.jobs;
