package io.kinora.model.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.kinora.api.model.ModelEvent;
import io.kinora.api.model.ModelException;
import io.kinora.api.model.ModelLease;
import io.kinora.api.model.ModelState;
import io.kinora.api.model.ModelVersion;
import io.kinora.api.model.RoutingPolicy;
import io.kinora.api.video.ModelInfo;
import io.kinora.api.video.VideoModel;

/**
 * The registry's state, routing and leases, free of OSGi so it can be tested directly. The OSGi side
 * ({@link ModelRegistryImpl}) feeds it bundle and service events and runs verification and warm-up.
 *
 * <p>One lock guards everything; waiters (acquire, drain, await) wait on it and every change notifies them.
 */
final class Registry {

    /** Receives every state change and routing event (called under the lock: must not call back). */
    interface Listener {
        void event(String topic, Entry entry, Map<String, Object> extra);
    }

    /** Rollback budget: a version that has {@code maxFailures} failed jobs among its first {@code jobs} is rolled back. */
    record Budget(int jobs, int maxFailures) {
    }

    /**
     * Makes operator changes lasting (Config Admin). Called under the lock: must only queue the write. Returns
     * whether the policy will be written; its configuration then comes back through {@link #configure}.
     */
    interface Store {
        boolean store(RoutingPolicy policy, String why);

        /** The configuration PID the family's policy is written to, for messages (must not block); may be null. */
        default String target(String family) {
            return null;
        }
    }

    private static final Logger logger = LoggerFactory.getLogger(Registry.class);
    private static final Logger audit = LoggerFactory.getLogger("io.kinora.audit.model");
    private static final int MAX_RETIRED = 50;

    private final Object lock = new Object();
    private final List<Entry> entries = new ArrayList<>();
    private final Map<String, RoutingPolicy> configured = new ConcurrentHashMap<>();
    private final Map<String, RoutingPolicy> overrides = new HashMap<>();
    /** Per family: policies written to Config Admin whose configuration has not come back yet, oldest first. */
    private final Map<String, List<RoutingPolicy>> pending = new HashMap<>();
    /** Per family: why its policy is what it is after a rollback, appended to every route until the policy changes. */
    private final Map<String, String> notes = new HashMap<>();
    private final Listener listener;
    private volatile Budget budget;
    private volatile Store store;

    Registry(Listener listener, Budget budget) {
        this.listener = listener;
        this.budget = budget;
    }

    void budget(Budget b) {
        this.budget = b;
    }

    /** Where operator changes are persisted; {@code null}: in memory only. */
    void store(Store s) {
        this.store = s;
    }

    // ---------------------------------------------------------------- entries and states

    /** A bundle with the model header appeared (or came back): its entry, new or re-used. */
    Entry track(long bundleId, String location, String id, String version) {
        synchronized (lock) {
            for (Entry e : entries) {
                if (e.bundleId == bundleId && e.live()) return e;
            }
            entries.removeIf(e -> e.bundleId == bundleId);
            Entry e = new Entry(bundleId, location, id, version, null, System.nanoTime());
            entries.add(e);
            trimRetired();
            event(ModelEvent.STATE_CHANGED, e, Map.of());
            lock.notifyAll();
            return e;
        }
    }

    Entry byBundle(long bundleId) {
        synchronized (lock) {
            for (Entry e : entries) {
                if (e.bundleId == bundleId) return e;
            }
            return null;
        }
    }

    void describe(Entry e, Descriptor d) {
        synchronized (lock) {
            e.descriptor = d;
            e.family = d.family();
            e.description = d.description();
        }
    }

    /** Another live bundle with the same id and version, or {@code null}. */
    String clash(Entry e) {
        synchronized (lock) {
            for (Entry o : entries) {
                if (o != e && o.live() && o.id.equals(e.id)
                        && Descriptor.normalizeVersion(o.version).equals(Descriptor.normalizeVersion(e.version))) {
                    return "model " + e.key() + " is already installed by bundle " + o.bundleId + " (" + o.location
                            + "); refusing bundle " + e.bundleId;
                }
            }
            return null;
        }
    }

    boolean transition(Entry e, ModelState to, String reason) {
        synchronized (lock) {
            ModelState from = e.state;
            if (!Entry.allowed(from, to)) {
                logger.warn("model {}: ignoring transition {} -> {} ({})", e.key(), from, to, reason);
                return false;
            }
            e.state = to;
            e.reason = reason;
            if (to == ModelState.READY) {
                e.installToReadyMillis = (System.nanoTime() - e.seenNanos) / 1_000_000L;
                e.windowJobs = 0;
                e.windowFailures = 0;
                e.rolledBack = false;
            }
            if (to == ModelState.RETIRED || (to == ModelState.FAILED && e.leases == 0 && !e.rolledBack)) {
                e.model = null; // a rolled-back version keeps its (still registered) service: it can be re-activated
            }
            if (to == ModelState.FAILED && from != ModelState.FAILED) {
                if (e.rolledBack) {
                    audit.warn("model {} rolled back: {}", e.key(), reason);
                } else {
                    audit.warn("model {} FAILED: {}", e.key(), reason);
                }
            } else {
                audit.info("model {}: {} -> {}{}", e.key(), from, to, reason == null ? "" : " (" + reason + ")");
            }
            event(ModelEvent.STATE_CHANGED, e, Map.of());
            if (to == ModelState.READY) event(ModelEvent.READY, e, Map.of());
            if (to == ModelState.FAILED && e.refused) event(ModelEvent.REFUSED, e, Map.of());
            lock.notifyAll();
            return true;
        }
    }

    void refuse(Entry e, String reason) {
        synchronized (lock) {
            e.refused = true;
            transition(e, ModelState.FAILED, reason);
        }
    }

    /** The model's service is registered: it will be warmed up. */
    boolean serviceArrived(Entry e, VideoModel model) {
        synchronized (lock) {
            if (e.state != ModelState.INSTALLED && e.state != ModelState.RETIRED && e.state != ModelState.VERIFYING) {
                return false;
            }
            e.model = model;
            return transition(e, ModelState.WARMING, "health-check render");
        }
    }

    /** The model's service went away (bundle stopping or uninstalled): drain or retire. */
    void serviceGone(Entry e, String why) {
        synchronized (lock) {
            if (e.state == ModelState.FAILED || e.state == ModelState.RETIRED) {
                e.rolledBack = false; // its service is gone: it cannot be re-activated any more
                if (e.leases == 0) e.model = null;
                return;
            }
            if (e.leases > 0) {
                transition(e, ModelState.DRAINING, why + "; " + e.leases + " job(s) still running on it");
            } else {
                transition(e, ModelState.RETIRED, why);
            }
        }
    }

    /** The bundle was uninstalled: like {@link #serviceGone}, and a refused version is retired too. */
    void bundleGone(Entry e) {
        synchronized (lock) {
            serviceGone(e, "bundle uninstalled");
            if (e.state == ModelState.FAILED && e.leases == 0) transition(e, ModelState.RETIRED, "bundle uninstalled");
        }
    }

    /** Stops new jobs going to a version (before uninstalling it). */
    void drain(Entry e, String why) {
        synchronized (lock) {
            if (e.state == ModelState.READY) transition(e, ModelState.DRAINING, why);
        }
    }

    /** Waits until the version has no open lease; returns the number still open at the deadline. */
    int awaitDrained(Entry e, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (e.leases > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) return e.leases;
                waitNanos(left);
            }
            return 0;
        }
    }

    ModelVersion await(String id, String version, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (true) {
                Entry e = entries.stream().filter(x -> x.id.equals(id) && Router.matches(x, version))
                        .reduce((a, b) -> b).orElse(null);
                if (e != null && (e.state == ModelState.READY || e.state == ModelState.FAILED
                        || e.state == ModelState.RETIRED)) {
                    return e.snapshot();
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    if (e == null) throw new ModelException("model " + id + ":" + version + " is not installed");
                    return e.snapshot();
                }
                waitNanos(left);
            }
        }
    }

    List<ModelVersion> versions(String familyOrId) {
        synchronized (lock) {
            return entries.stream().filter(e -> familyOrId == null || e.inFamily(familyOrId))
                    .sorted(Comparator.comparing((Entry e) -> e.id).thenComparing(Router.BY_VERSION)
                            .thenComparing(e -> e.bundleId))
                    .map(Entry::snapshot).toList();
        }
    }

    // ---------------------------------------------------------------- routing and leases

    /**
     * The effective policy. Policies are kept per family: a model id names its family's policy (routing by id
     * then only considers that id's versions).
     */
    RoutingPolicy policy(String familyOrId) {
        synchronized (lock) {
            String family = canonical(familyOrId);
            RoutingPolicy o = overrides.get(family);
            if (o != null) return o;
            return configured.getOrDefault(family, RoutingPolicy.latest(family));
        }
    }

    /** A model id stands for its family; anything else is taken as a family name. */
    String canonical(String familyOrId) {
        synchronized (lock) {
            for (int i = entries.size() - 1; i >= 0; i--) {
                Entry e = entries.get(i);
                if (e.id.equals(familyOrId) && e.descriptor != null) return e.family;
            }
            return familyOrId;
        }
    }

    /** A configuration (Config Admin) for a family changed: it replaces any operator change made since. */
    void configure(String family, RoutingPolicy policy) {
        synchronized (lock) {
            List<RoutingPolicy> mine = pending.get(family);
            int i = mine == null || policy == null ? -1 : mine.indexOf(policy);
            if (i >= 0) {
                // our own write coming back: no change to what is in force (a later write may still be on its way)
                mine.subList(0, i + 1).clear();
                configured.put(family, policy);
                if (mine.isEmpty()) {
                    pending.remove(family);
                    if (policy.equals(overrides.get(family))) overrides.remove(family);
                }
                logger.debug("routing policy of {}: own configuration update came back ({})", family, policy.describe());
                lock.notifyAll();
                return;
            }
            pending.remove(family); // an edit by someone else: it wins, like any configuration change
            notes.remove(family);
            if (policy == null) configured.remove(family);
            else configured.put(family, policy);
            overrides.remove(family);
            audit.info("routing policy of {} from configuration: {}", family, policy(family).describe());
            event(ModelEvent.POLICY_CHANGED, null, Map.of(ModelEvent.FAMILY, family, "policy", policy(family).describe()));
            lock.notifyAll();
        }
    }

    private void override(RoutingPolicy p, String why) {
        notes.remove(p.family());
        remember(p, why);
        audit.info("routing policy of {} set by {}: {}", p.family(), why, p.describe());
        event(ModelEvent.POLICY_CHANGED, null, Map.of(ModelEvent.FAMILY, p.family(), "policy", p.describe(),
                ModelEvent.REASON, why));
        lock.notifyAll();
    }

    private List<Entry> ready(String familyOrId) {
        return entries.stream().filter(e -> e.state == ModelState.READY && e.model != null && e.inFamily(familyOrId))
                .toList();
    }

    /** Routes without taking a lease (for previews and commands). */
    Router.Choice<Entry> preview(String familyOrId, String jobId, String tenant) {
        synchronized (lock) {
            Router.Choice<Entry> c = Router.route(policy(familyOrId), ready(familyOrId), jobId, tenant);
            return c == null ? null : new Router.Choice<>(c.target(), c.reason() + note(familyOrId));
        }
    }

    ModelLease acquire(String familyOrId, String jobId, String tenant, Duration maxWait) {
        Objects.requireNonNull(familyOrId, "familyOrId");
        long deadline = System.nanoTime() + maxWait.toNanos();
        synchronized (lock) {
            while (true) {
                Router.Choice<Entry> c = Router.route(policy(familyOrId), ready(familyOrId), jobId, tenant);
                if (c != null) {
                    Entry e = c.target();
                    e.leases++;
                    logger.debug("job {} -> {} ({})", jobId, e.key(), c.reason());
                    return new Lease(e, e.model, e.info(), jobId, c.reason() + note(familyOrId));
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new ModelException("no ready version of model \"" + familyOrId + "\" after "
                            + maxWait.toMillis() + " ms (known: " + known(familyOrId) + ")");
                }
                waitNanos(left);
            }
        }
    }

    private String known(String familyOrId) {
        List<String> k = entries.stream().filter(e -> e.inFamily(familyOrId))
                .map(e -> e.key() + " " + e.state + (e.reason == null ? "" : " (" + e.reason + ")")).toList();
        return k.isEmpty() ? "none installed; check the engine and model bundles" : String.join(", ", k);
    }

    private void release(Lease l, String failure) {
        synchronized (lock) {
            Entry e = l.entry;
            e.leases--;
            e.completed++;
            if (failure != null) e.failed++;
            if (e.state == ModelState.READY || e.rolledBack) {
                Budget b = budget;
                if (e.windowJobs < b.jobs()) {
                    e.windowJobs++;
                    if (failure != null) e.windowFailures++;
                    if (failure != null && e.state == ModelState.READY && e.windowFailures >= b.maxFailures()) {
                        autoRollback(e, e.windowFailures + " of its first " + e.windowJobs + " job(s) failed (last: "
                                + failure + ")");
                    }
                }
            }
            if (e.state == ModelState.DRAINING && e.leases == 0) {
                transition(e, ModelState.RETIRED, "drained: its last job ended");
            } else if (e.state == ModelState.FAILED && e.leases == 0 && !e.rolledBack) {
                e.model = null;
            }
            lock.notifyAll();
        }
    }

    /** Health check or error budget failed: FAILED, and the family falls back to what else is ready. */
    void autoRollback(Entry e, String why) {
        synchronized (lock) {
            RoutingPolicy p = policy(e.family);
            if (!p.autoRollback() && !policy(e.id).autoRollback()) {
                audit.warn("model {}: {} but automatic rollback is off for {}", e.key(), why, e.family);
                return;
            }
            List<Entry> others = ready(e.family).stream().filter(o -> o != e).toList();
            if (others.isEmpty()) {
                audit.warn("model {}: {}; not rolled back: no other ready version of {}", e.key(), why, e.family);
                return;
            }
            rollBack(e, "automatic rollback: " + why, p);
        }
    }

    private void rollBack(Entry from, String why, RoutingPolicy p) {
        from.rolledBack = true;
        // a policy that names the rolled-back version now names nothing it can route to: make that explicit
        RoutingPolicy np = p;
        if (p.mode() == RoutingPolicy.Mode.CANARY && Router.matches(from, p.candidate())) {
            np = p.version() == null || p.version().isBlank()
                    ? new RoutingPolicy(p.family(), RoutingPolicy.Mode.LATEST, null, null, 0, p.tenantPins(), p.autoRollback())
                    : new RoutingPolicy(p.family(), RoutingPolicy.Mode.PINNED, p.version(), null, 0, p.tenantPins(), p.autoRollback());
        } else if (p.mode() == RoutingPolicy.Mode.PINNED && Router.matches(from, p.version())) {
            Entry prev = previous(from);
            np = prev == null
                    ? new RoutingPolicy(p.family(), RoutingPolicy.Mode.LATEST, null, null, 0, p.tenantPins(), p.autoRollback())
                    : new RoutingPolicy(p.family(), RoutingPolicy.Mode.PINNED, prev.key(), null, 0, p.tenantPins(), p.autoRollback());
        } else if (p.mode() == RoutingPolicy.Mode.LATEST) {
            // "latest" would pick the rolled-back version again after a restart (its FAILED mark lives in memory):
            // pin the version traffic goes back to, persisted, until an operator activates another
            Entry prev = previous(from);
            if (prev != null) {
                np = new RoutingPolicy(p.family(), RoutingPolicy.Mode.PINNED, prev.key(), null, 0, p.tenantPins(), p.autoRollback());
            }
        }
        String pid = np.equals(p) ? null : remember(np, why);
        String where = np.equals(p) ? "" : pid == null
                ? "; routing of " + p.family() + " now " + np.describe() + " (in memory only)"
                : "; routing configuration " + pid + " set to " + np.describe();
        transition(from, ModelState.FAILED, why + where);
        notes.put(p.family(), "after rollback of " + from.key() + where);
        Router.Choice<Entry> now = Router.route(policy(p.family()), ready(p.family()), "", null);
        String to = now == null ? "nothing (no other ready version)" : now.target().key();
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put(ModelEvent.ROLLED_BACK_TO, to);
        event(ModelEvent.ROLLED_BACK, from, extra);
        audit.warn("model {} rolled back to {}: {}", from.key(), to, why);
        lock.notifyAll();
    }

    /** Puts an operator's policy in force and has it persisted (else warns that it is kept in memory only). */
    private String remember(RoutingPolicy p, String why) {
        overrides.put(p.family(), p);
        Store s = store;
        if (s != null && s.store(p, why)) {
            pending.computeIfAbsent(p.family(), f -> new ArrayList<>()).add(p);
            String pid = s.target(p.family());
            return pid == null ? "" : pid;
        } else {
            logger.warn("routing change of {} ({}) is kept in memory only: no Config Admin to persist it, it is lost "
                    + "when the registry restarts", p.family(), why);
            return null;
        }
    }

    /** The family's rollback note for route texts: {@code " [after rollback of ...]"}, or empty. */
    private String note(String familyOrId) {
        String n = notes.get(canonical(familyOrId));
        return n == null ? "" : " [" + n + "]";
    }

    /** The highest ready version below {@code e} in its family, else any other ready one. */
    private Entry previous(Entry e) {
        List<Entry> others = ready(e.family).stream().filter(o -> o != e).toList();
        Entry below = others.stream().filter(o -> Router.BY_VERSION.compare(o, e) < 0).max(Router.BY_VERSION).orElse(null);
        return below != null ? below : Router.latest(others, null);
    }

    // ---------------------------------------------------------------- operator actions

    private Entry findIn(String familyOrId, String version) {
        List<Entry> fam = entries.stream().filter(e -> e.live() && e.inFamily(familyOrId)).toList();
        Entry e = Router.find(fam, version);
        if (e == null) {
            throw new ModelException("no version " + version + " of model \"" + familyOrId + "\" (known: "
                    + known(familyOrId) + ")");
        }
        return e;
    }

    /** Accepts a READY version, or re-admits a rolled-back one whose service is still there. */
    private Entry readyOrReadmit(String familyOrId, String version) {
        Entry e = findIn(familyOrId, version);
        if (e.state == ModelState.FAILED && e.rolledBack && e.model != null) {
            transition(e, ModelState.READY, "re-activated by an operator after a rollback");
        } else if (e.state == ModelState.FAILED && e.rolledBack) {
            throw new ModelException("model " + e.key() + " was rolled back and its service is gone: restart or "
                    + "reinstall its bundle");
        }
        if (e.state != ModelState.READY) {
            throw new ModelException("model " + e.key() + " is " + e.state
                    + (e.reason == null ? "" : " (" + e.reason + ")") + ", not READY");
        }
        return e;
    }

    RoutingPolicy activate(String familyOrId, String version) {
        synchronized (lock) {
            Entry e = readyOrReadmit(familyOrId, version);
            RoutingPolicy p = policy(familyOrId);
            RoutingPolicy np = new RoutingPolicy(canonical(familyOrId), RoutingPolicy.Mode.PINNED, e.key(), null, 0,
                    p.tenantPins(), p.autoRollback());
            override(np, "activate " + e.key());
            return np;
        }
    }

    RoutingPolicy followLatest(String familyOrId) {
        synchronized (lock) {
            RoutingPolicy p = policy(familyOrId);
            RoutingPolicy np = new RoutingPolicy(canonical(familyOrId), RoutingPolicy.Mode.LATEST, null, null, 0,
                    p.tenantPins(), p.autoRollback());
            override(np, "follow latest");
            return np;
        }
    }

    RoutingPolicy canary(String familyOrId, String candidate, int percent) {
        synchronized (lock) {
            Entry c = readyOrReadmit(familyOrId, candidate);
            RoutingPolicy p = policy(familyOrId);
            // the stable side is what the family routes to now (unless that is the candidate itself)
            Router.Choice<Entry> now = Router.route(p, ready(familyOrId).stream().filter(x -> x != c).toList(), "", null);
            String stable = p.mode() == RoutingPolicy.Mode.CANARY ? p.version()
                    : now == null ? null : now.target().key();
            RoutingPolicy np = new RoutingPolicy(canonical(familyOrId), RoutingPolicy.Mode.CANARY, stable, c.key(), percent,
                    p.tenantPins(), p.autoRollback());
            override(np, "canary " + percent + "% to " + c.key());
            return np;
        }
    }

    RoutingPolicy pinTenant(String familyOrId, String tenant, String version) {
        synchronized (lock) {
            RoutingPolicy p = policy(familyOrId);
            Map<String, String> pins = new LinkedHashMap<>(p.tenantPins());
            if (version == null || version.isBlank()) {
                pins.remove(tenant);
            } else {
                pins.put(tenant, findIn(familyOrId, version).key());
            }
            RoutingPolicy np = new RoutingPolicy(canonical(familyOrId), p.mode(), p.version(), p.candidate(), p.canaryPercent(),
                    pins, p.autoRollback());
            override(np, version == null ? "unpin tenant " + tenant : "pin tenant " + tenant + " to " + version);
            return np;
        }
    }

    RoutingPolicy rollback(String familyOrId, String reason) {
        synchronized (lock) {
            RoutingPolicy p = policy(familyOrId);
            String why = "rolled back by an operator" + (reason == null || reason.isBlank() ? "" : ": " + reason);
            List<Entry> ready = ready(familyOrId);
            Entry from;
            if (p.mode() == RoutingPolicy.Mode.CANARY && Router.find(ready, p.candidate()) != null) {
                from = Router.find(ready, p.candidate());
            } else {
                Router.Choice<Entry> now = Router.route(p, ready, "", null);
                if (now == null) throw new ModelException("model \"" + familyOrId + "\" has no ready version to roll back");
                from = now.target();
                if (previous(from) == null) {
                    throw new ModelException("cannot roll back " + from.key() + ": no other ready version of \""
                            + familyOrId + "\" (known: " + known(familyOrId) + ")");
                }
            }
            rollBack(from, why, p);
            return policy(familyOrId);
        }
    }

    // ---------------------------------------------------------------- helpers

    private void trimRetired() {
        List<Entry> retired = entries.stream().filter(e -> !e.live()).collect(Collectors.toList());
        for (int i = 0; i < retired.size() - MAX_RETIRED; i++) entries.remove(retired.get(i));
    }

    private void event(String topic, Entry e, Map<String, Object> extra) {
        try {
            listener.event(topic, e, extra);
        } catch (RuntimeException ex) {
            logger.warn("model event listener failed for {}: {}", topic, ex.toString());
        }
    }

    private void waitNanos(long nanos) {
        try {
            long ms = Math.max(1, nanos / 1_000_000L);
            lock.wait(Math.min(ms, 1000));
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw new ModelException("interrupted while waiting for the model registry");
        }
    }

    /** A job's hold on one version. */
    final class Lease implements ModelLease {
        final Entry entry;
        private final VideoModel model;
        private final ModelInfo info;
        private final String jobId;
        private final String route;
        private volatile String failure;
        private boolean closed;

        Lease(Entry entry, VideoModel model, ModelInfo info, String jobId, String route) {
            this.entry = entry;
            this.model = model;
            this.info = info;
            this.jobId = jobId;
            this.route = route;
        }

        @Override
        public VideoModel model() { return model; }

        @Override
        public ModelInfo info() { return info; }

        @Override
        public String jobId() { return jobId; }

        @Override
        public String route() { return route; }

        @Override
        public void failed(String reason) {
            failure = reason == null || reason.isBlank() ? "failed" : reason;
        }

        @Override
        public void close() {
            synchronized (lock) {
                if (closed) return;
                closed = true;
            }
            release(this, failure);
        }

        @Override
        public String toString() { return "lease[" + jobId + " -> " + info + "]"; }
    }
}
