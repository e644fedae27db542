package io.kinora.model.internal;

import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.Hashtable;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.kinora.api.model.RoutingPolicy;

/**
 * Writes operator routing changes into the family's factory configuration {@value PolicyWriter#FACTORY_PID}, the
 * same configuration an operator edits in the console or in a {@code conf/io.kinora.model.routing-*.cfg} file (File
 * Install writes it back to that file). A family without a configuration gets a named one,
 * {@code io.kinora.model.routing~<family>}, bound dynamically. This class is the only user of
 * {@code org.osgi.service.cm}, imported with {@code resolution:=optional}: without Config Admin this component does
 * not start and the registry keeps operator changes in memory.
 */
@Component(service = PolicyWriter.class)
public class ConfigAdminPolicyWriter implements PolicyWriter {

    private static final Logger logger = LoggerFactory.getLogger(ConfigAdminPolicyWriter.class);

    private final ConfigurationAdmin configAdmin;

    @Activate
    public ConfigAdminPolicyWriter(@Reference ConfigurationAdmin configAdmin) {
        this.configAdmin = configAdmin;
    }

    @Override
    public String write(RoutingPolicy p) throws Exception {
        List<Configuration> targets = existing(p.family());
        if (targets.isEmpty()) {
            targets = List.of(configAdmin.getFactoryConfiguration(FACTORY_PID, configName(p.family()), null));
        }
        List<String> pids = new ArrayList<>();
        for (Configuration c : targets) {
            Dictionary<String, Object> props = new Hashtable<>();
            Dictionary<String, Object> old = c.getProperties();
            if (old != null) {
                for (Enumeration<String> keys = old.keys(); keys.hasMoreElements(); ) {
                    String k = keys.nextElement();
                    props.put(k, old.get(k));
                }
            }
            for (Map.Entry<String, Object> e : properties(p).entrySet()) props.put(e.getKey(), e.getValue());
            props.remove("service.pid");
            props.remove("service.factoryPid");
            boolean changed = c.updateIfDifferent(props);
            logger.info("routing policy of {} {} configuration {}", p.family(), changed ? "written to" : "already in",
                    c.getPid());
            pids.add(c.getPid());
        }
        return String.join(", ", pids);
    }

    @Override
    public String target(String family) {
        try {
            List<Configuration> cs = existing(family);
            if (!cs.isEmpty()) return cs.get(0).getPid();
        } catch (Exception e) {
            logger.debug("cannot list routing configurations: {}", e.toString());
        }
        return FACTORY_PID + "~" + configName(family);
    }

    private List<Configuration> existing(String family) throws Exception {
        Configuration[] cs = configAdmin.listConfigurations("(&(service.factoryPid=" + FACTORY_PID + ")(family="
                + escape(family) + "))");
        return cs == null ? List.of() : List.of(cs);
    }

    /** The configuration properties of a policy, as {@link RoutingConfig} reads them back (a lossless round trip). */
    static Map<String, Object> properties(RoutingPolicy p) {
        List<String> pins = new ArrayList<>();
        p.tenantPins().forEach((t, v) -> pins.add(t + "=" + v));
        return Map.of(
                "family", p.family(),
                "mode", p.mode().name().toLowerCase(Locale.ROOT),
                "version", p.version() == null ? "" : p.version(),
                "candidate", p.candidate() == null ? "" : p.candidate(),
                "canary.percent", p.canaryPercent(),
                "tenant.pins", pins.toArray(new String[0]),
                "auto.rollback", p.autoRollback());
    }

    static String configName(String family) {
        return PolicyWriter.configName(family);
    }

    /** RFC 1960 filter escaping. */
    static String escape(String v) {
        StringBuilder b = new StringBuilder();
        for (char c : v.toCharArray()) {
            if (c == '\\' || c == '*' || c == '(' || c == ')') b.append('\\');
            b.append(c);
        }
        return b.toString();
    }
}
