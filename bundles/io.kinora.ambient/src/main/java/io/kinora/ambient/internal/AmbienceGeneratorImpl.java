package io.kinora.ambient.internal;

import io.kinora.api.ambient.Ambience;
import io.kinora.api.ambient.AmbienceGenerator;
import io.kinora.api.ambient.AmbienceRequest;
import io.kinora.api.media.AudioBuffer;
import io.kinora.api.media.StageException;
import io.kinora.api.scene.AmbienceSpec;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Procedural stereo ambience beds. Each preset renders a continuous signal from a {@link SplittableRandom}
 * seeded with the request's seed (so the same request gives the same samples); the bed is made loopable by
 * rendering a little past its end and cross-fading that overhang into its start (equal power, so the level
 * holds through the fade), which makes the last sample run on into the first exactly as the signal did when
 * it was rendered; finally a 20 Hz high-pass removes DC and the bed is scaled to its RMS target: the reference
 * level plus the scene's {@code levelDb}.
 */
@Component(service = AmbienceGenerator.class, configurationPid = AmbienceGeneratorImpl.PID)
@Designate(ocd = AmbienceGeneratorImpl.Config.class)
public final class AmbienceGeneratorImpl implements AmbienceGenerator {
    public static final String PID = "io.kinora.ambient";
    static final String AUTO = "auto";
    static final String NONE = "none";
    /** The longest loop cross-fade; shorter beds use a quarter of their length. */
    static final double MAX_CROSSFADE_SECONDS = 1.5;
    /** Above this absolute sample value a soft knee keeps loud beds from clipping. */
    static final double KNEE = 0.9;

    @ObjectClassDefinition(name = "Kinora ambience generator",
            description = "Procedural ambience beds: reference level and limits")
    public @interface Config {
        @AttributeDefinition(name = "Reference level (dBFS RMS)",
                description = "RMS level of a bed whose scene asks for 0 dB; a scene's ambience level is relative to it",
                min = "-80", max = "-6")
        double referenceLevelDbfs() default -30.0;

        @AttributeDefinition(name = "Maximum duration (s)", description = "Longest bed one request may ask for",
                min = "1")
        double maxDurationSeconds() default 600.0;
    }

    private static final Logger LOG = LoggerFactory.getLogger(AmbienceGeneratorImpl.class);

    private final double referenceLevelDbfs;
    private final double maxDurationSeconds;
    private final Map<String, Soundscape> soundscapes = new LinkedHashMap<>();

    @Activate
    public AmbienceGeneratorImpl(Config config) {
        this(config.referenceLevelDbfs(), config.maxDurationSeconds());
    }

    AmbienceGeneratorImpl(double referenceLevelDbfs, double maxDurationSeconds) {
        if (!(referenceLevelDbfs < 0 && referenceLevelDbfs > -120)) {
            throw new IllegalArgumentException("referenceLevelDbfs must be between -120 and 0, was " + referenceLevelDbfs);
        }
        if (!(maxDurationSeconds > 0)) {
            throw new IllegalArgumentException("maxDurationSeconds must be positive, was " + maxDurationSeconds);
        }
        this.referenceLevelDbfs = referenceLevelDbfs;
        this.maxDurationSeconds = maxDurationSeconds;
        for (Soundscape s : List.of(new RoomTone(), new Wind(), new Rain(), new Ocean(), new Stream(), new Forest(),
                new NightInsects(), new Traffic(), new Cafe(), new Fire())) {
            soundscapes.put(s.name(), s);
        }
    }

    @Override
    public List<String> presets() {
        List<String> names = new ArrayList<>(soundscapes.keySet());
        names.add(NONE);
        names.add(AUTO);
        names.sort(null);
        return List.copyOf(names);
    }

    /** The RMS level in dBFS a bed is made at for the given scene level. */
    public double targetLevelDbfs(double levelDb) {
        return referenceLevelDbfs + levelDb;
    }

    @Override
    public Ambience generate(AmbienceRequest request) {
        if (request == null) {
            throw new StageException("no ambience request");
        }
        AmbienceSpec spec = request.spec() == null ? AmbienceSpec.AUTO : request.spec();
        double seconds = request.durationSeconds();
        if (!Double.isFinite(seconds) || seconds <= 0) {
            throw new StageException("ambience duration must be a positive number of seconds, was " + seconds);
        }
        if (seconds > maxDurationSeconds) {
            throw new StageException("ambience of " + seconds + " s is longer than the limit of " + maxDurationSeconds
                    + " s (maxDurationSeconds in configuration " + PID + ")");
        }
        int rate = request.sampleRate();
        if (rate < 8_000 || rate > 192_000) {
            throw new StageException("ambience sample rate must be between 8000 and 192000 Hz, was " + rate);
        }
        double levelDb = spec.levelDb();
        if (!Double.isFinite(levelDb) || levelDb < -60 || levelDb > 12) {
            throw new StageException("ambience level must be between -60 and 12 dB, was " + levelDb);
        }

        String preset;
        String reason;
        if (spec.isAuto()) {
            PresetChooser.Choice choice = PresetChooser.choose(request.prompt(), request.image());
            preset = choice.preset;
            reason = choice.reason;
        } else {
            preset = spec.preset().trim().toLowerCase(Locale.ROOT);
            if (!preset.equals(NONE) && !soundscapes.containsKey(preset)) {
                throw new StageException("unknown ambience preset '" + spec.preset() + "'; presets: "
                        + String.join(", ", presets()));
            }
            reason = preset.equals(NONE) ? "none: the scene asks for no ambience" : preset + ": chosen by the scene";
        }
        int frames = Math.max(1, (int) Math.round(seconds * rate));
        if (preset.equals(NONE)) {
            return new Ambience(NONE, reason, new AudioBuffer(rate, 2, new float[frames * 2]));
        }

        long started = System.nanoTime();
        float[] interleaved = render(soundscapes.get(preset), frames, rate, request.seed(), targetLevelDbfs(levelDb));
        LOG.debug("Ambience {} ({}): {} s at {} Hz in {} ms", preset, reason, seconds, rate,
                (System.nanoTime() - started) / 1_000_000);
        return new Ambience(preset, reason, new AudioBuffer(rate, 2, interleaved));
    }

    static float[] render(Soundscape soundscape, int frames, int rate, long seed, double targetDbfs) {
        int fade = (int) Math.min(Math.round(MAX_CROSSFADE_SECONDS * rate), frames / 4);
        float[] left = new float[frames + fade];
        float[] right = new float[frames + fade];
        soundscape.render(left, right, rate, new SplittableRandom(seed));
        for (float[] channel : new float[][]{left, right}) {
            Dsp.Biquad dc = Dsp.Biquad.highPass(20, 0.707, rate);
            for (int i = 0; i < channel.length; i++) channel[i] = (float) dc.process(channel[i]);
            loop(channel, frames, fade);
        }
        double energy = 0;
        for (int i = 0; i < frames; i++) energy += (double) left[i] * left[i] + (double) right[i] * right[i];
        double rms = Math.sqrt(energy / (2.0 * frames));
        double gain = rms == 0 ? 0 : Math.pow(10, targetDbfs / 20) / rms;
        float[] out = new float[frames * 2];
        for (int i = 0; i < frames; i++) {
            out[2 * i] = (float) soften(left[i] * gain);
            out[2 * i + 1] = (float) soften(right[i] * gain);
        }
        return out;
    }

    /**
     * Folds the overhang {@code [frames, frames + fade)} into the start with an equal-power cross-fade, so that
     * sample {@code frames - 1} is followed, on looping, by what followed it when rendered.
     */
    static void loop(float[] x, int frames, int fade) {
        for (int i = 0; i < fade; i++) {
            double w = (i + 0.5) / fade * Math.PI / 2;
            x[i] = (float) (x[i] * Math.sin(w) + x[frames + i] * Math.cos(w));
        }
    }

    /** Identity below the knee, then a smooth tanh approach to full scale. */
    static double soften(double v) {
        double a = Math.abs(v);
        if (a <= KNEE) return v;
        double over = (a - KNEE) / (1 - KNEE);
        return Math.copySign(KNEE + (1 - KNEE) * Math.tanh(over), v);
    }
}
