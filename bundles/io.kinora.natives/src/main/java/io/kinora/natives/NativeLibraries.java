package io.kinora.natives;

import java.nio.file.Path;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.kinora.api.media.StageException;

/**
 * Native libraries a bundle embeds through javacpp (FFmpeg, OpenCV), loaded once per class loader, that is per
 * installed revision of the bundle that holds this object.
 *
 * <p>javacpp extracts the libraries to {@value #CACHEDIR_PROPERTY}; when that system property is not set,
 * {@link #configureCacheDir} sets it to {@code <kinora.work>/javacpp} before the first javacpp use, so nothing lands
 * in the user's home. While the libraries load, the thread context class loader is the loader of the class that
 * loads them. A failure is remembered: later calls fail at once with the same message, naming the platform.
 */
public final class NativeLibraries {
    /** The framework property naming Kinora's work folder. */
    public static final String WORK_PROPERTY = "kinora.work";
    /** javacpp's cache folder for extracted native libraries. */
    public static final String CACHEDIR_PROPERTY = "org.bytedeco.javacpp.cachedir";
    private static final Logger LOG = LoggerFactory.getLogger(NativeLibraries.class);

    /** Loads the libraries; returns what to log about them (e.g. their version). */
    @FunctionalInterface
    public interface Loading {
        String load() throws Exception;
    }

    private final String what;
    private final String bundle;
    private final Class<?> owner;
    private final Loading loading;
    private boolean loaded;
    private String failure;

    /**
     * @param what    the libraries, for messages ("FFmpeg")
     * @param bundle  the bundle that embeds them, for messages ("io.kinora.compositor")
     * @param owner   a class of that bundle: its loader is the context loader while the libraries load
     * @param loading loads them (e.g. {@code Loader.load(opencv_core.class)})
     */
    public NativeLibraries(String what, String bundle, Class<?> owner, Loading loading) {
        this.what = what;
        this.bundle = bundle;
        this.owner = owner;
        this.loading = loading;
    }

    /** Chooses javacpp's cache folder under the work folder unless the system property is already set. */
    public static synchronized void configureCacheDir(String kinoraWork) {
        if (System.getProperty(CACHEDIR_PROPERTY) != null || kinoraWork == null || kinoraWork.isBlank()) return;
        String dir = Path.of(kinoraWork, "javacpp").toAbsolutePath().toString();
        System.setProperty(CACHEDIR_PROPERTY, dir);
        LOG.info("javacpp native cache: {}", dir);
    }

    /** Loads the libraries the first time; throws a {@link StageException} naming the platform when they cannot load. */
    public synchronized void ensureLoaded() {
        if (loaded) return;
        if (failure != null) throw new StageException(failure);
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(owner.getClassLoader());
        long t0 = System.nanoTime();
        try {
            String about = loading.load();
            loaded = true;
            LOG.info("{} loaded for {} in {} ms ({}; cache {})", what, bundle, (System.nanoTime() - t0) / 1_000_000, about,
                    System.getProperty(CACHEDIR_PROPERTY, "~/.javacpp/cache"));
        } catch (Exception | LinkageError e) {
            failure = "the " + what + " libraries embedded in " + bundle + " cannot be loaded on this machine ("
                    + System.getProperty("os.name") + " " + System.getProperty("os.arch") + "; linux-x86_64 is supported): " + e;
            LOG.error(what + " native loading failed", e);
            throw new StageException(failure);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
