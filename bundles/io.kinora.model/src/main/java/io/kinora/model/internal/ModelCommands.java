package io.kinora.model.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.kinora.api.model.ModelException;
import io.kinora.api.model.ModelRegistry;
import io.kinora.api.model.ModelVersion;
import io.kinora.api.model.RoutingPolicy;

/**
 * Gogo commands in scope {@code kinora} (e.g. {@code kinora:models}, {@code kinora:canary image-to-video 1.1.0 30}).
 * Gogo runtime finds them by the {@code osgi.command.*} service properties; without a shell they can be called
 * through the {@code CommandProcessor} or directly on this service. Every command returns its text; a refused
 * command returns {@code error: <reason>} instead of throwing.
 */
@Component(service = ModelCommands.class, property = {
        "osgi.command.scope=kinora",
        "osgi.command.function=models",
        "osgi.command.function=activate",
        "osgi.command.function=latest",
        "osgi.command.function=canary",
        "osgi.command.function=rollback",
        "osgi.command.function=pin",
        "osgi.command.function=unpin",
        "osgi.command.function=route",
        "osgi.command.function=install",
        "osgi.command.function=uninstall"})
public class ModelCommands {

    private final ModelRegistry registry;

    @Activate
    public ModelCommands(@Reference ModelRegistry registry) {
        this.registry = registry;
    }

    /** Every version: key, family, state, leases, jobs, failures, install-to-ready time, reason. */
    public String models() {
        return table(registry.versions());
    }

    /** The versions of one family or model id, and its routing policy. */
    public String models(String familyOrId) {
        return table(registry.versions(familyOrId)) + "routing: " + registry.policy(familyOrId).describe() + "\n";
    }

    public String activate(String familyOrId, String version) {
        return run(() -> registry.activate(familyOrId, version));
    }

    public String latest(String familyOrId) {
        return run(() -> registry.followLatest(familyOrId));
    }

    public String canary(String familyOrId, String candidate, int percent) {
        return run(() -> registry.canary(familyOrId, candidate, percent));
    }

    public String rollback(String familyOrId) {
        return rollback(familyOrId, "");
    }

    public String rollback(String familyOrId, String reason) {
        return run(() -> registry.rollback(familyOrId, reason));
    }

    public String pin(String familyOrId, String tenant, String version) {
        return run(() -> registry.pinTenant(familyOrId, tenant, version));
    }

    public String unpin(String familyOrId, String tenant) {
        return run(() -> registry.pinTenant(familyOrId, tenant, null));
    }

    /** Which version a job id (and tenant) would be routed to now, and why; takes no lease. */
    public String route(String familyOrId, String jobId) {
        return route(familyOrId, jobId, null);
    }

    public String route(String familyOrId, String jobId, String tenant) {
        if (registry instanceof ModelRegistryImpl impl) return impl.preview(familyOrId, jobId, tenant);
        return "error: routing preview needs the built-in registry";
    }

    /** Installs a model jar and waits (up to 2 minutes) until it is READY or FAILED. */
    public String install(String path) {
        try {
            ModelVersion v = registry.install(Path.of(path));
            ModelVersion done = registry.await(v.info().id(), v.info().version(), Duration.ofMinutes(2));
            return line(done);
        } catch (ModelException e) {
            return "error: " + e.getMessage();
        }
    }

    /** Drains the version (waiting up to the configured timeout for its jobs) and uninstalls its bundle. */
    public String uninstall(String familyOrId, String version) {
        try {
            int open = registry.uninstall(familyOrId, version, null);
            return open == 0 ? "uninstalled " + familyOrId + " " + version
                    : "uninstalled " + familyOrId + " " + version + "; " + open + " job(s) were still running (they finish on the old instance)";
        } catch (ModelException e) {
            return "error: " + e.getMessage();
        }
    }

    private interface Action {
        RoutingPolicy run();
    }

    private static String run(Action a) {
        try {
            return "routing: " + a.run().describe();
        } catch (ModelException | IllegalArgumentException e) {
            return "error: " + e.getMessage();
        }
    }

    static String table(List<ModelVersion> versions) {
        StringBuilder b = new StringBuilder(String.format("%-32s %-16s %-9s %6s %7s %6s %9s  %s%n", "MODEL", "FAMILY",
                "STATE", "LEASES", "JOBS", "FAILED", "READY(ms)", "REASON"));
        for (ModelVersion v : versions) b.append(line(v)).append('\n');
        return b.toString();
    }

    static String line(ModelVersion v) {
        return String.format("%-32s %-16s %-9s %6d %7d %6d %9s  %s", v.key(), v.info().family(), v.state(),
                v.activeLeases(), v.completedJobs(), v.failedJobs(),
                v.installToReadyMillis() < 0 ? "-" : String.valueOf(v.installToReadyMillis()),
                v.reason() == null ? "" : v.reason());
    }
}
