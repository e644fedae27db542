package io.kinora.jobs.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kinora.api.generation.GenerationException;
import io.kinora.api.generation.GenerationRequest;
import io.kinora.api.generation.GenerationResult;
import io.kinora.api.generation.GenerationService;
import io.kinora.api.generation.Stage;
import io.kinora.api.jobs.JobInfo;
import io.kinora.api.jobs.JobRejectedException;
import io.kinora.api.jobs.JobRunner;
import io.kinora.api.jobs.JobScheduler;
import io.kinora.api.jobs.JobService;
import io.kinora.api.jobs.JobState;
import io.kinora.api.jobs.JobSubmission;
import io.kinora.api.media.Cancellation;
import io.kinora.api.scene.Problem;
import io.kinora.api.scene.SceneLimits;
import io.kinora.api.scene.SceneSpec;
import io.kinora.api.scene.SceneSpecException;
import io.kinora.api.scene.SceneSpecReader;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.util.tracker.ServiceTracker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The persistent job queue. Each job is a folder: {@code job.json} (state, written atomically on every change),
 * {@code scene.json}, the image, and {@code results/}. On start, jobs found QUEUED are queued again and jobs found
 * RUNNING (the node stopped or was killed mid-job) run again from the start — the generation is deterministic and
 * stages its outputs, so no half-written result is ever listed — until {@code max.attempts}, then FAILED with the reason.
 *
 * <p>When a host's {@link JobScheduler} is present (and {@code scheduler} is {@code auto} or {@code host}), a new job is
 * stored the same way and then handed to it instead of the local queue; the job's {@code job.json} records the
 * scheduler's name. Such a job never enters the local queue: the host calls {@link #run} (this service is also the
 * {@link JobRunner}) on whichever instance it picks, and after a restart its unfinished jobs are left to the host, which
 * re-delivers them. Cancelling a host job writes a {@code cancel-requested} marker into its folder, which the instance
 * that runs it sees within a second, and asks the host to drop it.
 */
@Component(service = {JobService.class, JobRunner.class}, configurationPid = JobQueueConfig.PID, immediate = true)
@Designate(ocd = JobQueueConfig.class)
public final class JobServiceImpl implements JobService, JobRunner {
    private static final Logger LOG = LoggerFactory.getLogger(JobServiceImpl.class);
    private static final Logger AUDIT = LoggerFactory.getLogger("io.kinora.audit");
    /** What a refused submission is told to wait before trying again. */
    private static final int RETRY_AFTER_SECONDS = 30;
    private static final Pattern ID = Pattern.compile("job-\\d{8}-[0-9a-f]{10}");
    /** A file in a host job's folder saying the job was cancelled; seen by whichever instance runs it. */
    static final String CANCEL_MARKER = "cancel-requested";
    private static final Set<String> IMAGE_TYPES = Set.of("png", "jpg", "jpeg", "bmp", "gif");
    private static final DateTimeFormatter ID_DATE = DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC);
    /** Share of a job's wall time each stage takes, for the overall fraction and the ETA. */
    /** Posted when retention deletes a finished job (its folder and results); {@code job.state} is the state it had. */
    static final String TOPIC_DELETED = TOPIC_PREFIX + "DELETED";
    /** The state a job had before the change an event announces (absent for a new job and for a deletion). */
    static final String PROP_PREVIOUS_STATE = "job.previous.state";
    /** {@link JobInfo#SCHEDULER_LOCAL} or the host scheduler's name. */
    static final String PROP_SCHEDULER = "job.scheduler";
    /** Why a job failed or was cancelled (the job's error), when it has one. */
    static final String PROP_ERROR = "job.error";
    /** Why a change was made outside the job's own run: a restart's recovery, retention, another instance. */
    static final String PROP_REASON = "job.reason";
    /** Events kept while no Event Admin has been bound yet (see {@link #bindEvents}). */
    private static final int MAX_PENDING_EVENTS = 10_000;
    private static final Map<Stage, Double> WEIGHT = new EnumMap<>(Map.of(
            Stage.PLAN, 0.12, Stage.AMBIENCE, 0.03, Stage.MIX, 0.05, Stage.VIDEO, 0.75, Stage.SIGN, 0.05));

    private final GenerationService generation;
    private final SceneSpecReader reader;
    private final JobQueueConfig config;
    private final Path folder;
    private final Clock clock;
    private final ObjectMapper json = JsonMapper.builder().build();
    private final SecureRandom random = new SecureRandom();
    private final Object lock = new Object();
    private final Map<String, JobRecord> jobs = new HashMap<>();
    /**
     * An immutable snapshot of every job in {@link #jobs}, replaced (with the lock held) whenever the job changes. The
     * status and list paths read it without the lock, so a status request never waits for a worker that holds the lock
     * while it stores a job on disk, nor for a submission writing its image.
     */
    private final Map<String, JobInfo> published = new ConcurrentHashMap<>();
    private final PriorityQueue<JobRecord> queue = new PriorityQueue<>(
            Comparator.comparingInt((JobRecord r) -> -r.priority).thenComparingLong(r -> r.sequence));
    /** The jobs that run in this JVM (local workers and host deliveries), by id. */
    private final Map<String, CancelFlag> cancellers = new ConcurrentHashMap<>();
    private final List<Thread> workers = new ArrayList<>();
    private final ScheduledExecutorService housekeeping;
    private volatile EventAdmin events;
    /**
     * Events of state changes made before the first Event Admin was bound: restart recovery runs in the constructor,
     * and the workers start there too, before DS binds the optional reference. Posted, in order, when one is bound;
     * guarded by itself. After the first binding nothing is kept while there is no Event Admin.
     */
    private final List<Event> pendingEvents = new ArrayList<>();
    private boolean eventsEverBound;
    /** The host's job system that new jobs go to (see {@link #mode()}); its {@code get()} is null while there is none. */
    private final Supplier<JobScheduler> hosts;
    private volatile boolean running = true;
    /** Whether the OSGi framework is shutting down (set by the OSGi constructor; never in unit tests' own). */
    private volatile BooleanSupplier frameworkStopping = () -> false;
    private final java.util.concurrent.atomic.AtomicBoolean niceLogged = new java.util.concurrent.atomic.AtomicBoolean();
    private long sequence;

    /**
     * The host scheduler (the highest ranked {@link JobScheduler} service, optional and dynamic) is followed with a
     * {@link ServiceTracker} rather than a DS reference: in Sling Starter 11 (Felix SCR 2.1.12) a dynamic reference's bind
     * method was not called when the scheduler registered while this component activated, and a static optional
     * constructor reference left this component failed ("Unable to get service for reference") when the scheduler's
     * bundle stopped. A tracker sees the service whenever it is there, in every framework.
     */
    @Activate
    public JobServiceImpl(@Reference GenerationService generation, @Reference SceneSpecReader reader,
                          JobQueueConfig config, BundleContext context) throws IOException {
        this(generation, reader, config, resolveFolder(config, context), Clock.systemUTC(), new SchedulerTracker(context));
        // the framework stops bundles one by one (highest start level first): a model or another stage may go away
        // under a running job before this service is deactivated; such a failure is an interruption, not the job's
        Bundle system = context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION);
        this.frameworkStopping = () -> system != null && (system.getState() & (Bundle.STOPPING | Bundle.RESOLVED)) != 0;
    }

    JobServiceImpl(GenerationService generation, SceneSpecReader reader, JobQueueConfig config, Path folder, Clock clock)
            throws IOException {
        this(generation, reader, config, folder, clock, () -> null);
    }

    JobServiceImpl(GenerationService generation, SceneSpecReader reader, JobQueueConfig config, Path folder, Clock clock,
                   Supplier<JobScheduler> hosts) throws IOException {
        this.hosts = hosts;
        if (hosts instanceof SchedulerTracker t) t.open();
        this.generation = generation;
        this.reader = reader;
        this.config = config;
        this.folder = folder;
        this.clock = clock;
        Files.createDirectories(folder);
        recover();
        for (int i = 0; i < Math.max(1, config.concurrency()); i++) {
            Thread t = new Thread(this::work, "kinora-job-worker-" + (i + 1));
            t.setDaemon(true);
            workers.add(t);
            t.start();
        }
        housekeeping = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "kinora-job-retention");
            t.setDaemon(true);
            return t;
        });
        housekeeping.scheduleWithFixedDelay(this::retain, 1, 60, TimeUnit.MINUTES);
        LOG.info("job queue ready in {}: {} job(s) on disk, {} queued, concurrency {}, scheduler {} ({})", folder, jobs.size(),
                queue.size(), config.concurrency(), mode(), schedulerText());
    }

    static Path resolveFolder(JobQueueConfig config, BundleContext context) {
        if (!config.folder().isBlank()) return Paths.get(config.folder());
        String work = context.getProperty("kinora.work");
        if (work != null && !work.isBlank()) return Paths.get(work, "jobs");
        return context.getDataFile("jobs").toPath();
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindEvents(EventAdmin eventAdmin) {
        synchronized (pendingEvents) {
            this.events = eventAdmin;
            eventsEverBound = true;
            // postEvent only queues the event; holding the monitor keeps newer events behind these
            for (Event e : pendingEvents) post(eventAdmin, e);
            pendingEvents.clear();
        }
    }

    void unbindEvents(EventAdmin eventAdmin) {
        if (this.events == eventAdmin) this.events = null;
    }

    private String schedulerText() {
        String m = mode();
        JobScheduler host = hosts.get();
        if (host == null) {
            return m.equals("host") ? "no host job scheduler: submissions are refused until one is there" : "Kinora's own workers";
        }
        return m.equals("local") ? "host job scheduler '" + host.name() + "' present but not used" : "new jobs go to the host job scheduler '" + host.name() + "'";
    }

    private String mode() {
        String m = config.scheduler() == null ? "" : config.scheduler().trim().toLowerCase(Locale.ROOT);
        return m.equals("local") || m.equals("host") ? m : "auto";
    }

    /** For tests: what says the framework is shutting down. */
    void frameworkStoppingWhen(BooleanSupplier stopping) {
        this.frameworkStopping = stopping;
    }

    @Deactivate
    void deactivate() {
        running = false;
        if (hosts instanceof SchedulerTracker t) t.close();
        housekeeping.shutdownNow();
        cancellers.values().forEach(CancelFlag::shutdown);
        synchronized (lock) {
            lock.notifyAll();
        }
        for (Thread t : workers) {
            try {
                t.join(15_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        // host deliveries run on the host's threads: wait until they have stored their state (QUEUED, to run again)
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (!cancellers.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public JobInfo submit(JobSubmission s) throws JobRejectedException {
        if (s == null || s.scene() == null) throw new JobRejectedException("scene: no scene given", false, 0);
        List<Problem> problems = s.scene().validate(SceneLimits.DEFAULTS);
        if (!problems.isEmpty()) {
            throw new JobRejectedException(new SceneSpecException("scene", problems).getMessage(), false, 0);
        }
        if (s.image() == null || s.image().length == 0) throw new JobRejectedException("image: no image given", false, 0);
        if (s.image().length > config.max_image_bytes()) {
            throw new JobRejectedException("image: " + s.image().length + " bytes; the limit is " + config.max_image_bytes(), false, 0);
        }
        String ext = extension(s.imageName());
        if (!IMAGE_TYPES.contains(ext)) {
            throw new JobRejectedException("image: '" + s.imageName() + "' must be one of " + IMAGE_TYPES.stream().sorted().toList(), false, 0);
        }
        // the pixel limit from the image's header, before the job is stored: a job is never queued only to fail on it
        Optional<String> badImage = ImageHeader.check(s.image(), s.imageName(), config.max_image_pixels());
        if (badImage.isPresent()) throw new JobRejectedException(badImage.get(), false, 0);
        String owner = s.owner() == null || s.owner().isBlank() ? "anonymous" : s.owner();
        String mode = mode();
        JobScheduler target = mode.equals("local") ? null : hosts.get();
        if (target == null && mode.equals("host")) {
            throw new JobRejectedException("busy: no host job scheduler is available (the configuration " + JobQueueConfig.PID
                    + " says scheduler=host; is io.kinora.jobs.sling installed and Apache Sling's job manager running?); retry later",
                    true, RETRY_AFTER_SECONDS);
        }
        synchronized (lock) {
            admit(owner); // before the image is written: a busy queue refuses at once
        }
        JobRecord r = new JobRecord();
        r.id = newId();
        r.owner = owner;
        r.priority = s.priority();
        r.submitted = clock.instant();
        r.imageName = "image." + ext;
        r.scheduler = target == null ? null : target.name();
        Path dir = folder.resolve(r.id);
        try {
            // outside the lock (an image may be large; workers and other submissions go on meanwhile). A folder without
            // job.json is an interrupted submission, which a restart ignores.
            Files.createDirectories(dir);
            writeAtomically(dir.resolve("scene.json"), reader.write(s.scene()));
            writeAtomically(dir.resolve(r.imageName), s.image());
        } catch (IOException e) {
            deleteTree(dir);
            throw new JobRejectedException("the job could not be stored: " + e.getMessage(), true, 60);
        }
        JobRejectedException refused = null;
        JobInfo queuedInfo = null;
        synchronized (lock) {
            try {
                admit(owner); // again: other submissions may have filled the queue meanwhile
                r.sequence = sequence++;
                persist(r);
            } catch (JobRejectedException e) {
                refused = e;
            } catch (IOException e) {
                refused = new JobRejectedException("the job could not be stored: " + e.getMessage(), true, 60);
            }
            if (refused == null) {
                jobs.put(r.id, r);
                if (target == null) {
                    // posted with the lock held, before a worker can take the job: QUEUED always comes before RUNNING
                    queuedInfo = announce(r, null, null);
                    queue.add(r);
                    lock.notifyAll();
                } else {
                    queuedInfo = changed(r);
                }
            }
        }
        if (refused != null) {
            deleteTree(dir);
            throw refused;
        }
        if (target != null) {
            // outside the lock: the host may deliver the job to this instance's runner before schedule() returns
            try {
                target.schedule(r.id, r.priority);
            } catch (JobRejectedException | RuntimeException e) {
                synchronized (lock) {
                    jobs.remove(r.id);
                    published.remove(r.id);
                }
                deleteTree(folder.resolve(r.id));
                LOG.warn("job {}: the host job scheduler '{}' did not take it: {}", r.id, r.scheduler, e.toString());
                if (e instanceof JobRejectedException j) throw j;
                throw new JobRejectedException("busy: the host job scheduler '" + r.scheduler + "' did not take the job ("
                        + e.getMessage() + "); retry later", true, RETRY_AFTER_SECONDS);
            }
        }
        AUDIT.info("job {} queued for {} (priority {}, scheduler {})", r.id, owner, r.priority,
                r.scheduler == null ? JobInfo.SCHEDULER_LOCAL : r.scheduler);
        // a host job: once the host took it (it may already have delivered and started it: then RUNNING came first)
        if (target != null) publish(queuedInfo, null, null);
        return snapshot(r);
    }

    /** With the lock held: refuses a new job of this owner when the service stops or the queue or the owner is full. */
    private void admit(String owner) throws JobRejectedException {
        if (!running) throw new JobRejectedException("busy: the job service is stopping; retry later", true, 30);
        long waiting = jobs.values().stream().filter(j -> j.state == JobState.QUEUED).count();
        if (waiting >= config.max_queued()) {
            throw new JobRejectedException("busy: " + waiting + " jobs are waiting (the limit is " + config.max_queued()
                    + "); retry later", true, RETRY_AFTER_SECONDS);
        }
        long active = jobs.values().stream().filter(j -> j.owner.equals(owner) && !j.state.isFinal()).count();
        if (active >= config.max_active_per_owner()) {
            throw new JobRejectedException("busy: " + owner + " already has " + active + " active jobs (the limit is "
                    + config.max_active_per_owner() + "); retry later", true, RETRY_AFTER_SECONDS);
        }
    }

    /**
     * A job's latest snapshot, without taking the queue's lock: local jobs (and host jobs this instance runs) are
     * answered from memory. Only a host job that may run on another instance is read from its {@code job.json}, outside
     * the lock.
     */
    @Override
    public Optional<JobInfo> get(String id) {
        if (id == null) return Optional.empty();
        JobInfo i = published.get(id);
        if (i != null && !elsewhere(i)) return Optional.of(i);
        return Optional.ofNullable(fromDisk(id));
    }

    @Override
    public List<JobInfo> list(String owner) {
        List<JobInfo> out = new ArrayList<>();
        for (JobInfo i : published.values()) {
            if (elsewhere(i)) i = fromDisk(i.id());
            if (i != null && (owner == null || owner.equals(i.owner()))) out.add(i);
        }
        out.sort(Comparator.comparing(JobInfo::submitted).reversed().thenComparing(JobInfo::id));
        return out;
    }

    /**
     * With the lock held, after a change of a job's state: posts its event, then publishes its new snapshot, so whoever
     * sees the new state (status and list read the snapshots without the lock) can count on its event being posted.
     */
    private JobInfo announce(JobRecord r, JobState before, String reason) {
        JobInfo i = r.info();
        publish(i, before, reason);
        published.put(r.id, i);
        return i;
    }

    /** With the lock held, after every change of a job: publishes its new snapshot. */
    private JobInfo changed(JobRecord r) {
        JobInfo i = r.info();
        published.put(r.id, i);
        return i;
    }

    /** Whether a job's state may have been changed by another instance (a host job not finished and not run here). */
    private boolean elsewhere(JobInfo i) {
        return !JobInfo.SCHEDULER_LOCAL.equals(i.scheduler()) && !i.state().isFinal() && !cancellers.containsKey(i.id());
    }

    /**
     * A host job's state as its instance stored it: {@code job.json} is read outside the lock, then applied to the
     * record (or, for a job another instance took, added) with the lock held only for that. Null when there is no such job.
     */
    private JobInfo fromDisk(String id) {
        if (!ID.matcher(id).matches()) return null;
        JobRecord d = null;
        Path file = folder.resolve(id).resolve("job.json");
        if (Files.isRegularFile(file)) {
            try {
                d = read(file);
            } catch (IOException | RuntimeException e) {
                LOG.debug("job {}: state not refreshed: {}", id, e.toString());
            }
        }
        if (d == null) return published.get(id); // nothing stored (an unknown id) or unreadable: what is known
        synchronized (lock) {
            JobRecord r = jobs.get(id);
            if (r != null) {
                if (r.scheduler != null && !r.state.isFinal() && !cancellers.containsKey(id)) apply(r, d);
                return changed(r);
            }
            if (d.scheduler == null) return null; // another instance's own queue
            d.sequence = sequence++;
            jobs.put(d.id, d);
            return changed(d);
        }
    }

    @Override
    public Optional<JobInfo> cancel(String id) {
        JobRecord r;
        CancelFlag canceller;
        String scheduler;
        synchronized (lock) {
            r = lookup(id);
            if (r == null) return Optional.empty();
            if (r.state.isFinal()) return Optional.of(r.info());
            scheduler = r.scheduler;
            if (scheduler != null) {
                // seen by whichever instance runs (or is about to run) the job, also on another node of a cluster
                try {
                    Files.writeString(folder.resolve(r.id).resolve(CANCEL_MARKER), clock.instant().toString());
                } catch (IOException e) {
                    LOG.warn("job {}: the cancel marker could not be written: {}", r.id, e.getMessage());
                }
            }
            canceller = cancellers.get(id);
            if (r.state == JobState.QUEUED && canceller == null) {
                queue.remove(r);
                finish(r, JobState.CANCELLED, "cancelled before it started");
            }
        }
        if (canceller != null) canceller.cancel();
        JobScheduler s = hosts.get();
        if (scheduler != null && s != null && s.name().equals(scheduler)) {
            try {
                s.cancel(id);
            } catch (RuntimeException e) {
                LOG.warn("job {}: the host job scheduler '{}' could not withdraw it: {}", id, scheduler, e.toString());
            }
        }
        AUDIT.info("job {} cancel requested", id);
        return get(id);
    }

    @Override
    public Optional<Path> result(String id, String name) {
        synchronized (lock) {
            JobRecord r = lookup(id);
            if (r == null || r.state != JobState.SUCCEEDED || !r.results.contains(name)) return Optional.empty();
        }
        Path dir = folder.resolve(id).resolve("results").normalize();
        Path file = dir.resolve(name).normalize();
        if (!file.startsWith(dir) || !Files.isRegularFile(file)) return Optional.empty();
        return Optional.of(file);
    }

    private void work() {
        int nice = config.worker_nice();
        if (nice > 0) {
            java.util.OptionalInt applied = WorkerPriority.lowerCurrentThread(nice);
            if (niceLogged.compareAndSet(false, true)) {
                if (applied.isPresent()) {
                    LOG.info("job workers run at nice {} (worker.nice {}): rendering yields the CPU to request serving",
                            applied.getAsInt(), nice);
                } else {
                    LOG.debug("job workers keep the server's scheduling priority: worker.nice {} is not supported here", nice);
                }
            }
        }
        while (true) {
            JobRecord r;
            CancelFlag flag;
            synchronized (lock) {
                while (running && queue.isEmpty()) {
                    try {
                        lock.wait(1000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                if (!running) return;
                r = queue.poll();
                r.state = JobState.RUNNING;
                r.started = clock.instant();
                r.attempts++;
                r.stage = Stage.PLAN.id();
                r.stageProgress = 0;
                r.progress = 0;
                r.error = null;
                announce(r, JobState.QUEUED, null);
                persistQuietly(r);
                flag = new CancelFlag(Cancellation.NEVER, null);
                cancellers.put(r.id, flag);
            }
            execute(r, flag, JobRunner.Listener.NONE);
        }
    }

    @Override
    public JobInfo run(String jobId, Cancellation stop, JobRunner.Listener listener) {
        if (jobId == null || !ID.matcher(jobId).matches()) throw new IllegalArgumentException("no job " + jobId);
        JobRecord r;
        CancelFlag flag;
        synchronized (lock) {
            if (!running) throw new IllegalStateException("the job service is stopping; job " + jobId + " must run again later");
            r = lookup(jobId);
            if (r == null) throw new IllegalArgumentException("no job " + jobId + " in " + folder);
            if (r.state.isFinal()) return r.info();
            if (r.scheduler == null) {
                LOG.warn("job {} was delivered by a host scheduler but belongs to Kinora's own queue; not run by the host", jobId);
                return r.info();
            }
            if (cancellers.containsKey(jobId)) {
                throw new IllegalStateException("job " + jobId + " is already running on this instance");
            }
            Path marker = folder.resolve(jobId).resolve(CANCEL_MARKER);
            if (Files.exists(marker)) {
                finish(r, JobState.CANCELLED, "cancelled before it started");
                return r.info();
            }
            if (r.state == JobState.RUNNING && r.attempts >= config.max_attempts()) {
                // an earlier delivery never finished: its instance stopped or was killed while it ran
                finish(r, JobState.FAILED, "interrupted by a restart " + r.attempts
                        + " times (the instance stopped or was killed while it ran); giving up");
                return r.info();
            }
            JobState before = r.state;
            r.state = JobState.RUNNING;
            r.started = clock.instant();
            r.attempts++;
            r.stage = Stage.PLAN.id();
            r.stageProgress = 0;
            r.progress = 0;
            r.etaSeconds = null;
            r.error = null;
            announce(r, before, null);
            persistQuietly(r);
            flag = new CancelFlag(stop == null ? Cancellation.NEVER : stop, marker);
            cancellers.put(jobId, flag);
        }
        AUDIT.info("job {} started by host scheduler '{}' (attempt {})", jobId, r.scheduler, r.attempts);
        execute(r, flag, listener == null ? JobRunner.Listener.NONE : listener);
        synchronized (lock) {
            return r.info();
        }
    }

    /** Runs a job marked RUNNING (its flag registered in {@link #cancellers}) to its end, in the caller's thread. */
    private void execute(JobRecord r, CancelFlag cancel, JobRunner.Listener listener) {
        Path dir = folder.resolve(r.id);
        Path results = dir.resolve("results");
        Instant start;
        synchronized (lock) {
            start = r.started == null ? clock.instant() : r.started; // set with RUNNING
        }
        try {
            deleteTree(results);
            Files.createDirectories(results);
            SceneSpec scene = reader.read(Files.readAllBytes(dir.resolve("scene.json")), r.id + "/scene.json");
            GenerationResult result = generation.generate(
                    new GenerationRequest(scene, dir.resolve(r.imageName), results.resolve("clip.mp4"), r.id),
                    (stage, fraction, message) -> {
                        listener.progress(progress(r, stage, fraction, start));
                    }, cancel);
            List<String> names;
            try (Stream<Path> files = Files.list(results)) {
                names = files.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith("."))
                        .sorted(Comparator.comparing((String n) -> !n.equals(result.outputs().get(0).getFileName().toString()))
                                .thenComparing(n -> n))
                        .collect(Collectors.toList());
            }
            synchronized (lock) {
                r.results = new ArrayList<>(names);
                r.progress = 1;
                r.stageProgress = 1;
                r.etaSeconds = 0.0;
                finish(r, JobState.SUCCEEDED, null);
            }
        } catch (Cancellation.CancelledException e) {
            // cancelled by a user (here or, through the marker, on another instance): final; stopped by a shutdown or by
            // the host taking the job back: unfinished, to run again (the next start here, or the host's re-delivery)
            boolean cancelled = cancel.cancelledByUser();
            synchronized (lock) {
                finish(r, cancelled ? JobState.CANCELLED : JobState.QUEUED, cancelled ? "cancelled while " + r.stage : null);
            }
        } catch (GenerationException e) {
            boolean interrupted = !running || frameworkStopping.getAsBoolean();
            if (interrupted) LOG.info("job {} interrupted by the shutdown ({}); it runs again at the next start", r.id, e.getMessage());
            synchronized (lock) {
                if (interrupted) finish(r, JobState.QUEUED, null);
                else finish(r, JobState.FAILED, e.getMessage());
            }
        } catch (SceneSpecException | IOException | RuntimeException e) {
            LOG.error("job {} failed", r.id, e);
            synchronized (lock) {
                finish(r, JobState.FAILED, "internal error: " + e);
            }
        } finally {
            cancellers.remove(r.id);
        }
    }

    /** Called with the lock held. A job interrupted by shutdown goes back to QUEUED, to run again at the next start. */
    private void finish(JobRecord r, JobState state, String error) {
        JobState before = r.state;
        r.state = state;
        r.error = error;
        r.finished = state.isFinal() ? clock.instant() : null;
        if (state == JobState.QUEUED) r.attempts = Math.max(0, r.attempts - 1);
        persistQuietly(r);
        AUDIT.info("job {} {}{}", r.id, state, error == null ? "" : ": " + error);
        announce(r, before, null);
    }

    /** With the service's clock (also for the elapsed time, so a test's clock decides the ETA). */
    private JobInfo progress(JobRecord r, Stage stage, double fraction, Instant start) {
        double done = 0;
        for (Stage s : Stage.values()) if (s.ordinal() < stage.ordinal()) done += WEIGHT.get(s);
        done += WEIGHT.get(stage) * Math.max(0, Math.min(1, fraction));
        double elapsed = Math.max(0, Duration.between(start, clock.instant()).toNanos() / 1e9);
        synchronized (lock) {
            r.stage = stage.id();
            r.stageProgress = fraction;
            r.progress = done;
            // the first seconds say little about the rest (model warm-up, voices); estimate once a tenth is done
            r.etaSeconds = done >= 0.1 ? elapsed * (1 - done) / done : null;
            return changed(r);
        }
    }

    private void recover() throws IOException {
        List<JobRecord> found = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(folder)) {
            for (Path dir : (Iterable<Path>) dirs.filter(Files::isDirectory)::iterator) {
                Path file = dir.resolve("job.json");
                if (!Files.isRegularFile(file)) {
                    LOG.warn("ignoring {}: no job.json (an interrupted submission)", dir);
                    continue;
                }
                try {
                    found.add(read(file));
                } catch (IOException | RuntimeException e) {
                    LOG.error("job {} cannot be read and is skipped: {}", dir.getFileName(), e.getMessage());
                }
            }
        }
        found.sort(Comparator.comparing((JobRecord r) -> r.submitted).thenComparing(r -> r.id));
        int held = 0;
        List<JobRecord> recovered = new ArrayList<>();
        for (JobRecord r : found) {
            r.sequence = sequence++;
            jobs.put(r.id, r);
            if (r.scheduler != null && !r.state.isFinal()) {
                if (!mode().equals("local")) {
                    // the host persists its jobs and delivers them again (possibly to another instance): never queue here too
                    held++;
                    continue;
                }
                LOG.info("job {} was handed to the host scheduler '{}', but the configured scheduler is 'local': it runs here",
                        r.id, r.scheduler);
                r.scheduler = null;
                persist(r);
            }
            if (r.state == JobState.RUNNING) {
                recovered.add(r);
                if (r.attempts >= config.max_attempts()) {
                    r.state = JobState.FAILED;
                    r.finished = clock.instant();
                    r.error = "interrupted by a restart " + r.attempts + " times (the node stopped or was killed while it ran); giving up";
                } else {
                    r.state = JobState.QUEUED;
                    r.error = null;
                    LOG.info("job {} was running when the node stopped; it runs again (attempt {})", r.id, r.attempts + 1);
                }
                persist(r);
            }
            if (r.state == JobState.QUEUED) {
                r.stage = null;
                r.progress = 0;
                r.stageProgress = 0;
                r.etaSeconds = null;
                queue.add(r);
            }
        }
        jobs.values().forEach(this::changed);
        for (JobRecord r : recovered) {
            publish(r.info(), JobState.RUNNING, "recovered after a restart: the node stopped or was killed while the job ran");
        }
        if (held > 0) LOG.info("{} unfinished job(s) are held by a host scheduler, which delivers them again", held);
    }

    /**
     * A job by id, with the lock held: a host job this instance does not run is read again from its {@code job.json}
     * (another instance may be running it), and a host job another instance took is read from the shared job folder.
     */
    private JobRecord lookup(String id) {
        if (id == null) return null;
        JobRecord r = jobs.get(id);
        if (r != null) {
            refresh(r);
            return r;
        }
        if (!ID.matcher(id).matches()) return null;
        Path file = folder.resolve(id).resolve("job.json");
        if (!Files.isRegularFile(file)) return null;
        try {
            r = read(file);
        } catch (IOException | RuntimeException e) {
            LOG.warn("job {} cannot be read: {}", id, e.getMessage());
            return null;
        }
        if (r.scheduler == null) return null; // another instance's own queue
        r.sequence = sequence++;
        jobs.put(r.id, r);
        changed(r);
        return r;
    }

    /** With the lock held: brings a host job that runs elsewhere up to the state its instance stored. */
    private void refresh(JobRecord r) {
        if (r.scheduler == null || r.state.isFinal() || cancellers.containsKey(r.id)) return;
        Path file = folder.resolve(r.id).resolve("job.json");
        try {
            apply(r, read(file));
        } catch (IOException | RuntimeException e) {
            LOG.debug("job {}: state not refreshed: {}", r.id, e.toString());
        }
    }

    /** With the lock held: takes the state another instance stored for a host job, if it differs. */
    private void apply(JobRecord r, JobRecord d) {
        if (d.state == r.state && d.attempts == r.attempts) return;
        JobState before = r.state;
        r.state = d.state;
        r.attempts = d.attempts;
        r.started = d.started;
        r.finished = d.finished;
        r.error = d.error;
        r.results = d.results;
        r.progress = d.progress;
        r.stage = null;
        r.stageProgress = 0;
        r.etaSeconds = null;
        // a change another instance made (and stored in the shared folder): announced here once this instance sees it
        if (before != d.state) announce(r, before, "seen in the shared job folder (the host scheduler '" + r.scheduler + "' runs it)");
        else changed(r);
    }

    /** Deletes finished jobs past the retention age, then the oldest finished ones while results exceed the budget. */
    void retain() {
        try {
            Instant cutoff = clock.instant().minus(Duration.ofDays(config.retention_days()));
            List<JobRecord> finished;
            synchronized (lock) {
                finished = jobs.values().stream().filter(r -> r.state.isFinal())
                        .sorted(Comparator.comparing((JobRecord r) -> r.finished == null ? r.submitted : r.finished))
                        .collect(Collectors.toList());
            }
            long budget = config.max_results_mib() * 1024 * 1024;
            long total = 0;
            Map<String, Long> sizes = new HashMap<>();
            for (JobRecord r : finished) {
                long size = size(folder.resolve(r.id));
                sizes.put(r.id, size);
                total += size;
            }
            for (JobRecord r : finished) {
                Instant end = r.finished == null ? r.submitted : r.finished;
                boolean old = end.isBefore(cutoff);
                if (old || total > budget) {
                    String reason = old ? "older than " + config.retention_days() + " days (" + JobQueueConfig.PID + " retention.days)"
                            : "finished jobs' results over the budget of " + config.max_results_mib() + " MiB (" + JobQueueConfig.PID + " max.results.mib)";
                    JobInfo last;
                    synchronized (lock) {
                        jobs.remove(r.id);
                        last = published.remove(r.id);
                    }
                    deleteTree(folder.resolve(r.id));
                    total -= sizes.get(r.id);
                    AUDIT.info("job {} deleted by retention ({})", r.id, reason);
                    if (last != null) {
                        Map<String, Object> props = properties(last, null, reason);
                        post(new Event(TOPIC_DELETED, props));
                    }
                }
            }
        } catch (RuntimeException e) {
            LOG.error("retention failed", e);
        }
    }

    private JobInfo snapshot(JobRecord r) {
        synchronized (lock) {
            return r.info();
        }
    }

    /**
     * Posts the state change a snapshot shows, under {@link #TOPIC_PREFIX} + its state. Called with the lock held where
     * the change is made, so each job's events are posted in the order of its changes ({@code postEvent} only queues).
     */
    private void publish(JobInfo info, JobState previous, String reason) {
        post(event(info, previous, reason));
    }

    private Event event(JobInfo info, JobState previous, String reason) {
        return new Event(TOPIC_PREFIX + info.state().name(), properties(info, previous, reason));
    }

    private static Map<String, Object> properties(JobInfo info, JobState previous, String reason) {
        Map<String, Object> props = new HashMap<>();
        props.put(PROP_JOB_ID, info.id());
        props.put(PROP_OWNER, info.owner());
        props.put(PROP_STATE, info.state().name());
        props.put(PROP_SCHEDULER, info.scheduler());
        if (previous != null) props.put(PROP_PREVIOUS_STATE, previous.name());
        if (info.error() != null) props.put(PROP_ERROR, info.error());
        if (reason != null) props.put(PROP_REASON, reason);
        return props;
    }

    private void post(Event e) {
        EventAdmin ea = events;
        if (ea == null) {
            synchronized (pendingEvents) {
                ea = events;
                if (ea == null) {
                    if (!eventsEverBound && pendingEvents.size() < MAX_PENDING_EVENTS) pendingEvents.add(e);
                    return;
                }
            }
        }
        post(ea, e);
    }

    private static void post(EventAdmin ea, Event e) {
        try {
            ea.postEvent(e);
        } catch (RuntimeException x) {
            LOG.warn("could not publish {} of job {}: {}", e.getTopic(), e.getProperty(PROP_JOB_ID), x.getMessage());
        }
    }

    private String newId() {
        byte[] b = new byte[5];
        random.nextBytes(b);
        return "job-" + ID_DATE.format(clock.instant()) + "-" + HexFormat.of().formatHex(b);
    }

    private void persistQuietly(JobRecord r) {
        try {
            persist(r);
        } catch (IOException e) {
            LOG.error("job {}: state {} could not be stored: {}", r.id, r.state, e.getMessage());
        }
    }

    private void persist(JobRecord r) throws IOException {
        ObjectNode o = json.createObjectNode();
        o.put("id", r.id).put("owner", r.owner).put("state", r.state.name()).put("priority", r.priority)
                .put("submitted", r.submitted.toString()).put("image", r.imageName).put("attempts", r.attempts);
        if (r.started != null) o.put("started", r.started.toString());
        if (r.finished != null) o.put("finished", r.finished.toString());
        if (r.error != null) o.put("error", r.error);
        if (r.scheduler != null) o.put("scheduler", r.scheduler);
        ArrayNode results = o.putArray("results");
        r.results.forEach(results::add);
        writeAtomically(folder.resolve(r.id).resolve("job.json"), json.writerWithDefaultPrettyPrinter().writeValueAsBytes(o));
    }

    private JobRecord read(Path file) throws IOException {
        JsonNode o = json.readTree(file.toFile());
        JobRecord r = new JobRecord();
        r.id = o.path("id").asText();
        if (!r.id.equals(file.getParent().getFileName().toString())) throw new IOException("id does not match its folder");
        r.owner = o.path("owner").asText("anonymous");
        r.state = JobState.valueOf(o.path("state").asText());
        r.priority = o.path("priority").asInt();
        r.submitted = Instant.parse(o.path("submitted").asText());
        r.imageName = o.path("image").asText();
        r.attempts = o.path("attempts").asInt();
        if (o.hasNonNull("started")) r.started = Instant.parse(o.get("started").asText());
        if (o.hasNonNull("finished")) r.finished = Instant.parse(o.get("finished").asText());
        if (o.hasNonNull("error")) r.error = o.get("error").asText();
        if (o.hasNonNull("scheduler")) r.scheduler = o.get("scheduler").asText();
        for (JsonNode n : o.path("results")) r.results.add(n.asText());
        if (r.state == JobState.SUCCEEDED) r.progress = 1;
        return r;
    }

    static void writeAtomically(Path target, byte[] bytes) throws IOException {
        Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
        Files.write(tmp, bytes);
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static String extension(String name) {
        if (name == null) return "";
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    private static long size(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    return 0;
                }
            }).sum();
        } catch (IOException e) {
            return 0;
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) return;
        try (Stream<Path> s = Files.walk(root)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    LOG.warn("could not delete {}: {}", p, e.getMessage());
                }
            });
        } catch (IOException e) {
            LOG.warn("could not delete {}: {}", root, e.getMessage());
        }
    }

    /** Follows the host's job schedulers: {@link #get()} is the highest ranked one, or null. */
    private static final class SchedulerTracker extends ServiceTracker<JobScheduler, JobScheduler> implements Supplier<JobScheduler> {
        SchedulerTracker(BundleContext context) {
            super(context, JobScheduler.class, null);
        }

        @Override
        public JobScheduler addingService(ServiceReference<JobScheduler> reference) {
            JobScheduler s = super.addingService(reference);
            if (s != null) LOG.info("host job scheduler '{}' available", s.name());
            return s;
        }

        @Override
        public void removedService(ServiceReference<JobScheduler> reference, JobScheduler service) {
            LOG.info("host job scheduler '{}' gone", service.name());
            super.removedService(reference, service);
        }

        @Override
        public JobScheduler get() { return getService(); }
    }

    /**
     * Why a running job should stop: a user cancelled it (here, or through the marker file on any instance), this service
     * is shutting down, or the host asked it to stop ({@code outside}, e.g. Sling's {@code isStopped()}).
     */
    private static final class CancelFlag implements Cancellation {
        private final Cancellation outside;
        private final Path marker;
        private volatile boolean user;
        private volatile boolean shutdown;
        private volatile long markerCheckedNanos = System.nanoTime();

        CancelFlag(Cancellation outside, Path marker) {
            this.outside = outside;
            this.marker = marker;
        }

        void cancel() { user = true; }

        void shutdown() { shutdown = true; }

        boolean cancelledByUser() {
            if (!user && marker != null && Files.exists(marker)) user = true;
            return user;
        }

        @Override
        public boolean isCancelled() {
            if (user || shutdown) return true;
            if (marker != null && System.nanoTime() - markerCheckedNanos > 500_000_000L) {
                markerCheckedNanos = System.nanoTime();
                if (Files.exists(marker)) user = true;
            }
            return user || outside.isCancelled();
        }
    }
}
