package io.kinora.launcher;

import org.apache.felix.framework.Logger;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.framework.startlevel.FrameworkStartLevel;
import org.osgi.framework.wiring.FrameworkWiring;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Boots Apache Felix with the bundles the feature files list. The framework cache persists between runs; bundles
 * are installed by reference (no copy) and updated when their file changed. The framework first reaches start level
 * 1 (Config Admin, File Install and the other framework services), then the features' default configurations are
 * applied ({@link FeatureConfigurations}: never over an operator's), then it goes on to the requested start level, so
 * Kinora's components start configured. Bundles with a start order above the requested start level are installed but
 * not started (the web console and HTTP stay off for headless commands).
 */
public final class KinoraFramework implements AutoCloseable {
    /** Start order of the core: framework services, engine, Kinora bundles and models. */
    public static final int HEADLESS_LEVEL = 10;
    /** Start order of HTTP and the Web Console. */
    public static final int SERVER_LEVEL = 20;
    /** The framework services (Config Admin first): the level at which the features' configurations are applied. */
    public static final int BOOT_LEVEL = 1;

    private final Framework framework;
    private final List<String> problems = new ArrayList<>();
    private final List<String> configurations = new ArrayList<>();
    private final Path tempCache;

    private KinoraFramework(Framework framework, Path tempCache) {
        this.framework = framework;
        this.tempCache = tempCache;
    }

    /** Options of one boot. */
    public record Options(Path home, Path work, int startLevel, String cacheName, Map<String, String> extraProperties) {
    }

    public static KinoraFramework start(Options o) throws BundleException, IOException, InterruptedException {
        Path home = o.home().toAbsolutePath().normalize();
        Path work = o.work().toAbsolutePath().normalize();
        Files.createDirectories(work.resolve("logs"));
        List<Feature> features = Feature.readAll(home.resolve("lib/features"));
        Map<String, String> featureProps = Feature.frameworkProperties(features);
        Path cache = work.resolve(o.cacheName());
        Path temp = null;
        Framework fw;
        try {
            fw = create(o, home, work, cache, featureProps);
        } catch (BundleException e) {
            // another Kinora process holds this cache (e.g. a server is running): use a private one for this run
            temp = Files.createTempDirectory(work, o.cacheName() + "-");
            fw = create(o, home, work, temp, featureProps);
        }
        KinoraFramework k = new KinoraFramework(fw, temp);
        try {
            k.install(home, features);
            CountDownLatch started = new CountDownLatch(1);
            BundleContext ctx = fw.getBundleContext();
            ctx.addFrameworkListener(e -> {
                if (e.getType() == FrameworkEvent.STARTED) started.countDown();
                if (e.getType() == FrameworkEvent.ERROR) k.problem(e.getBundle(), e.getThrowable());
            });
            fw.start();
            if (!started.await(120, TimeUnit.SECONDS)) {
                k.problems.add("the framework did not reach start level " + BOOT_LEVEL + " within 120 s");
            }
            k.configurations.addAll(FeatureConfigurations.apply(ctx, features, home.resolve("conf")));
            FileLogger log = new FileLogger(work.resolve("logs/framework.log"));
            for (String line : k.configurations) log.doLogOut(Logger.LOG_INFO, "configuration " + line, null);
            if (o.startLevel() > BOOT_LEVEL) {
                CountDownLatch raised = new CountDownLatch(1);
                fw.adapt(FrameworkStartLevel.class).setStartLevel(o.startLevel(), e -> raised.countDown());
                if (!raised.await(120, TimeUnit.SECONDS)) {
                    k.problems.add("the framework did not reach start level " + o.startLevel() + " within 120 s");
                }
            }
            k.checkBundles(o.startLevel());
            return k;
        } catch (BundleException | IOException | InterruptedException | RuntimeException e) {
            k.close();
            throw e;
        }
    }

    private static Framework create(Options o, Path home, Path work, Path cache, Map<String, String> featureProps) throws BundleException {
        Map<String, Object> cfg = new HashMap<>();
        cfg.put(Constants.FRAMEWORK_STORAGE, cache.toString());
        cfg.put(Constants.FRAMEWORK_BEGINNING_STARTLEVEL, Integer.toString(Math.min(BOOT_LEVEL, o.startLevel())));
        cfg.put("felix.startlevel.bundle", Integer.toString(HEADLESS_LEVEL));
        cfg.put("felix.cache.locking", "true");
        cfg.put("felix.log.logger", new FileLogger(work.resolve("logs/framework.log")));
        cfg.put("felix.log.level", "2");
        cfg.put("kinora.home", home.toString());
        cfg.put("kinora.work", work.toString());
        // File Install: configurations and bundles dropped into conf/ (models/ is watched through a config in conf/)
        cfg.put("felix.fileinstall.dir", home.resolve("conf").toString());
        cfg.put("felix.fileinstall.noInitialDelay", "true");
        cfg.put("felix.fileinstall.poll", "2000");
        cfg.put("felix.fileinstall.log.level", "2");
        cfg.put("felix.fileinstall.bundles.startTransient", "false");
        cfg.put("felix.fileinstall.filter", ".*\\.(cfg|config|jar)");
        cfg.putAll(featureProps);
        cfg.putAll(o.extraProperties());
        FrameworkFactory factory = ServiceLoader.load(FrameworkFactory.class).iterator().next();
        // Felix accepts object values (its logger) in the same map
        @SuppressWarnings({"unchecked", "rawtypes"})
        Map<String, String> all = (Map) new HashMap<String, Object>(cfg);
        Framework fw = factory.newFramework(all);
        fw.init();
        return fw;
    }

    private void install(Path home, List<Feature> features) throws BundleException, IOException {
        BundleContext ctx = framework.getBundleContext();
        Path bundlesDir = home.resolve("bundles");
        Path stateFile = Path.of(ctx.getProperty(Constants.FRAMEWORK_STORAGE), "kinora-bundles.properties");
        Properties state = new Properties();
        if (Files.exists(stateFile)) {
            try (InputStream in = Files.newInputStream(stateFile)) {
                state.load(in);
            }
        }
        Properties newState = new Properties();
        Set<String> wanted = new HashSet<>();
        List<Bundle> toStart = new ArrayList<>();
        boolean changed = false;
        for (Feature f : features) {
            for (Feature.BundleRef ref : f.bundles()) {
                Path file = bundlesDir.resolve(ref.fileName());
                if (!Files.isRegularFile(file)) {
                    throw new IOException("feature " + f.id() + " lists " + ref.coordinates() + " but " + file + " is missing");
                }
                String location = "reference:" + file.toUri();
                wanted.add(location);
                String stamp = Files.size(file) + ":" + Files.getLastModifiedTime(file).toMillis();
                newState.setProperty(location, stamp);
                Bundle b = ctx.getBundle(location);
                if (b == null) {
                    b = ctx.installBundle(location);
                    changed = true;
                } else if (!stamp.equals(state.getProperty(location))) {
                    b.update();
                    changed = true;
                }
                b.adapt(BundleStartLevel.class).setStartLevel(ref.startOrder());
                if (b.getHeaders().get(Constants.FRAGMENT_HOST) == null) toStart.add(b);
            }
        }
        // bundles installed from the feature folder earlier but no longer listed
        List<Bundle> removed = new ArrayList<>();
        for (Bundle b : ctx.getBundles()) {
            String loc = b.getLocation();
            if (loc.startsWith("reference:" + bundlesDir.toUri()) && !wanted.contains(loc)) {
                b.uninstall();
                removed.add(b);
                changed = true;
            }
        }
        if (changed) framework.adapt(FrameworkWiring.class).refreshBundles(null);
        for (Bundle b : toStart) b.start(Bundle.START_ACTIVATION_POLICY);
        try (OutputStream out = Files.newOutputStream(stateFile)) {
            newState.store(out, "Kinora feature bundles installed in this cache (size:mtime)");
        }
    }

    private void checkBundles(int level) {
        for (Bundle b : framework.getBundleContext().getBundles()) {
            if (b.getBundleId() == 0 || b.getHeaders().get(Constants.FRAGMENT_HOST) != null) continue;
            int bl = b.adapt(BundleStartLevel.class).getStartLevel();
            if (bl <= level && b.getState() != Bundle.ACTIVE && b.getState() != Bundle.STARTING) {
                String why = b.getState() == Bundle.INSTALLED ? "it does not resolve" : "it is not active";
                try {
                    b.start();
                } catch (BundleException e) {
                    why = e.getMessage();
                }
                if (b.getState() != Bundle.ACTIVE) problems.add(b.getSymbolicName() + " " + b.getVersion() + ": " + why);
            }
        }
    }

    private void problem(Bundle b, Throwable t) {
        problems.add((b == null ? "framework" : b.getSymbolicName()) + ": " + (t == null ? "error" : t.getMessage()));
    }

    /** What happened to each default configuration of the features at this start (one line per PID). */
    public List<String> configurations() { return List.copyOf(configurations); }

    /** Bundles that should be active but are not, each with the reason. */
    public List<String> problems() { return List.copyOf(problems); }

    public Framework framework() { return framework; }

    public BundleContext context() { return framework.getBundleContext(); }

    public int startLevel() { return framework.adapt(FrameworkStartLevel.class).getStartLevel(); }

    @Override
    public void close() {
        try {
            framework.stop();
            framework.waitForStop(30_000);
        } catch (BundleException | InterruptedException e) {
            if (e instanceof InterruptedException) Thread.currentThread().interrupt();
        } finally {
            if (tempCache != null) deleteTree(tempCache);
        }
    }

    static void deleteTree(Path root) {
        try (var s = Files.walk(root)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException ignored) {
            // best effort: a temporary cache left behind is only disk space
        }
    }

    /** Felix's own messages go to work/logs/framework.log, not to the user's terminal. */
    static final class FileLogger extends Logger {
        private final Path file;

        FileLogger(Path file) { this.file = file; }

        @Override
        protected void doLogOut(int level, String msg, Throwable throwable) {
            StringWriter sw = new StringWriter();
            sw.append(Instant.now().toString()).append(' ')
                    .append(switch (level) { case LOG_ERROR -> "ERROR"; case LOG_WARNING -> "WARN"; case LOG_INFO -> "INFO"; default -> "DEBUG"; })
                    .append(' ').append(msg).append('\n');
            if (throwable != null) throwable.printStackTrace(new PrintWriter(sw));
            try {
                Files.writeString(file, sw.toString(), StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            } catch (IOException ignored) {
                // nowhere else to report it
            }
        }
    }
}
