package io.kinora.voice.internal.espeak;

import io.kinora.api.media.StageException;
import io.kinora.api.timeline.WordTiming;
import io.kinora.api.voice.Speech;
import io.kinora.api.voice.SpeechRequest;
import io.kinora.api.voice.VoiceEngine;
import io.kinora.api.voice.VoiceInfo;
import io.kinora.voice.internal.LineWords;
import io.kinora.voice.internal.SpeechTrimmer;
import io.kinora.voice.internal.SpeechRequests;
import io.kinora.voice.internal.markup.SpeechMarkup;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Speech in 100+ languages through the system's espeak-ng (Debian package {@code espeak-ng}), run as a
 * command: text on stdin, a WAV on stdout (22,050 Hz mono). Detected at activation with {@code --voices}; when
 * the executable is missing the engine offers no voices (logged) and nothing fails. Chinese is spoken as
 * Mandarin ({@link EspeakLanguages}). Word timings are estimated from the audio ({@link WordAligner}).
 */
@Component(service = VoiceEngine.class, configurationPid = EspeakVoiceEngine.PID,
        property = "kinora.voice.engine=" + EspeakVoiceEngine.ENGINE_ID)
@Designate(ocd = EspeakVoiceEngine.Config.class)
public final class EspeakVoiceEngine implements VoiceEngine {
    public static final String ENGINE_ID = "espeak-ng";
    public static final String PID = "io.kinora.voice.espeak";

    @ObjectClassDefinition(name = "Kinora espeak-ng voice engine",
            description = "Multilingual text-to-speech through the system's espeak-ng command")
    public @interface Config {
        @AttributeDefinition(name = "Executable", description = "espeak-ng command (name on PATH or absolute path)")
        String executable() default "espeak-ng";

        @AttributeDefinition(name = "Timeout", description = "Seconds one synthesis may take before it is stopped",
                min = "1")
        int timeoutSeconds() default 30;

        @AttributeDefinition(name = "Parallel syntheses", description = "espeak-ng processes at the same time",
                min = "1", max = "32")
        int maxParallelSyntheses() default 4;
    }

    /** A catalogue voice: espeak variant, pitch (0-99, 50 normal), speed (words per minute, 175 normal). */
    record Profile(VoiceInfo info, String variant, int pitch, int speed) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(EspeakVoiceEngine.class);

    private final String executable;
    private final int timeoutSeconds;
    private final Semaphore permits;
    private final EspeakLanguages languages;
    private final Map<String, Profile> profiles = new LinkedHashMap<>();
    private final List<VoiceInfo> voices;

    @Activate
    public EspeakVoiceEngine(Config config) {
        this(config.executable(), config.timeoutSeconds(), config.maxParallelSyntheses());
    }

    public EspeakVoiceEngine(String executable, int timeoutSeconds, int maxParallelSyntheses) {
        this.executable = executable;
        this.timeoutSeconds = timeoutSeconds;
        this.permits = new Semaphore(Math.max(1, maxParallelSyntheses), true);
        EspeakLanguages detected = null;
        try {
            detected = EspeakLanguages.parse(new String(run(List.of(executable, "--voices"), new byte[0]),
                    StandardCharsets.UTF_8));
            LOG.info("espeak-ng found: {} voices, languages {}", detected.voices().size(), detected.languages());
        } catch (IOException | RuntimeException e) {
            LOG.info("espeak-ng is not available ({}); its voices are left out of the catalogue", e.getMessage());
        }
        this.languages = detected;
        if (detected != null && !detected.voices().isEmpty()) {
            List<String> langs = detected.languages();
            add(new Profile(new VoiceInfo("espeak-man", ENGINE_ID, "Man, adult: steady formant-synthesis voice "
                    + "(espeak-ng variant m3), every espeak-ng language", "male", "adult", langs,
                    "We should reach the station before the last train."), "m3", 42, 165));
            add(new Profile(new VoiceInfo("espeak-woman", ENGINE_ID, "Woman, adult: bright formant-synthesis voice "
                    + "(espeak-ng variant f2), every espeak-ng language", "female", "adult", langs,
                    "The market opens early, so bring the small basket."), "f2", 58, 170));
            add(new Profile(new VoiceInfo("espeak-elder", ENGINE_ID, "Older man, calm: low and slow, a little "
                    + "rough (espeak-ng variant m7), every espeak-ng language", "male", "older", langs,
                    "Patience. The river has been here longer than any of us."), "m7", 0, 140));
            add(new Profile(new VoiceInfo("espeak-girl", ENGINE_ID, "Girl, young: high and quick (espeak-ng variant "
                    + "f4), every espeak-ng language", "female", "young", langs,
                    "Come on, the fireworks are starting over the bridge!"), "f4", 78, 185));
        }
        this.voices = profiles.values().stream().map(Profile::info).collect(Collectors.toUnmodifiableList());
    }

    private void add(Profile p) {
        profiles.put(p.info().id(), p);
    }

    /** Whether espeak-ng was found at activation. */
    public boolean available() {
        return languages != null && !languages.voices().isEmpty();
    }

    /** Languages detected (BCP 47 primary subtags), empty when espeak-ng is missing. */
    public List<String> languages() {
        return languages == null ? List.of() : languages.languages();
    }

    @Override
    public String id() {
        return ENGINE_ID;
    }

    @Override
    public List<VoiceInfo> voices() {
        return voices;
    }

    @Override
    public Speech synthesize(SpeechRequest request) {
        Profile profile = SpeechRequests.profileOrNull(request, profiles);
        if (profile == null) {
            throw new StageException("unknown voice '" + request.voice() + "' for engine " + ENGINE_ID
                    + (available() ? "; its voices: " + String.join(", ", profiles.keySet()) : " (espeak-ng is not installed)"));
        }
        String lang = request.language() == null || request.language().isBlank() ? "en" : request.language().trim();
        String espeakVoice = languages.voiceFor(lang);
        if (espeakVoice == null) {
            throw new StageException("espeak-ng speaks no language '" + lang + "'; it speaks "
                    + String.join(", ", languages.languages()));
        }
        SpeechMarkup markup = SpeechRequests.markup(request, profile.info());
        boolean whisper = markup.items().stream().allMatch(i -> !(i instanceof SpeechMarkup.Text t)
                || t.text().isBlank() || t.style().quality() == SpeechMarkup.Quality.WHISPER);
        String variant = whisper ? "whisper" : profile.variant();
        List<String> cmd = new ArrayList<>(List.of(executable, "-v", espeakVoice + "+" + variant,
                "-p", String.valueOf(profile.pitch()), "-s", String.valueOf(profile.speed()),
                "-m", "--stdout", "--stdin"));
        byte[] input = EspeakSsml.of(markup, whisper).getBytes(StandardCharsets.UTF_8);
        byte[] wav;
        permits.acquireUninterruptibly();
        try {
            wav = run(cmd, input);
        } catch (IOException e) {
            throw new StageException("espeak-ng failed to speak with voice '" + profile.info().id() + "': "
                    + e.getMessage(), e);
        } finally {
            permits.release();
        }
        WavReader audio = WavReader.read(wav);
        if (audio.samples.length == 0) {
            throw new StageException("espeak-ng produced no audio for voice '" + profile.info().id() + "'");
        }
        List<WordTiming> words = WordAligner.align(LineWords.split(markup.plainText()), audio.samples, audio.sampleRate);
        return SpeechTrimmer.trim(profile.info().id(), audio.samples, audio.sampleRate, words);
    }

    /** Runs a command with the given stdin; returns stdout. @throws IOException on failure, exit code or timeout */
    private byte[] run(List<String> command, byte[] stdin) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(false).start();
        CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> drain(p.getInputStream()));
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> drain(p.getErrorStream()));
        try (OutputStream in = p.getOutputStream()) {
            in.write(stdin);
        }
        try {
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("espeak-ng took longer than " + timeoutSeconds + " s and was stopped");
            }
            byte[] stdout = out.get(5, TimeUnit.SECONDS);
            if (p.exitValue() != 0) {
                String msg = new String(err.get(5, TimeUnit.SECONDS), StandardCharsets.UTF_8).trim();
                throw new IOException("espeak-ng exited with " + p.exitValue() + (msg.isEmpty() ? "" : ": " + msg));
            }
            return stdout;
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            p.destroyForcibly();
            throw new IOException("could not read espeak-ng's output: " + e, e);
        }
    }

    private static byte[] drain(InputStream in) {
        try (in) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            in.transferTo(b);
            return b.toByteArray();
        } catch (IOException e) {
            return new byte[0];
        }
    }

    @Override
    public String toString() {
        return "espeak-ng engine (" + (available() ? languages.voices().size() + " espeak voices" : "not installed")
                + ", " + executable.toLowerCase(Locale.ROOT) + ")";
    }
}
