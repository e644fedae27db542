package io.kinora.voice.internal.http;

import io.kinora.api.media.StageException;
import io.kinora.api.timeline.WordTiming;
import io.kinora.api.voice.Speech;
import io.kinora.api.voice.SpeechRequest;
import io.kinora.api.voice.VoiceEngine;
import io.kinora.api.voice.VoiceInfo;
import io.kinora.voice.internal.LineWords;
import io.kinora.voice.internal.SpeechRequests;
import io.kinora.voice.internal.SpeechTrimmer;
import io.kinora.voice.internal.WordGains;
import io.kinora.voice.internal.espeak.WordAligner;
import io.kinora.voice.internal.markup.SpeechMarkup;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A speech engine served over HTTP by the operator (a neural TTS on a GPU box, a MaryTTS or Piper server behind a
 * small adapter): the one engine that uses the network, and therefore <b>off until an operator creates its factory
 * configuration</b> ({@value #FACTORY_PID}; {@code configurationPolicy = REQUIRE}). Each configuration is one engine
 * with its own voices.
 *
 * <p>Protocol: {@code POST <url>} with {@code Content-Type: application/json} and the body
 * {@code {"text": plain text, "ssml": the line's markup as SSML, "voice": the remote voice, "language": BCP 47}};
 * the answer is {@code 200} with a PCM WAV (any rate, mono or stereo, 8/16/24-bit; stereo is averaged). Word timings
 * are aligned to the audio by energy ({@link WordAligner}, as for espeak-ng's command line); markup volume is applied
 * by Kinora ({@link WordGains}). The authorization value is a private property, sent as the {@code Authorization}
 * header and never logged.
 */
@Component(service = VoiceEngine.class, configurationPid = HttpVoiceEngine.FACTORY_PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE,
        property = "kinora.voice.engine=http")
@Designate(ocd = HttpVoiceEngine.Config.class, factory = true)
public final class HttpVoiceEngine implements VoiceEngine {
    public static final String FACTORY_PID = "io.kinora.voice.http";
    private static final Logger LOG = LoggerFactory.getLogger(HttpVoiceEngine.class);
    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,39}");

    @ObjectClassDefinition(name = "Kinora HTTP voice engine",
            description = "A text-to-speech server the operator runs (e.g. a neural TTS); Kinora POSTs each line as JSON and gets a WAV back. "
                    + "Off unless configured: this is the only voice engine that uses the network.")
    public @interface Config {
        @AttributeDefinition(name = "Engine id", description = "Lower-case letters, digits and '-'; names the engine in logs and the voice list.")
        String engine_id();

        @AttributeDefinition(name = "URL", description = "http(s) URL the lines are POSTed to.")
        String url();

        @AttributeDefinition(name = "Voices",
                description = "One entry per voice: id|remote voice|languages (comma-separated BCP 47 primary tags)|gender (female, male, neutral)|age (child, young, adult, older)|description. "
                        + "The id is what scenes name; it must not be a voice id of another engine.")
        String[] voices();

        @AttributeDefinition(name = "Authorization", type = AttributeType.PASSWORD,
                description = "Optional value of the Authorization header (e.g. 'Bearer ...'). Private property: never published, never logged.")
        String _authorization() default "";

        @AttributeDefinition(name = "Timeout (s)", description = "Most seconds one line may take, connection included.", min = "1", max = "600")
        int timeout_seconds() default 30;

        @AttributeDefinition(name = "Largest answer (bytes)", description = "A longer answer is refused (a WAV of 10 min at 48 kHz 16-bit mono is 58 MB).", min = "1024")
        long max_response_bytes() default 64L * 1024 * 1024;
    }

    private final String id;
    private final URI url;
    private final String authorization;
    private final Duration timeout;
    private final long maxBytes;
    private final Map<String, String> remote = new LinkedHashMap<>();
    private final List<VoiceInfo> voices;
    private final HttpClient client;

    @Activate
    public HttpVoiceEngine(Config c) {
        this(c.engine_id(), c.url(), c.voices(), c._authorization(), c.timeout_seconds(), c.max_response_bytes());
    }

    HttpVoiceEngine(String id, String url, String[] voiceEntries, String authorization, int timeoutSeconds, long maxBytes) {
        String where = "configuration " + FACTORY_PID;
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException(where + ": engine.id '" + id + "' must be 1-40 lower-case letters, digits or '-'");
        }
        where += " (engine " + id + ")";
        URI u;
        try {
            u = URI.create(url == null ? "" : url.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": url '" + url + "' is not a URL: " + e.getMessage());
        }
        if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme()) || u.getHost() == null) {
            throw new IllegalArgumentException(where + ": url '" + url + "' must be an http or https URL with a host");
        }
        if (timeoutSeconds < 1) throw new IllegalArgumentException(where + ": timeout.seconds must be at least 1, is " + timeoutSeconds);
        if (maxBytes < 1024) throw new IllegalArgumentException(where + ": max.response.bytes must be at least 1024, is " + maxBytes);
        if (voiceEntries == null || voiceEntries.length == 0) throw new IllegalArgumentException(where + ": voices lists no voice");
        List<VoiceInfo> list = new ArrayList<>();
        for (String entry : voiceEntries) {
            String[] f = entry == null ? new String[0] : entry.split("\\|", -1);
            if (f.length != 6) {
                throw new IllegalArgumentException(where + ": voices entry '" + entry
                        + "' must have 6 fields: id|remote voice|languages|gender|age|description");
            }
            String vid = f[0].trim();
            if (!ID.matcher(vid).matches()) throw new IllegalArgumentException(where + ": voice id '" + vid + "' must be lower-case letters, digits or '-'");
            if (remote.containsKey(vid)) throw new IllegalArgumentException(where + ": voice id '" + vid + "' is listed twice");
            List<String> langs = new ArrayList<>();
            for (String l : f[2].split(",")) if (!l.isBlank()) langs.add(l.trim().split("-")[0].toLowerCase(Locale.ROOT));
            if (langs.isEmpty()) throw new IllegalArgumentException(where + ": voice '" + vid + "' names no language");
            String gender = f[3].trim().toLowerCase(Locale.ROOT);
            if (!List.of("female", "male", "neutral").contains(gender)) {
                throw new IllegalArgumentException(where + ": voice '" + vid + "': gender '" + f[3] + "' is not female, male or neutral");
            }
            String age = f[4].trim().toLowerCase(Locale.ROOT);
            if (!List.of("child", "young", "adult", "older").contains(age)) {
                throw new IllegalArgumentException(where + ": voice '" + vid + "': age '" + f[4] + "' is not child, young, adult or older");
            }
            remote.put(vid, f[1].trim());
            list.add(new VoiceInfo(vid, id, f[5].trim() + " (" + id + " over HTTP)", gender, age, langs,
                    "This is " + vid + ", speaking from " + u.getHost() + "."));
        }
        this.id = id;
        this.url = u;
        this.authorization = authorization == null ? "" : authorization.trim();
        this.timeout = Duration.ofSeconds(timeoutSeconds);
        this.maxBytes = maxBytes;
        this.voices = List.copyOf(list);
        this.client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
        LOG.info("HTTP voice engine '{}' configured: {} voice(s) at {}", id, voices.size(), u.getScheme() + "://" + u.getHost()
                + (u.getPort() > 0 ? ":" + u.getPort() : "") + u.getPath());
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public List<VoiceInfo> voices() {
        return voices;
    }

    @Override
    public Speech synthesize(SpeechRequest request) {
        String remoteVoice = SpeechRequests.profile(request, remote, "'" + id + "' (HTTP)");
        VoiceInfo info = voices.stream().filter(v -> v.id().equals(request.voice())).findFirst().orElseThrow();
        SpeechRequests.requireLanguage(request, info, id);
        SpeechMarkup markup = SpeechRequests.markup(request, info);
        String plain = markup.plainText().trim();
        String body = "{\"text\": " + json(plain) + ", \"ssml\": " + json(ssml(markup)) + ", \"voice\": " + json(remoteVoice)
                + ", \"language\": " + json(request.language()) + "}";
        HttpRequest.Builder r = HttpRequest.newBuilder(url).timeout(timeout)
                .header("Content-Type", "application/json").header("Accept", "audio/wav")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        if (!authorization.isEmpty()) r.header("Authorization", authorization);
        HttpResponse<InputStream> answer;
        byte[] wav;
        String server = "the HTTP voice engine '" + id + "' (" + url.getHost() + ")";
        try {
            answer = client.send(r.build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = answer.body()) {
                wav = readAtMost(in, maxBytes, server);
            }
        } catch (java.net.http.HttpTimeoutException e) {
            throw new StageException(server + " did not answer within " + timeout.toSeconds() + " s (timeout.seconds) for voice '" + info.id() + "'");
        } catch (IOException e) {
            throw new StageException(server + " could not be reached for voice '" + info.id() + "': " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StageException("interrupted while " + server + " was speaking");
        }
        if (answer.statusCode() != 200) {
            String text = new String(wav, 0, Math.min(wav.length, 200), java.nio.charset.StandardCharsets.UTF_8).replaceAll("\\s+", " ").trim();
            throw new StageException(server + " answered HTTP " + answer.statusCode() + " for voice '" + info.id() + "'"
                    + (text.isEmpty() ? "" : ": " + text));
        }
        float[] samples;
        int rate;
        try (AudioInputStream in = AudioSystem.getAudioInputStream(new ByteArrayInputStream(wav))) {
            AudioFormat f = in.getFormat();
            rate = Math.round(f.getSampleRate());
            samples = mono(in, f);
        } catch (UnsupportedAudioFileException | IOException | IllegalArgumentException e) {
            throw new StageException(server + " did not answer with a PCM WAV for voice '" + info.id() + "' (" + wav.length + " bytes: "
                    + e.getMessage() + ")");
        }
        if (samples.length == 0 || rate < 8000) {
            throw new StageException(server + " answered with no usable audio for voice '" + info.id() + "' (" + samples.length
                    + " samples at " + rate + " Hz)");
        }
        List<LineWords.Span> words = WordGains.plainWords(markup);
        List<WordTiming> timings = WordAligner.align(words.stream().map(LineWords.Span::word).toList(), samples, rate);
        WordGains.apply(samples, rate, timings, WordGains.of(markup, words));
        return SpeechTrimmer.trim(info.id(), samples, rate, timings);
    }

    /** A JSON string literal (RFC 8259 escapes). */
    static String json(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    else b.append(c);
                }
            }
        }
        return b.append('"').toString();
    }

    private static byte[] readAtMost(InputStream in, long max, String server) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[64 * 1024];
        int n;
        while ((n = in.read(buf)) >= 0) {
            out.write(buf, 0, n);
            if (out.size() > max) throw new StageException(server + " answered with more than " + max + " bytes (max.response.bytes)");
        }
        return out.toByteArray();
    }

    /** Signed PCM of 8, 16 or 24 bits, little- or big-endian, any channel count, averaged to mono in [-1, 1]. */
    static float[] mono(AudioInputStream in, AudioFormat f) throws IOException {
        AudioFormat target = new AudioFormat(f.getSampleRate(), 16, f.getChannels(), true, false);
        AudioInputStream pcm = f.matches(target) ? in : AudioSystem.getAudioInputStream(target, in);
        byte[] b = pcm.readAllBytes();
        int ch = Math.max(1, f.getChannels());
        int frames = b.length / (2 * ch);
        float[] out = new float[frames];
        for (int i = 0; i < frames; i++) {
            double s = 0;
            for (int c = 0; c < ch; c++) {
                int k = 2 * (i * ch + c);
                s += (short) ((b[k] & 0xff) | (b[k + 1] << 8)) / 32768.0;
            }
            out[i] = (float) (s / ch);
        }
        return out;
    }

    /** The markup as plain SSML (text escaped): breaks, emphasis, rate and pitch; volume is Kinora's. */
    static String ssml(SpeechMarkup markup) {
        StringBuilder b = new StringBuilder("<speak>");
        for (SpeechMarkup.Item item : markup.items()) {
            if (item instanceof SpeechMarkup.Pause p) {
                b.append("<break time=\"").append(Math.round(p.seconds() * 1000)).append("ms\"/>");
                continue;
            }
            SpeechMarkup.Text t = (SpeechMarkup.Text) item;
            SpeechMarkup.Style s = t.style();
            boolean prosody = s.rate() != 1 || s.pitch() != 1;
            if (prosody) {
                b.append("<prosody");
                if (s.rate() != 1) b.append(" rate=\"").append(Math.round(s.rate() * 100)).append("%\"");
                if (s.pitch() != 1) b.append(" pitch=\"").append(Math.round(s.pitch() * 100)).append("%\"");
                b.append('>');
            }
            if (s.emphasis() > 0) b.append("<emphasis level=\"").append(s.emphasis() >= 2 ? "strong" : "moderate").append("\">");
            b.append(t.text().replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"));
            if (s.emphasis() > 0) b.append("</emphasis>");
            if (prosody) b.append("</prosody>");
        }
        return b.append("</speak>").toString();
    }
}
