package io.kinora.model.internal;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;

import io.kinora.api.model.RoutingPolicy;

/**
 * One routing policy from a factory configuration {@code io.kinora.model.routing~<name>}. The registry tracks
 * these services; a modified configuration updates the service properties, which the registry sees at once.
 */
@Component(service = RoutingPolicyComponent.class, configurationPid = "io.kinora.model.routing",
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = RoutingConfig.class, factory = true)
public class RoutingPolicyComponent {

    private volatile RoutingPolicy policy;
    private final String pid;

    @Activate
    public RoutingPolicyComponent(RoutingConfig config, Map<String, Object> properties) {
        Object p = properties.get("service.pid");
        this.pid = p == null ? null : p.toString();
        modified(config);
    }

    @Modified
    void modified(RoutingConfig config) {
        this.policy = toPolicy(config);
    }

    RoutingPolicy policy() {
        return policy;
    }

    /** The configuration PID this policy comes from. */
    String pid() {
        return pid;
    }

    static RoutingPolicy toPolicy(RoutingConfig c) {
        RoutingPolicy.Mode mode;
        try {
            mode = RoutingPolicy.Mode.valueOf(c.mode().trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("routing mode \"" + c.mode() + "\" is not latest, pinned or canary");
        }
        Map<String, String> pins = new LinkedHashMap<>();
        for (String p : c.tenant_pins()) {
            if (p == null || p.isBlank()) continue;
            int eq = p.indexOf('=');
            if (eq <= 0 || eq == p.length() - 1) {
                throw new IllegalArgumentException("tenant pin \"" + p + "\" is not tenant=version");
            }
            pins.put(p.substring(0, eq).trim(), p.substring(eq + 1).trim());
        }
        if (mode == RoutingPolicy.Mode.PINNED && c.version().isBlank()) {
            throw new IllegalArgumentException("routing of " + c.family() + ": mode pinned needs a version");
        }
        if (mode == RoutingPolicy.Mode.CANARY && c.candidate().isBlank()) {
            throw new IllegalArgumentException("routing of " + c.family() + ": mode canary needs a candidate");
        }
        return new RoutingPolicy(c.family().trim(), mode, c.version().isBlank() ? null : c.version().trim(),
                c.candidate().isBlank() ? null : c.candidate().trim(), c.canary_percent(), pins, c.auto_rollback());
    }
}
