/**
 * Model runtime contracts: the {@link io.kinora.api.model.ModelRegistry} that verifies, warms up and routes
 * versioned model bundles, the {@link io.kinora.api.model.ModelLease} a job holds on the version it renders with,
 * and the Event Admin topics the registry publishes ({@link io.kinora.api.model.ModelEvent}).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package io.kinora.api.model;
