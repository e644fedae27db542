package io.kinora.compositor.internal;

import io.kinora.api.media.StageException;

import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Loads the embedded FFmpeg natives once per class loader (i.e. per installed revision of this bundle).
 *
 * <p>javacpp extracts the native libraries to {@code org.bytedeco.javacpp.cachedir}; when that system property is
 * not set, it is set to {@code <kinora.work>/javacpp} before the first javacpp use so nothing lands in the user's
 * home. The thread context class loader is this bundle's loader while the natives load.
 */
final class FfmpegRuntime {
    static final String CACHEDIR_PROPERTY = "org.bytedeco.javacpp.cachedir";
    private static final Logger LOG = LoggerFactory.getLogger(FfmpegRuntime.class);

    private static boolean loaded;
    private static String failure;

    private FfmpegRuntime() {
    }

    /** Chooses the javacpp cache directory from the kinora work folder unless the system property is already set. */
    static synchronized void configureCacheDir(String kinoraWork) {
        if (System.getProperty(CACHEDIR_PROPERTY) != null || kinoraWork == null || kinoraWork.isBlank()) return;
        String dir = Path.of(kinoraWork, "javacpp").toAbsolutePath().toString();
        System.setProperty(CACHEDIR_PROPERTY, dir);
        LOG.info("javacpp native cache: {}", dir);
    }

    static synchronized void ensureLoaded() {
        if (loaded) return;
        if (failure != null) throw new StageException(failure);
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(FfmpegRuntime.class.getClassLoader());
        long t0 = System.nanoTime();
        try {
            FFmpegFrameRecorder.tryLoad();
            FFmpegFrameGrabber.tryLoad();
            avutil.av_log_set_level(avutil.AV_LOG_ERROR);
            loaded = true;
            LOG.info("FFmpeg {} loaded in {} ms ({})", avutil.av_version_info().getString(),
                    (System.nanoTime() - t0) / 1_000_000, System.getProperty(CACHEDIR_PROPERTY, "~/.javacpp/cache"));
        } catch (Exception | LinkageError e) {
            failure = "the FFmpeg libraries embedded in io.kinora.compositor cannot be loaded on this machine ("
                    + System.getProperty("os.name") + " " + System.getProperty("os.arch")
                    + "; linux-x86_64 is supported): " + e;
            LOG.error("FFmpeg native loading failed", e);
            throw new StageException(failure);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /**
     * The H.264 encoder to use: the configured name (default libopenh264). Fails when it does not exist in this
     * build or does not produce H.264 -- never falls back to another codec.
     */
    static String h264Encoder(String configured) {
        ensureLoaded();
        String name = configured == null || configured.isBlank() ? "libopenh264" : configured.trim();
        AVCodec codec = avcodec.avcodec_find_encoder_by_name(name);
        if (codec == null || codec.isNull()) {
            throw new StageException("video encoder '" + name + "' is not available in this FFmpeg build; H.264 encoders"
                    + " present: " + h264Encoders() + " (libx264 needs the GPL FFmpeg natives, see the compositor README)");
        }
        if (codec.id() != avcodec.AV_CODEC_ID_H264) {
            throw new StageException("video encoder '" + name + "' does not produce H.264 (it encodes "
                    + avcodec.avcodec_get_name(codec.id()).getString() + "); configure an H.264 encoder");
        }
        return name;
    }

    static List<String> h264Encoders() {
        ensureLoaded();
        List<String> names = new ArrayList<>();
        try (PointerPointer<Pointer> opaque = new PointerPointer<>(1)) {
            opaque.put(0, (Pointer) null); // the iteration state (void*), starts at NULL
            AVCodec c;
            while ((c = avcodec.av_codec_iterate(opaque)) != null && !c.isNull()) {
                if (avcodec.av_codec_is_encoder(c) != 0 && c.id() == avcodec.AV_CODEC_ID_H264) names.add(c.name().getString());
            }
        }
        return names;
    }
}
