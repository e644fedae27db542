package io.kinora.model.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.util.tracker.BundleTracker;
import org.osgi.util.tracker.ServiceTracker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.kinora.api.model.ModelEvent;
import io.kinora.api.model.ModelException;
import io.kinora.api.model.ModelLease;
import io.kinora.api.model.ModelRegistry;
import io.kinora.api.model.ModelState;
import io.kinora.api.model.ModelVersion;
import io.kinora.api.model.RoutingPolicy;
import io.kinora.api.video.VideoModel;

/**
 * The model registry: an extender over bundles with the {@code Kinora-Model} header. For each it verifies the
 * archive (descriptor, weight hashes, entry paths, signature when a trust store is configured), waits for the
 * bundle's {@link VideoModel} service, warms it up with a checked health-check render and makes it READY. Jobs
 * get a version through {@link #acquire}; policies come from Config Admin ({@link RoutingPolicyComponent}) and
 * operators (the API and the Gogo commands).
 */
@Component(service = ModelRegistry.class, immediate = true, configurationPid = "io.kinora.model.registry")
@Designate(ocd = RegistryConfig.class)
public class ModelRegistryImpl implements ModelRegistry {

    private static final Logger logger = LoggerFactory.getLogger(ModelRegistryImpl.class);
    private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}\\.jar");

    private final BundleContext context;
    private final Registry registry;
    private final ExecutorService worker;
    private final ExecutorService renders;
    /** Writes operator routing changes to Config Admin, one at a time and in order, off the registry's lock. */
    private final ExecutorService persister;
    private final Map<Long, ServiceReference<VideoModel>> services = new ConcurrentHashMap<>();
    private final Map<RoutingPolicyComponent, String> policyFamilies = new ConcurrentHashMap<>();
    private final BundleTracker<Entry> bundles;
    private final ServiceTracker<VideoModel, VideoModel> models;
    private volatile RegistryConfig config;
    private volatile SignatureCheck signatures;
    private volatile String signatureProblem;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile EventSink events;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile PolicyWriter writer;

    @Activate
    public ModelRegistryImpl(BundleContext context, RegistryConfig config) {
        this.context = context;
        this.registry = new Registry(this::publish, budget(config));
        AtomicInteger n = new AtomicInteger();
        this.worker = Executors.newSingleThreadExecutor(r -> daemon(r, "kinora-model-registry"));
        this.renders = Executors.newCachedThreadPool(r -> daemon(r, "kinora-model-warmup-" + n.incrementAndGet()));
        this.persister = Executors.newSingleThreadExecutor(r -> daemon(r, "kinora-model-routing-store"));
        registry.store(new Registry.Store() {
            @Override
            public boolean store(RoutingPolicy policy, String why) { return persist(policy, why); }

            @Override
            public String target(String family) { return configurationOf(family); }
        });
        modified(config);
        int mask = Bundle.INSTALLED | Bundle.RESOLVED | Bundle.STARTING | Bundle.ACTIVE | Bundle.STOPPING;
        this.bundles = new BundleTracker<>(context, mask, new org.osgi.util.tracker.BundleTrackerCustomizer<Entry>() {
            @Override
            public Entry addingBundle(Bundle bundle, BundleEvent event) { return bundleSeen(bundle); }

            @Override
            public void modifiedBundle(Bundle bundle, BundleEvent event, Entry entry) { }

            @Override
            public void removedBundle(Bundle bundle, BundleEvent event, Entry entry) {
                worker.execute(() -> registry.bundleGone(entry));
            }
        });
        this.models = new ServiceTracker<>(context, VideoModel.class, null) {
            @Override
            public VideoModel addingService(ServiceReference<VideoModel> ref) {
                VideoModel m = context.getService(ref);
                if (m != null) worker.execute(() -> serviceSeen(ref, m));
                return m;
            }

            @Override
            public void removedService(ServiceReference<VideoModel> ref, VideoModel m) {
                long id = ref.getBundle() == null ? -1 : ref.getBundle().getBundleId();
                // synchronously: from this moment no new job may be routed to the instance DS is deactivating
                Entry e = registry.byBundle(id);
                if (e != null && services.remove(id, ref)) registry.serviceGone(e, "its VideoModel service was unregistered");
                context.ungetService(ref);
            }
        };
        bundles.open();
        models.open();
        logger.info("model registry started ({} model bundle(s) found)", bundles.size());
    }

    @Modified
    void modified(RegistryConfig c) {
        this.config = c;
        registry.budget(budget(c));
        String store = c.trust_store() == null ? "" : c.trust_store().trim();
        if (store.isEmpty()) {
            signatures = null;
            signatureProblem = null;
        } else {
            try {
                signatures = SignatureCheck.load(Path.of(store), c.trust_store_type(),
                        c.trust_store_password() == null ? null : c.trust_store_password().toCharArray());
                signatureProblem = null;
            } catch (ModelException e) {
                // fail closed: with a trust store configured but unreadable, no new version is admitted
                signatures = null;
                signatureProblem = e.getMessage();
                logger.error("{}: new model versions will be refused until this is fixed", e.getMessage());
            }
        }
    }

    @Deactivate
    void deactivate() {
        models.close();
        bundles.close();
        worker.shutdownNow();
        renders.shutdownNow();
        registry.store(null);
        persister.shutdown(); // let queued routing changes reach Config Admin before the registry goes
        try {
            if (!persister.awaitTermination(10, TimeUnit.SECONDS)) {
                logger.warn("routing changes not yet written to Config Admin after 10 s: they may be lost");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The PID the family's policy is written to: that of its routing configuration in force, else the named one the
     * writer creates. Read from the bound components, so it never calls Config Admin under the registry's lock.
     */
    private String configurationOf(String family) {
        return policyFamilies.entrySet().stream().filter(x -> x.getValue().equals(family))
                .map(x -> x.getKey().pid()).filter(p -> p != null).findFirst()
                .orElse(PolicyWriter.FACTORY_PID + "~" + PolicyWriter.configName(family));
    }

    /** Queues the write of an operator's policy (called under the registry's lock: never blocks). */
    private boolean persist(RoutingPolicy policy, String why) {
        PolicyWriter w = writer;
        if (w == null) return false;
        try {
            persister.execute(() -> {
                try {
                    w.write(policy);
                } catch (Exception e) {
                    logger.warn("cannot write the routing policy of {} ({}) to Config Admin: {}; it is in force until "
                            + "the registry restarts", policy.family(), why, e.toString());
                }
            });
            return true;
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return false;
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            updated = "updatedPolicy")
    void addPolicy(RoutingPolicyComponent p) {
        RoutingPolicy policy = p.policy();
        String old = policyFamilies.put(p, policy.family());
        if (old != null && !old.equals(policy.family())) registry.configure(old, null);
        registry.configure(policy.family(), policy);
    }

    void updatedPolicy(RoutingPolicyComponent p) {
        addPolicy(p);
    }

    void removePolicy(RoutingPolicyComponent p) {
        String family = policyFamilies.remove(p);
        if (family == null) return;
        // another configuration of the same family (e.g. the one the registry writes) is what remains in force
        RoutingPolicyComponent other = policyFamilies.entrySet().stream().filter(x -> x.getValue().equals(family))
                .map(Map.Entry::getKey).findFirst().orElse(null);
        registry.configure(family, other == null ? null : other.policy());
    }

    // ------------------------------------------------------------------ extender

    private Entry bundleSeen(Bundle b) {
        String header = b.getHeaders("").get(HEADER);
        if (header == null) {
            if (inModelsFolder(b.getLocation())) {
                // dropped into models/ but not a model bundle: visible as FAILED with the reason, never routed to
                Entry e = registry.track(b.getBundleId(), b.getLocation(),
                        b.getSymbolicName() == null ? "bundle-" + b.getBundleId() : b.getSymbolicName(),
                        b.getVersion().toString());
                String why = "not a model bundle: no " + HEADER + " manifest header (" + b.getLocation() + ")";
                logger.error("refusing {}: {}", b.getSymbolicName(), why);
                registry.refuse(e, why);
                return e;
            }
            return null;
        }
        Entry e = registry.track(b.getBundleId(), b.getLocation(), header.trim(), b.getVersion().toString());
        worker.execute(() -> verify(b, e));
        return e;
    }

    private void verify(Bundle b, Entry e) {
        if (e.state != ModelState.INSTALLED && e.state != ModelState.RETIRED) return;
        registry.transition(e, ModelState.VERIFYING, "checking descriptor, weights and archive");
        try {
            String clash = registry.clash(e);
            if (clash != null) throw new ModelException(clash);
            Path file = localFile(b.getLocation());
            Descriptor d;
            if (file != null && Files.isRegularFile(file)) {
                try (JarArchive jar = new JarArchive(file)) {
                    d = Verifier.verify(jar);
                }
            } else {
                d = Verifier.verify(new BundleArchive(b));
            }
            checkSignature(file);
            registry.describe(e, d);
            registry.transition(e, ModelState.INSTALLED, "verified; waiting for its VideoModel service");
            ServiceReference<VideoModel> ref = services.get(b.getBundleId());
            if (ref != null) {
                VideoModel m = models.getService(ref);
                if (m != null) warm(e, m);
            }
        } catch (ModelException ex) {
            logger.error("refusing model bundle {} ({}): {}", b.getSymbolicName(), b.getLocation(), ex.getMessage());
            registry.refuse(e, ex.getMessage());
        } catch (IOException | RuntimeException ex) {
            logger.error("refusing model bundle {}: cannot read it: {}", b.getLocation(), ex.toString());
            registry.refuse(e, "cannot read the bundle: " + ex);
        }
    }

    private void checkSignature(Path file) {
        String problem = signatureProblem;
        if (problem != null) throw new ModelException("model trust store is configured but unusable: " + problem);
        SignatureCheck check = signatures;
        if (check == null) return;
        if (file == null || !Files.isRegularFile(file)) {
            throw new ModelException("a trust store is configured, but the bundle's location is not a local jar file, "
                    + "so its signature cannot be checked");
        }
        check.check(file);
    }

    private void serviceSeen(ServiceReference<VideoModel> ref, VideoModel m) {
        Bundle b = ref.getBundle();
        if (b == null) return;
        Entry e = registry.byBundle(b.getBundleId());
        if (e == null) {
            if (b.getHeaders("").get(HEADER) == null) {
                logger.warn("bundle {} ({}) registers a VideoModel but has no {} header: the registry does not route "
                        + "to it", b.getSymbolicName(), b.getBundleId(), HEADER);
            }
            return;
        }
        Object id = ref.getProperty(VideoModel.MODEL_ID);
        if (id != null && !e.id.equals(id)) {
            logger.warn("bundle {} registers VideoModel {} but its {} header says {}: ignored", b.getBundleId(), id,
                    HEADER, e.id);
            return;
        }
        services.put(b.getBundleId(), ref);
        if (e.descriptor != null && (e.state == ModelState.INSTALLED || e.state == ModelState.RETIRED)) {
            if (e.state == ModelState.RETIRED) {
                // the bundle was stopped and started again: verify again (it may have been updated)
                verify(b, e);
            } else {
                warm(e, m);
            }
        }
    }

    private void warm(Entry e, VideoModel m) {
        if (!registry.serviceArrived(e, m)) return;
        long t0 = System.nanoTime();
        Future<?> f = renders.submit(() -> HealthCheck.run(m));
        try {
            f.get(config.warmup_timeout_seconds(), TimeUnit.SECONDS);
            long ms = (System.nanoTime() - t0) / 1_000_000L;
            registry.transition(e, ModelState.READY, "health check passed in " + ms + " ms");
            logger.info("model {} READY (install to ready {} ms, health check {} ms)", e.key(),
                    registry.byBundle(e.bundleId) == null ? -1 : e.installToReadyMillis, ms);
        } catch (TimeoutException ex) {
            f.cancel(true);
            registry.refuse(e, "health check did not finish within " + config.warmup_timeout_seconds() + " s");
        } catch (ExecutionException ex) {
            Throwable c = ex.getCause();
            registry.refuse(e, "health check failed: " + (c.getMessage() == null ? c.toString() : c.getMessage()));
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether a bundle came from the distribution's model drop folder ({@code ${kinora.home}/models}). */
    static boolean inModelsFolder(String location) {
        String home = System.getProperty("kinora.home");
        Path file = localFile(location);
        return home != null && file != null && file.toAbsolutePath().normalize()
                .startsWith(Path.of(home, "models").toAbsolutePath().normalize());
    }

    static Path localFile(String location) {
        if (location == null) return null;
        String l = location.startsWith("reference:") ? location.substring("reference:".length()) : location;
        if (!l.startsWith("file:")) return null;
        try {
            return Path.of(URI.create(l));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    // ------------------------------------------------------------------ API

    @Override
    public List<ModelVersion> versions() {
        return registry.versions(null);
    }

    @Override
    public List<ModelVersion> versions(String familyOrId) {
        return registry.versions(familyOrId);
    }

    @Override
    public RoutingPolicy policy(String familyOrId) {
        return registry.policy(familyOrId);
    }

    @Override
    public ModelLease acquire(String familyOrId, String jobId, String tenant) {
        return registry.acquire(familyOrId, jobId, tenant, Duration.ofSeconds(config.acquire_wait_seconds()));
    }

    @Override
    public ModelLease acquire(String familyOrId, String jobId, String tenant, Duration maxWait) {
        return registry.acquire(familyOrId, jobId, tenant, maxWait);
    }

    @Override
    public ModelVersion install(Path jar) {
        Path file = jar.toAbsolutePath().normalize();
        if (!Files.isRegularFile(file)) throw new ModelException("no such file: " + file);
        Descriptor d;
        String bsn;
        String version;
        try (JarArchive archive = new JarArchive(file)) {
            d = Verifier.verify(archive);
            bsn = archive.header("Bundle-SymbolicName").split(";", 2)[0].trim();
            version = archive.header("Bundle-Version");
        } catch (IOException e) {
            throw new ModelException(file.getFileName() + " is not a readable jar: " + e.getMessage(), e);
        }
        checkSignature(file);
        for (ModelVersion v : registry.versions(d.id())) {
            if (v.state() != ModelState.RETIRED && v.info().id().equals(d.id())
                    && Descriptor.normalizeVersion(v.info().version()).equals(Descriptor.normalizeVersion(version))) {
                throw new ModelException("model " + d.id() + ":" + version + " is already installed (bundle "
                        + v.bundleId() + ", " + v.state() + "): uninstall it first or raise the version");
            }
        }
        Bundle b;
        try {
            b = context.installBundle(file.toUri().toString());
        } catch (BundleException e) {
            throw new ModelException("cannot install " + bsn + " " + version + ": " + e.getMessage(), e);
        }
        try {
            b.start();
        } catch (BundleException e) {
            logger.warn("model bundle {} installed but did not start: {}", bsn, e.getMessage());
        }
        Entry e = registry.byBundle(b.getBundleId());
        if (e == null) throw new ModelException("bundle " + b.getBundleId() + " installed but not tracked");
        return e.snapshot();
    }

    /** Whether an installed bundle was installed from this file (an uninstalled model's upload may be replaced). */
    private boolean inUse(Path file) {
        String uri = file.toUri().toString();
        for (org.osgi.framework.Bundle b : context.getBundles()) {
            String loc = b.getLocation();
            if (loc.equals(uri) || loc.endsWith(file.toString()) || loc.equals("reference:" + uri)) return true;
        }
        return false;
    }

    @Override
    public ModelVersion install(InputStream jar, String name) {
        if (name == null || !SAFE_NAME.matcher(name).matches()) {
            throw new ModelException("model file name \"" + name + "\" must be a plain name ending in .jar");
        }
        Path dir = context.getDataFile("uploads").toPath();
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, "upload", ".part");
            try {
                Files.copy(jar, tmp, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                Files.deleteIfExists(tmp); // an interrupted or refused upload leaves nothing behind
                throw e;
            }
            Path target = dir.resolve(name);
            if (Files.exists(target) && inUse(target)) {
                Files.delete(tmp);
                throw new ModelException("a model file named " + name + " was already uploaded and is installed");
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            try {
                return install(target);
            } catch (ModelException e) {
                Files.deleteIfExists(target);
                throw e;
            }
        } catch (IOException e) {
            throw new ModelException("cannot store the uploaded model " + name + ": " + e.getMessage(), e);
        }
    }

    @Override
    public int uninstall(String familyOrId, String version, Duration timeout) {
        List<ModelVersion> vs = registry.versions(familyOrId).stream()
                .filter(v -> v.state() != ModelState.RETIRED && Router.matches(entryOf(v), version)).toList();
        if (vs.isEmpty()) throw new ModelException("no installed version " + version + " of \"" + familyOrId + "\"");
        ModelVersion v = vs.get(vs.size() - 1);
        Entry e = registry.byBundle(v.bundleId());
        registry.drain(e, "uninstall requested");
        int open = registry.awaitDrained(e, timeout == null ? Duration.ofSeconds(config.uninstall_timeout_seconds()) : timeout);
        if (open > 0) {
            logger.warn("uninstalling {} with {} job(s) still running after {}; they finish on the old instance",
                    e.key(), open, timeout);
        }
        Bundle b = context.getBundle(v.bundleId());
        if (b != null) {
            try {
                b.uninstall();
            } catch (BundleException ex) {
                throw new ModelException("cannot uninstall " + e.key() + ": " + ex.getMessage(), ex);
            }
        }
        return open;
    }

    private static Router.Candidate entryOf(ModelVersion v) {
        return new Router.Candidate() {
            @Override
            public String id() { return v.info().id(); }

            @Override
            public String version() { return v.info().version(); }
        };
    }

    @Override
    public ModelVersion await(String id, String version, Duration timeout) {
        return registry.await(id, version, timeout);
    }

    @Override
    public RoutingPolicy activate(String familyOrId, String version) {
        return registry.activate(familyOrId, version);
    }

    @Override
    public RoutingPolicy followLatest(String familyOrId) {
        return registry.followLatest(familyOrId);
    }

    @Override
    public RoutingPolicy canary(String familyOrId, String candidate, int percent) {
        if (percent < 0 || percent > 100) throw new ModelException("canary percent must be 0-100, got " + percent);
        return registry.canary(familyOrId, candidate, percent);
    }

    @Override
    public RoutingPolicy pinTenant(String familyOrId, String tenant, String version) {
        if (tenant == null || tenant.isBlank()) throw new ModelException("a tenant is needed");
        return registry.pinTenant(familyOrId, tenant, version);
    }

    @Override
    public RoutingPolicy rollback(String familyOrId, String reason) {
        return registry.rollback(familyOrId, reason);
    }

    /** Routing preview for the commands: which version a job id would get, and why. */
    String preview(String familyOrId, String jobId, String tenant) {
        Router.Choice<Entry> c = registry.preview(familyOrId, jobId, tenant);
        return c == null ? "no ready version" : c.target().key() + " (" + c.reason() + ")";
    }

    // ------------------------------------------------------------------ events

    private void publish(String topic, Entry e, Map<String, Object> extra) {
        EventSink sink = events;
        if (sink == null) return;
        Map<String, Object> p = new LinkedHashMap<>();
        if (e != null) {
            p.put(ModelEvent.MODEL_ID, e.id);
            p.put(ModelEvent.MODEL_VERSION, e.version);
            p.put(ModelEvent.FAMILY, e.family);
            p.put(ModelEvent.STATE, e.state.name());
            p.put(ModelEvent.BUNDLE_ID, e.bundleId);
            if (e.reason != null) p.put(ModelEvent.REASON, e.reason);
        }
        p.putAll(extra);
        sink.post(topic, p);
    }

    private static Registry.Budget budget(RegistryConfig c) {
        return new Registry.Budget(c.rollback_window_jobs(), c.rollback_max_failures());
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
