package io.kinora.compositor.internal;

import io.kinora.api.media.StageException;
import io.kinora.natives.NativeLibraries;

import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FFmpegFrameRecorder;

import java.util.ArrayList;
import java.util.List;

/**
 * The embedded FFmpeg natives, loaded once per installed revision of this bundle into javacpp's cache under
 * {@code <kinora.work>/javacpp} (see {@link NativeLibraries}), and the H.264 encoders this FFmpeg build has.
 */
final class FfmpegRuntime {
    static final String CACHEDIR_PROPERTY = NativeLibraries.CACHEDIR_PROPERTY;
    private static final NativeLibraries NATIVES = new NativeLibraries("FFmpeg", "io.kinora.compositor", FfmpegRuntime.class, () -> {
        FFmpegFrameRecorder.tryLoad();
        FFmpegFrameGrabber.tryLoad();
        avutil.av_log_set_level(avutil.AV_LOG_ERROR);
        return "FFmpeg " + avutil.av_version_info().getString();
    });

    private FfmpegRuntime() {
    }

    /** Chooses the javacpp cache directory from the kinora work folder unless the system property is already set. */
    static void configureCacheDir(String kinoraWork) {
        NativeLibraries.configureCacheDir(kinoraWork);
    }

    static void ensureLoaded() {
        NATIVES.ensureLoaded();
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
