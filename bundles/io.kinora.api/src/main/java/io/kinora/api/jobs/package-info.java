/**
 * Asynchronous jobs: a persistent, bounded queue in front of the generation service.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.kinora.api.jobs;
