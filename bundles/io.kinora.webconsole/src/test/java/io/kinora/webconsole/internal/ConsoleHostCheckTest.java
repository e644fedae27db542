package io.kinora.webconsole.internal;

import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;

import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConsoleHostCheckTest {
    static ServiceReference<?> page(String label, boolean used) {
        Bundle console = (Bundle) Proxy.newProxyInstance(Bundle.class.getClassLoader(), new Class<?>[]{Bundle.class}, (p, m, a) -> null);
        return (ServiceReference<?>) Proxy.newProxyInstance(ServiceReference.class.getClassLoader(), new Class<?>[]{ServiceReference.class},
                (p, m, a) -> switch (m.getName()) {
                    case "getProperty" -> "felix.webconsole.label".equals(a[0]) ? label : null;
                    case "getUsingBundles" -> used ? new Bundle[]{console} : null;
                    default -> null;
                });
    }

    @Test
    void warnsOnceNamingTheMissingConsoleWhenNoBundleUsesThePages() {
        Optional<String> m = ConsoleHostCheck.message(List.of(page("kinora-voices", false), page("kinora-jobs", false)), 60);
        assertTrue(m.isPresent());
        assertTrue(m.get().contains("[kinora-jobs, kinora-voices]"), m.get());
        assertTrue(m.get().contains("org.apache.felix.webconsole"), "names what to install: " + m.get());
    }

    @Test
    void silentWhenAConsoleShowsThePages() {
        assertEquals(Optional.empty(), ConsoleHostCheck.message(List.of(page("kinora-jobs", true), page("kinora-voices", false)), 60));
        assertEquals(Optional.empty(), ConsoleHostCheck.message(List.of(), 60), "no pages registered (yet): nothing to say");
    }
}
