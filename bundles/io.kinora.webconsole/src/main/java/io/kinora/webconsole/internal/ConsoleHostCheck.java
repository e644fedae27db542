package io.kinora.webconsole.internal;

import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.servlet.Servlet;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Says once, clearly, when the host has no Web Console: Kinora's pages are plain servlet services that a Felix Web
 * Console (4.x on javax hosts such as Sling 11 / AEM 6.5, 5.x on Jetty 12) picks up by their
 * {@code felix.webconsole.label}. If, a while after start, no bundle uses any of them, nothing shows them: one
 * warning names what is missing. Everything else in Kinora (jobs, REST API) works without a console.
 */
@Component(immediate = true)
public final class ConsoleHostCheck {
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleHostCheck.class);
    static final long GRACE_SECONDS = 60;
    static final String PAGES = "(felix.webconsole.label=kinora-*)";

    private final BundleContext context;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "kinora-console-check");
        t.setDaemon(true);
        return t;
    });

    @Activate
    public ConsoleHostCheck(BundleContext context) {
        this.context = context;
        timer.schedule(this::check, GRACE_SECONDS, TimeUnit.SECONDS);
    }

    @Deactivate
    void stop() {
        timer.shutdownNow();
    }

    void check() {
        try {
            Collection<ServiceReference<Servlet>> pages = context.getServiceReferences(Servlet.class, PAGES);
            message(pages, GRACE_SECONDS).ifPresent(LOG::warn);
        } catch (InvalidSyntaxException | IllegalStateException e) {
            // the bundle is stopping
        }
    }

    /** The warning when Kinora pages are registered but no bundle (no Web Console) uses any of them; empty otherwise. */
    static Optional<String> message(Collection<? extends ServiceReference<?>> pages, long afterSeconds) {
        if (pages == null || pages.isEmpty()) return Optional.empty();
        List<String> labels = new ArrayList<>();
        for (ServiceReference<?> p : pages) {
            if (p.getUsingBundles() != null && p.getUsingBundles().length > 0) return Optional.empty();
            labels.add(String.valueOf(p.getProperty("felix.webconsole.label")));
        }
        labels.sort(null);
        return Optional.of("Kinora console pages " + labels + " are not shown: no Apache Felix Web Console picked them up within " + afterSeconds
                + " s (install org.apache.felix.webconsole: 4.x on javax hosts such as Sling 11 / AEM 6.5, 5.x with Jetty 12). "
                + "Jobs and the REST API work without it.");
    }
}
