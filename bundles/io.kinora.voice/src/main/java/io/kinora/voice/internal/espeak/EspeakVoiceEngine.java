package io.kinora.voice.internal.espeak;

import io.kinora.api.media.StageException;
import io.kinora.api.timeline.WordTiming;
import io.kinora.api.voice.Speech;
import io.kinora.api.voice.SpeechRequest;
import io.kinora.api.voice.VoiceEngine;
import io.kinora.api.voice.VoiceInfo;
import io.kinora.voice.internal.Emoji;
import io.kinora.voice.internal.LineWords;
import io.kinora.voice.internal.WordGains;
import io.kinora.voice.internal.SpeechTrimmer;
import io.kinora.voice.internal.SpeechRequests;
import io.kinora.voice.internal.markup.SpeechMarkup;
import org.osgi.framework.BundleContext;
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
import java.util.function.IntFunction;
import java.util.stream.Collectors;

/**
 * Speech in 100+ languages through the system's espeak-ng (Debian package {@code espeak-ng}), 22,050 Hz mono.
 * Detected at activation with {@code espeak-ng --voices}; when the executable is missing the engine offers no
 * voices (logged) and nothing fails. Chinese is spoken as Mandarin ({@link EspeakLanguages}), and so are Han runs
 * inside a line of another language ({@link EspeakSsml}).
 *
 * <p>Synthesis goes through espeak-ng's C library ({@link EspeakLibrary}, through JNA), whose word and mark events
 * give the word timings ({@link EspeakTimings}). Where the library cannot be loaded (configured off, missing file,
 * unsupported platform) the engine runs the command instead (text on stdin, a WAV on stdout: the same samples) and
 * estimates the timings from the audio ({@link WordAligner}); which of the two is in use is logged at activation,
 * named in every voice's description and by {@link #timingSource()}.
 */
@Component(service = VoiceEngine.class, configurationPid = EspeakVoiceEngine.PID,
        property = "kinora.voice.engine=" + EspeakVoiceEngine.ENGINE_ID)
@Designate(ocd = EspeakVoiceEngine.Config.class)
public final class EspeakVoiceEngine implements VoiceEngine {
    public static final String ENGINE_ID = "espeak-ng";
    public static final String PID = "io.kinora.voice.espeak";
    public static final String DEFAULT_LIBRARY = "libespeak-ng.so.1";

    @ObjectClassDefinition(name = "Kinora espeak-ng voice engine",
            description = "Multilingual text-to-speech through the system's espeak-ng command")
    public @interface Config {
        @AttributeDefinition(name = "Executable", description = "espeak-ng command (name on PATH or absolute path)")
        String executable() default "espeak-ng";

        @AttributeDefinition(name = "Library", description = "espeak-ng's C library, a name the dynamic linker finds "
                + "or an absolute file; it gives word timings from espeak-ng's own events. Empty: do not use it "
                + "(the command runs, and word timings are estimated from the audio)")
        String library() default DEFAULT_LIBRARY;

        @AttributeDefinition(name = "Timeout", description = "Seconds one command-line synthesis may take before it is stopped",
                min = "1")
        int timeoutSeconds() default 30;

        @AttributeDefinition(name = "Parallel syntheses", description = "espeak-ng processes at the same time "
                + "(command line only; the library speaks one line at a time)",
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
    /** espeak-ng's library, or null when the command line is used. */
    private final EspeakLibrary library;
    private final String timingSource;

    @Activate
    public EspeakVoiceEngine(Config config, BundleContext context) {
        this(config.executable(), config.library(), config.timeoutSeconds(), config.maxParallelSyntheses(),
                context == null ? null : context.getProperty("kinora.work"));
    }

    /** With the default library, JNA's native part unpacked to its default folder. */
    public EspeakVoiceEngine(String executable, int timeoutSeconds, int maxParallelSyntheses) {
        this(executable, DEFAULT_LIBRARY, timeoutSeconds, maxParallelSyntheses, null);
    }

    /**
     * @param library    espeak-ng's library (name or absolute file); null or empty: the command line only
     * @param kinoraWork Kinora's work folder: JNA unpacks its native part to {@code <kinoraWork>/jna}; null: JNA's default
     */
    public EspeakVoiceEngine(String executable, String library, int timeoutSeconds, int maxParallelSyntheses,
            String kinoraWork) {
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
        EspeakLibrary lib = null;
        String source;
        if (detected == null || detected.voices().isEmpty()) {
            source = "none (espeak-ng is not installed)";
        } else if (library == null || library.isBlank()) {
            source = "estimated from the audio (espeak-ng's library is configured off)";
        } else {
            try {
                configureJnaTempDir(kinoraWork);
                lib = EspeakLibrary.load(library.trim());
                source = "espeak-ng's word events (" + library.trim() + " " + lib.version() + ")";
            } catch (IllegalStateException | LinkageError e) {
                source = "estimated from the audio (espeak-ng's library " + library.trim() + " could not be loaded: "
                        + e.getMessage() + ")";
            }
        }
        this.library = lib;
        this.timingSource = source;
        if (detected != null && !detected.voices().isEmpty()) {
            LOG.info("espeak-ng synthesis through {}; word timings: {}", lib != null ? "its library" : "its command line",
                    source);
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
        VoiceInfo i = p.info();
        VoiceInfo described = new VoiceInfo(i.id(), i.engine(), i.description() + "; word timings: " + timingSource,
                i.gender(), i.age(), i.languages(), i.previewText());
        profiles.put(i.id(), new Profile(described, p.variant(), p.pitch(), p.speed()));
    }

    /**
     * Points JNA's unpack folder under {@code <kinora.work>/jna} unless {@code jna.tmpdir} is already set. Here and
     * not in {@link EspeakLibrary}: initializing that class starts JNA, which reads the property once.
     */
    static synchronized void configureJnaTempDir(String kinoraWork) {
        if (System.getProperty("jna.tmpdir") != null || kinoraWork == null || kinoraWork.isBlank()) return;
        java.nio.file.Path dir = java.nio.file.Path.of(kinoraWork, "jna").toAbsolutePath();
        try {
            java.nio.file.Files.createDirectories(dir);
            System.setProperty("jna.tmpdir", dir.toString());
        } catch (IOException e) {
            LOG.info("cannot create {} ({}); JNA unpacks its native part to its default folder", dir, e.getMessage());
        }
    }

    /** Where word timings come from: espeak-ng's events (library) or estimated from the audio (command line). */
    public String timingSource() {
        return timingSource;
    }

    /** Whether syntheses go through espeak-ng's library (word timings from its events). */
    public boolean usesLibrary() {
        return library != null;
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
        if (Emoji.strip(markup.plainText()).isBlank()) {
            throw new StageException("nothing to speak for voice '" + profile.info().id()
                    + "': the line holds only emoji, which are not read aloud");
        }
        boolean whisper = markup.items().stream().allMatch(i -> !(i instanceof SpeechMarkup.Text t)
                || t.text().isBlank() || t.style().quality() == SpeechMarkup.Quality.WHISPER);
        String variant = whisper ? "whisper" : profile.variant();
        List<LineWords.Span> spans = LineWords.spans(markup.plainText());
        EspeakSsml.Ssml ssml = EspeakSsml.of(markup, whisper, spans, runVoices(espeakVoice, variant));
        float[] samples;
        int rate;
        List<WordTiming> words;
        if (library != null) {
            EspeakLibrary.Result r;
            try {
                r = library.synthesize(espeakVoice + "+" + variant, profile.pitch(), profile.speed(), ssml.text());
            } catch (IllegalArgumentException | IllegalStateException | LinkageError e) {
                throw new StageException("espeak-ng failed to speak with voice '" + profile.info().id() + "': "
                        + e.getMessage(), e);
            }
            samples = new float[r.samples().length];
            for (int i = 0; i < samples.length; i++) samples[i] = r.samples()[i] / 32768f;
            rate = r.sampleRate();
            if (samples.length == 0) {
                throw new StageException("espeak-ng produced no audio for voice '" + profile.info().id() + "'");
            }
            words = EspeakTimings.of(spans, ssml, r.events(), samples, rate);
        } else {
            List<String> cmd = new ArrayList<>(List.of(executable, "-v", espeakVoice + "+" + variant,
                    "-p", String.valueOf(profile.pitch()), "-s", String.valueOf(profile.speed()),
                    "-m", "--stdout", "--stdin"));
            byte[] wav;
            permits.acquireUninterruptibly();
            try {
                wav = run(cmd, ssml.text().getBytes(StandardCharsets.UTF_8));
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
            samples = audio.samples;
            rate = audio.sampleRate;
            words = WordAligner.align(spans.stream().map(LineWords.Span::word).toList(), samples, rate);
        }
        WordGains.apply(samples, rate, words, WordGains.of(markup, spans));
        return SpeechTrimmer.trim(profile.info().id(), samples, rate, words);
    }

    /**
     * Which voice reads a character the line's voice cannot: Han in a line that is not Chinese or Japanese is read
     * by the Mandarin voice, Hangul by Korean, kana by Japanese (with the line's variant); null: the line's voice.
     */
    private IntFunction<String> runVoices(String lineVoice, String variant) {
        String line = lineVoice.toLowerCase(Locale.ROOT);
        boolean chinese = line.startsWith("cmn") || line.startsWith("yue") || line.startsWith("zh")
                || line.startsWith("hak") || line.startsWith("ja");
        String mandarin = languages.voices().contains("cmn-latn-pinyin") ? "cmn-latn-pinyin" : languages.voiceFor("cmn");
        String korean = line.startsWith("ko") ? null : languages.voiceFor("ko");
        String japanese = line.startsWith("ja") ? null : languages.voiceFor("ja");
        return c -> {
            if (!Character.isLetter(c)) return null;
            Character.UnicodeScript script = Character.UnicodeScript.of(c);
            String v = switch (script) {
                case HAN -> chinese ? null : mandarin;
                case HANGUL -> korean;
                case HIRAGANA, KATAKANA -> japanese;
                default -> null;
            };
            return v == null ? null : v + "+" + variant;
        };
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
                + ", " + (library != null ? library.path() : executable.toLowerCase(Locale.ROOT)) + ")";
    }
}
