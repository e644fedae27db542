package io.kinora.voice.internal.marytts;

import io.kinora.api.media.StageException;
import io.kinora.api.timeline.WordTiming;
import io.kinora.api.voice.Speech;
import io.kinora.api.voice.SpeechRequest;
import io.kinora.api.voice.VoiceEngine;
import io.kinora.api.voice.VoiceInfo;
import io.kinora.voice.internal.LineWords;
import io.kinora.voice.internal.WordGains;
import io.kinora.voice.internal.SpeechTrimmer;
import io.kinora.voice.internal.VocalTract;
import io.kinora.voice.internal.SpeechRequests;
import io.kinora.voice.internal.markup.SpeechMarkup;
import marytts.LocalMaryInterface;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.w3c.dom.Document;

import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import java.io.ByteArrayOutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.stream.Collectors;

/**
 * English speech with the embedded MaryTTS 5.2.1 and its HSMM voice cmu-slt-hsmm (48 kHz): catalogue voices
 * derived by MaryTTS audio effects and SSML prosody; word timings from MaryTTS's own acoustic parameters.
 * MaryTTS starts in a background thread on activation (about 2 s); a line spoken before that waits for it.
 */
@Component(service = VoiceEngine.class, configurationPid = MaryVoiceEngine.PID,
        property = "kinora.voice.engine=" + MaryVoiceEngine.ENGINE_ID)
@Designate(ocd = MaryVoiceEngine.Config.class)
public final class MaryVoiceEngine implements VoiceEngine {
    public static final String ENGINE_ID = "marytts";
    public static final String PID = "io.kinora.voice.marytts";
    static final String MARY_VOICE = "cmu-slt-hsmm";

    @ObjectClassDefinition(name = "Kinora MaryTTS voice engine",
            description = "English text-to-speech with the embedded MaryTTS 5.2.1 HSMM voice cmu-slt-hsmm")
    public @interface Config {
        @AttributeDefinition(name = "Parallel syntheses",
                description = "How many lines MaryTTS may synthesize at the same time. 1 (default) keeps output identical "
                        + "run to run: MaryTTS shares per-voice synthesis state between requests, and parallel requests were "
                        + "measured to change a clip's speech", min = "1", max = "16")
        int maxParallelSyntheses() default 1;
    }

    private static final Logger LOG = LoggerFactory.getLogger(MaryVoiceEngine.class);

    /**
     * MaryTTS's startup registers a JVM shutdown hook (a thread created in the starting thread's group) that
     * calls {@code Mary.shutdown()}: at JVM exit it throws, because MaryTTS is already shut down by
     * {@link #deactivate} or its bundle's class loader is gone. MaryTTS is started in this group, whose handler
     * drops what that hook throws instead of printing a stack trace at every exit; any other thread's failure
     * still goes to the default handler.
     */
    static final ThreadGroup MARY_THREADS = new ThreadGroup("kinora-marytts") {
        @Override
        public void uncaughtException(Thread t, Throwable e) {
            if (!t.getClass().getName().startsWith("marytts.")) {
                super.uncaughtException(t, e);
            }
        }
    };

    private final Map<String, MaryProfile> profiles = new LinkedHashMap<>();
    private final List<VoiceInfo> voices;
    private final Semaphore permits;
    private final CompletableFuture<Double> started;

    @Activate
    public MaryVoiceEngine(Config config) {
        this(config.maxParallelSyntheses());
    }

    public MaryVoiceEngine(int maxParallelSyntheses) {
        for (MaryProfile p : MaryProfile.CATALOGUE) {
            profiles.put(p.info.id(), p);
        }
        voices = profiles.values().stream().map(p -> p.info).collect(Collectors.toUnmodifiableList());
        permits = new Semaphore(Math.max(1, maxParallelSyntheses), true);
        started = new CompletableFuture<>();
        Thread starter = new Thread(MARY_THREADS, () -> {
            try {
                started.complete(MaryRuntime.start());
            } catch (Throwable e) {
                LOG.error("MaryTTS did not start; its voices will refuse to speak", e);
                started.completeExceptionally(e);
            }
        }, "kinora-marytts-start");
        starter.setDaemon(true);
        starter.start();
    }

    /**
     * Shuts MaryTTS down when this bundle stops (bundle update, uninstall, framework shutdown).
     * <ul>
     * <li>MaryTTS cannot start twice in one class loader (its module registry is static and stays closed after the
     * first startup): when only the component cycles (configuration change) while the bundle keeps running,
     * MaryTTS stays up for the next activation; an updated or refreshed bundle gets a new class loader and a fresh
     * MaryTTS.</li>
     * <li>MaryTTS's own JVM shutdown hook then finds it down and throws; see {@link #MARY_THREADS}.</li>
     * </ul>
     */
    @Deactivate
    public void deactivate() {
        try {
            started.get();
        } catch (Exception ignored) {
            return; // it did not start: nothing to stop
        }
        org.osgi.framework.Bundle bundle = org.osgi.framework.FrameworkUtil.getBundle(MaryVoiceEngine.class);
        if (bundle == null || bundle.getState() == org.osgi.framework.Bundle.ACTIVE) {
            LOG.debug("MaryTTS stays up: the component cycles while its bundle keeps running");
            return;
        }
        MaryRuntime.stop();
    }

    @Override
    public String id() {
        return ENGINE_ID;
    }

    @Override
    public List<VoiceInfo> voices() {
        return voices;
    }

    /** Seconds MaryTTS took to start (waits for it). */
    double startupSeconds() {
        awaitStart();
        return started.join();
    }

    @Override
    public Speech synthesize(SpeechRequest request) {
        MaryProfile profile = SpeechRequests.profile(request, profiles, ENGINE_ID);
        SpeechRequests.requireLanguage(request, profile.info, ENGINE_ID);
        SpeechMarkup markup = SpeechRequests.markup(request, profile.info);
        List<String> foreign = LineWords.split(markup.plainText()).stream().filter(MaryVoiceEngine::otherScript)
                .limit(5).collect(Collectors.toList());
        if (!foreign.isEmpty()) {
            throw new StageException("voice '" + profile.info.id() + "' (" + ENGINE_ID + ", English) cannot pronounce "
                    + foreign.stream().map(w -> "'" + w + "'").collect(Collectors.joining(", "))
                    + ": letters of another script; give the line to a voice of its language (e.g. an espeak-ng voice)");
        }
        MaryScript script = MaryScript.of(markup, profile);
        awaitStart();
        float[] samples;
        List<WordTiming> words;
        permits.acquireUninterruptibly();
        try {
            Result r = MaryRuntime.call(() -> render(script, profile));
            samples = r.samples;
            words = r.words;
        } catch (StageException e) {
            throw e;
        } catch (Exception e) {
            LOG.warn("MaryTTS failed on voice '{}'", profile.info.id(), e);
            throw new StageException("MaryTTS failed to speak with voice '" + profile.info.id() + "': "
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"), e);
        } finally {
            permits.release();
        }
        return SpeechTrimmer.trim(profile.info.id(), samples, SAMPLE_RATE, words);
    }

    static final int SAMPLE_RATE = 48_000;

    private static final class Result {
        final float[] samples;
        final List<WordTiming> words;

        Result(float[] samples, List<WordTiming> words) {
            this.samples = samples;
            this.words = words;
        }
    }

    private Result render(MaryScript script, MaryProfile profile) throws Exception {
        LocalMaryInterface mary = new LocalMaryInterface();
        mary.setLocale(Locale.US);
        mary.setVoice(MARY_VOICE);
        mary.setInputType("SSML");
        mary.setOutputType("ACOUSTPARAMS");
        Document acoustic = mary.generateXML(script.ssml());
        List<WordTiming> words = MaryTimings.words(acoustic, script);
        mary.setInputType("ACOUSTPARAMS");
        mary.setOutputType("AUDIO");
        String effects = script.effects();
        if (!effects.isEmpty()) {
            mary.setAudioEffects(effects);
        }
        AudioInputStream audio = mary.generateAudio(acoustic);
        if (profile.tract != 1.0) {
            // formants are moved at the rate MaryTTS delivers (the voice's own: 48 kHz for cmu-slt-hsmm)
            float rate = audio.getFormat().getSampleRate();
            float[] scaled = VocalTract.scale(toFloats(audio, rate), Math.round(rate), profile.tract);
            audio = pcm16(scaled, rate);
        }
        float[] samples = toFloats(audio, SAMPLE_RATE);
        WordGains.apply(samples, SAMPLE_RATE, words, script.wordGainsDb());
        return new Result(samples, words);
    }


    private static AudioInputStream pcm16(float[] samples, float rate) {
        byte[] b = new byte[samples.length * 2];
        for (int i = 0; i < samples.length; i++) {
            int v = Math.round(Math.max(-1f, Math.min(1f, samples[i])) * 32767f);
            b[2 * i] = (byte) v;
            b[2 * i + 1] = (byte) (v >> 8);
        }
        return new AudioInputStream(new java.io.ByteArrayInputStream(b), new AudioFormat(rate, 16, 1, true, false), samples.length);
    }

    static float[] toFloats(AudioInputStream in, float rate) throws Exception {
        AudioFormat target = new AudioFormat(rate, 16, 1, true, false);
        AudioInputStream pcm = in.getFormat().matches(target) ? in : AudioSystem.getAudioInputStream(target, in);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        pcm.transferTo(bytes);
        byte[] b = bytes.toByteArray();
        float[] out = new float[b.length / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (short) ((b[2 * i] & 0xff) | (b[2 * i + 1] << 8)) / 32768f;
        }
        return out;
    }

    private void awaitStart() {
        try {
            started.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StageException("interrupted while waiting for MaryTTS to start", e);
        } catch (ExecutionException e) {
            throw new StageException("MaryTTS could not be started: " + e.getCause(), e.getCause());
        }
    }

    /** Whether a word holds letters of a script other than Latin (Han, Hebrew, Cyrillic, ...). */
    static boolean otherScript(String word) {
        return word.codePoints().anyMatch(c -> Character.isLetter(c)
                && Character.UnicodeScript.of(c) != Character.UnicodeScript.LATIN);
    }

    /** Words of a line for captions (the markup's plain text split at whitespace). */
    static List<String> lineWords(SpeechMarkup markup) {
        return LineWords.split(markup.plainText());
    }
}
