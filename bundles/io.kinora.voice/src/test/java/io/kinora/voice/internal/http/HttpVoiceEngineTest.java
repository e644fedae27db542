package io.kinora.voice.internal.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.kinora.api.media.StageException;
import io.kinora.api.timeline.WordTiming;
import io.kinora.api.voice.Speech;
import io.kinora.api.voice.SpeechRequest;
import io.kinora.voice.internal.PitchEstimator;
import io.kinora.voice.internal.VoiceServiceImpl;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The HTTP engine against a real speech server: a local HTTP endpoint that speaks each request with espeak-ng's
 * command line (the kind of adapter an operator puts in front of a TTS), so the audio Kinora gets back is speech.
 */
class HttpVoiceEngineTest {
    static HttpServer server;
    static final List<JsonNode> requests = new CopyOnWriteArrayList<>();
    static final List<String> authorizations = new CopyOnWriteArrayList<>();
    static String url;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(new java.io.File("/usr/bin/espeak-ng").canExecute(), "SKIPPED: espeak-ng is not installed; CI installs it");
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/speak", ex -> {
            JsonNode req = new ObjectMapper().readTree(ex.getRequestBody());
            requests.add(req);
            authorizations.add(String.valueOf(ex.getRequestHeaders().getFirst("Authorization")));
            byte[] answer;
            int status = 200;
            if (req.path("voice").asText().equals("broken")) {
                status = 503;
                answer = "model not loaded".getBytes(StandardCharsets.UTF_8);
            } else if (req.path("voice").asText().equals("noise")) {
                answer = "this is not a wav".getBytes(StandardCharsets.UTF_8);
            } else {
                Process p = new ProcessBuilder("espeak-ng", "-v", req.path("voice").asText(), "-m", "--stdout", "--stdin").start();
                p.getOutputStream().write(req.path("ssml").asText().getBytes(StandardCharsets.UTF_8));
                p.getOutputStream().close();
                answer = fixSizes(p.getInputStream().readAllBytes());
            }
            ex.sendResponseHeaders(status, answer.length);
            try (OutputStream o = ex.getResponseBody()) {
                o.write(answer);
            }
        });
        server.start();
        url = "http://127.0.0.1:" + server.getAddress().getPort() + "/speak";
    }

    /** espeak-ng writes placeholder RIFF/data sizes to a pipe; a server fixes them as it knows the length. */
    static byte[] fixSizes(byte[] wav) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(wav).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.putInt(4, wav.length - 8);
        int pos = 12;
        while (pos + 8 <= wav.length) {
            int id = b.getInt(pos);
            if (id == 0x61746164) {
                b.putInt(pos + 4, wav.length - pos - 8);
                break;
            }
            pos += 8 + b.getInt(pos + 4);
        }
        return wav;
    }

    @AfterAll
    static void stop() {
        if (server != null) server.stop(0);
    }

    static HttpVoiceEngine engine(String... voices) {
        return new HttpVoiceEngine("lab-tts", url, voices, "Bearer s3cret", 20, 10_000_000);
    }

    @Test
    void speaksThroughTheServerWithWordTimingsAndJoinsTheCatalogue() {
        HttpVoiceEngine e = engine("ada|en+f3|en|female|adult|clear studio voice", "ben|en+m3|en,de|male|older|warm");
        VoiceServiceImpl service = new VoiceServiceImpl("en", 500);
        service.addEngine(e, Map.of());
        assertTrue(service.voices().stream().anyMatch(v -> v.id().equals("ben") && v.engine().equals("lab-tts") && v.speaks("de")));

        Speech s = service.speak(new SpeechRequest("ada", "Good morning, <break time=\"400ms\"/> this is the harbour.", "en"));
        JsonNode sent = requests.get(requests.size() - 1);
        assertEquals("Good morning, this is the harbour.", sent.path("text").asText().replaceAll("\\s+", " "));
        assertEquals("<speak>Good morning, <break time=\"400ms\"/> this is the harbour.</speak>", sent.path("ssml").asText());
        assertEquals("en+f3", sent.path("voice").asText());
        assertEquals("Bearer s3cret", authorizations.get(authorizations.size() - 1));
        assertEquals(List.of("Good", "morning,", "this", "is", "the", "harbour."), s.words().stream().map(WordTiming::word).toList());
        double d = s.audio().durationSeconds();
        assertTrue(d > 1.2 && d < 5, "duration " + d);
        for (WordTiming w : s.words()) assertTrue(w.end() >= w.start() && w.end() <= d + 1e-9, w.toString());
        // speech, not noise: a voiced pitch in a female range
        double f0 = PitchEstimator.medianF0(s.audio().samples(), s.audio().sampleRate());
        assertTrue(f0 > 140 && f0 < 320, "median F0 " + f0);
        // the break is in the audio: "morning," ends well before "this" starts
        assertTrue(s.words().get(2).start() - s.words().get(1).end() >= 0.25, s.words().toString());

        // markup volume is Kinora's, applied from the timings
        double loud = rms(service.speak(new SpeechRequest("ada", "<prosody volume=\"loud\">Good morning to you all.</prosody>", "en")));
        double soft = rms(service.speak(new SpeechRequest("ada", "<prosody volume=\"soft\">Good morning to you all.</prosody>", "en")));
        assertTrue(loud > 2 * soft, loud + " vs " + soft);
    }

    @Test
    void serverFailuresAreClearErrorsNamingTheEngineAndVoice() {
        HttpVoiceEngine e = engine("down|broken|en|male|adult|x", "junk|noise|en|male|adult|x");
        StageException down = assertThrows(StageException.class, () -> e.synthesize(new SpeechRequest("down", "Hello there.", "en")));
        assertEquals("the HTTP voice engine 'lab-tts' (127.0.0.1) answered HTTP 503 for voice 'down': model not loaded", down.getMessage());
        StageException junk = assertThrows(StageException.class, () -> e.synthesize(new SpeechRequest("junk", "Hello there.", "en")));
        assertTrue(junk.getMessage().startsWith("the HTTP voice engine 'lab-tts' (127.0.0.1) did not answer with a PCM WAV for voice 'junk'"), junk.getMessage());
        StageException lang = assertThrows(StageException.class, () -> e.synthesize(new SpeechRequest("down", "Bonjour.", "fr")));
        assertTrue(lang.getMessage().contains("'fr'"), lang.getMessage());
        StageException unknown = assertThrows(StageException.class, () -> e.synthesize(new SpeechRequest("nobody", "Hello.", "en")));
        assertEquals("unknown voice 'nobody' for engine 'lab-tts' (HTTP); its voices: down, junk", unknown.getMessage());
        assertEquals("nothing to speak: the speech request is missing", assertThrows(StageException.class, () -> e.synthesize(null)).getMessage());
        StageException empty = assertThrows(StageException.class, () -> e.synthesize(new SpeechRequest("down", "<break time=\"200ms\"/>", "en")));
        assertEquals("nothing to speak for voice 'down': the line holds only markup", empty.getMessage());
        HttpVoiceEngine nobody = new HttpVoiceEngine("gone", "http://127.0.0.1:1/speak", new String[]{"x|y|en|male|adult|z"}, "", 2, 10_000);
        StageException unreachable = assertThrows(StageException.class, () -> nobody.synthesize(new SpeechRequest("x", "Hello.", "en")));
        assertTrue(unreachable.getMessage().startsWith("the HTTP voice engine 'gone' (127.0.0.1) could not be reached for voice 'x'"), unreachable.getMessage());
        HttpVoiceEngine small = new HttpVoiceEngine("tiny", url, new String[]{"ada|en+f3|en|female|adult|x"}, "", 20, 2048);
        StageException big = assertThrows(StageException.class, () -> small.synthesize(new SpeechRequest("ada", "A line long enough to need more than two kilobytes of audio.", "en")));
        assertTrue(big.getMessage().endsWith("answered with more than 2048 bytes (max.response.bytes)"), big.getMessage());
    }

    @Test
    void badConfigurationIsRefusedNamingTheField() {
        assertEquals("configuration io.kinora.voice.http: engine.id 'Lab TTS' must be 1-40 lower-case letters, digits or '-'",
                assertThrows(IllegalArgumentException.class, () -> new HttpVoiceEngine("Lab TTS", url, new String[]{"a|b|en|male|adult|c"}, "", 5, 4096)).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new HttpVoiceEngine("lab", "file:///etc/passwd", new String[]{"a|b|en|male|adult|c"}, "", 5, 4096))
                .getMessage().contains("must be an http or https URL"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new HttpVoiceEngine("lab", url, new String[]{"a|b|en|male"}, "", 5, 4096))
                .getMessage().contains("must have 6 fields"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new HttpVoiceEngine("lab", url, new String[]{"a|b|en|robot|adult|c"}, "", 5, 4096))
                .getMessage().contains("gender 'robot' is not female, male or neutral"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new HttpVoiceEngine("lab", url, new String[0], "", 5, 4096))
                .getMessage().contains("voices lists no voice"));
    }

    static double rms(Speech s) {
        double e = 0;
        for (float v : s.audio().samples()) e += (double) v * v;
        return Math.sqrt(e / Math.max(1, s.audio().samples().length));
    }
}
