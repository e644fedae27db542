package io.kinora.compositor.internal;

import io.kinora.api.compositor.CaptionOptions;
import io.kinora.api.compositor.Compositor;
import io.kinora.api.compositor.EncodeRequest;
import io.kinora.api.compositor.EncodeSession;
import io.kinora.api.compositor.Mix;
import io.kinora.api.compositor.MixRequest;
import io.kinora.api.media.AudioBuffer;
import io.kinora.api.media.StageException;
import io.kinora.api.timeline.Timeline;

import java.nio.file.Path;
import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The compositor: mixes a clip's sound ({@link Mixer}) and writes H.264/AAC MP4s ({@link Mp4EncodeSession}) with the
 * FFmpeg embedded in this bundle.
 *
 * <p>Reads the framework property {@value #WORK_PROPERTY}: unless the system property
 * {@code org.bytedeco.javacpp.cachedir} is set, FFmpeg's native libraries are extracted under
 * {@code <kinora.work>/javacpp}. The natives load on the first {@link #open(EncodeRequest)}; mixing needs none.
 */
@Component(service = Compositor.class, configurationPid = CompositorImpl.PID)
@Designate(ocd = CompositorImpl.Config.class)
public final class CompositorImpl implements Compositor {
    public static final String PID = "io.kinora.compositor";
    public static final String WORK_PROPERTY = "kinora.work";
    private static final Logger LOG = LoggerFactory.getLogger(CompositorImpl.class);

    @ObjectClassDefinition(id = PID, name = "Kinora compositor",
            description = "Audio mix (dialogue placement, pan, ambience ducking, loudness) and MP4 encoding (H.264 + AAC).")
    public @interface Config {
        @AttributeDefinition(name = "Video encoder",
                description = "FFmpeg H.264 encoder. libopenh264 ships with the embedded LGPL FFmpeg. libx264 needs the GPL"
                        + " FFmpeg natives installed by the operator (GPL terms). A name that is missing or not H.264 fails"
                        + " the job; there is no silent fallback.")
        String videoEncoder() default "libopenh264";

        @AttributeDefinition(name = "Video bit rate (kbit/s)",
                description = "Target video bit rate; 0 = automatic, 0.12 bit per pixel per frame (about 2.7 Mbit/s at"
                        + " 720p24, 6 Mbit/s at 1080p24).", min = "0", max = "200000")
        int videoBitrateKbps() default 0;

        @AttributeDefinition(name = "Audio bit rate (kbit/s)", description = "AAC-LC bit rate for the stereo 48 kHz track.",
                min = "32", max = "512")
        int audioBitrateKbps() default 192;

        @AttributeDefinition(name = "Key-frame interval (s)", description = "Seconds between key frames (GOP length).")
        double keyframeIntervalSeconds() default 2.0;

        @AttributeDefinition(name = "Encoder options",
                description = "Extra encoder options as key=value, for example preset=veryfast for libx264.")
        String[] encoderOptions() default {};

        @AttributeDefinition(name = "Ambience duck depth (dB)",
                description = "How far the ambience bed is lowered under speech.", min = "0", max = "60")
        double duckDepthDb() default 12.0;

        @AttributeDefinition(name = "Duck attack (ms)",
                description = "Ramp-down time of the duck; it ends at the first word, so the bed is down before speech.")
        double duckAttackMs() default 80.0;

        @AttributeDefinition(name = "Duck release (ms)", description = "Ramp-up time of the duck after the last word.")
        double duckReleaseMs() default 300.0;

        @AttributeDefinition(name = "Ambience level (LU)",
                description = "Loudness of the ambience bed relative to the dialogue, before ducking (negative = quieter).")
        double ambienceLevelLu() default -14.0;

        @AttributeDefinition(name = "True-peak ceiling (dBTP)",
                description = "Maximum true peak (4x over-sampled) of the delivered sound, the MP4's decoded AAC track; the PCM"
                        + " master is limited to this minus the codec headroom.")
        double truePeakCeilingDbtp() default -1.0;

        @AttributeDefinition(name = "Codec headroom (dB)",
                description = "The master is limited this far below the true-peak ceiling, so that the AAC-encoded track,"
                        + " whose decoded peaks overshoot the PCM by a few tenths of a dB, still stays under the ceiling.",
                min = "0", max = "6")
        double codecHeadroomDb() default 1.0;

        @AttributeDefinition(name = "Level lines",
                description = "Bring every spoken line to the same loudness before mixing, so voices from different"
                        + " engines sit at one level.")
        boolean levelLines() default true;

        @AttributeDefinition(name = "Captions track",
                description = "Add a timed-text captions track (mov_text) to every MP4, unless the request says otherwise.")
        boolean captionsTrack() default true;

        @AttributeDefinition(name = "Burn in captions",
                description = "Draw the captions into the picture (bottom safe area), unless the request says otherwise.")
        boolean captionsBurnIn() default false;
    }

    private final Mixer mixer;
    private final EncoderSettings encoding;
    private final CaptionOptions captionDefaults;

    @Activate
    public CompositorImpl(BundleContext context, Config config) {
        this(context.getProperty(WORK_PROPERTY), config);
    }

    CompositorImpl(String kinoraWork, Config config) {
        try {
            this.encoding = new EncoderSettings(config.videoEncoder(), config.videoBitrateKbps(), config.audioBitrateKbps(),
                    config.keyframeIntervalSeconds(), EncoderSettings.parseOptions(config.encoderOptions()));
            this.mixer = new Mixer(new MixSettings(config.duckDepthDb(), config.duckAttackMs(), config.duckReleaseMs(),
                    config.ambienceLevelLu(), config.truePeakCeilingDbtp() - config.codecHeadroomDb(), config.levelLines()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid configuration " + PID + ": " + e.getMessage(), e);
        }
        this.captionDefaults = new CaptionOptions(config.captionsTrack(), config.captionsBurnIn(), null, Map.of());
        FfmpegRuntime.configureCacheDir(kinoraWork);
        LOG.info("compositor ready: encoder {}, audio {} kbit/s", encoding.videoEncoder(), encoding.audioBitrateKbps());
    }

    @Override
    public Mix mix(MixRequest request) {
        return mixer.mix(request);
    }

    @Override
    public EncodeSession open(EncodeRequest request) {
        return Mp4EncodeSession.open(request, encoding, captionDefaults);
    }

    @Override
    public Path writeWav(AudioBuffer audio, Path file) {
        return WavWriter.write(audio, file);
    }

    @Override
    public String webVtt(Timeline timeline, Map<String, String> speakerNames) {
        if (timeline == null) throw new StageException("captions: no timeline");
        return Captions.webVtt(Captions.cues(timeline, speakerNames));
    }
}
