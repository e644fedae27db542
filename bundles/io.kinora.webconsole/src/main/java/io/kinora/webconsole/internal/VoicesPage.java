package io.kinora.webconsole.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kinora.api.media.AudioBuffer;
import io.kinora.api.media.StageException;
import io.kinora.api.voice.Speech;
import io.kinora.api.voice.SpeechRequest;
import io.kinora.api.voice.VoiceInfo;
import io.kinora.api.voice.VoiceService;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import javax.servlet.Servlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Kinora Voices: the catalogue, each voice with an audio preview of its preview line. */
@Component(service = Servlet.class, property = {
        "felix.webconsole.label=kinora-voices", "felix.webconsole.title=Kinora Voices", "felix.webconsole.category=" + ConsolePage.CATEGORY})
public final class VoicesPage extends ConsolePage {
    private static final long serialVersionUID = 1L;
    private static final Pattern PREVIEW = Pattern.compile("/preview/([A-Za-z0-9._-]{1,64})\\.wav");
    private final transient VoiceService voices;
    private final transient Map<String, byte[]> previews = new ConcurrentHashMap<>();

    @Activate
    public VoicesPage(@Reference VoiceService voices) {
        this.voices = voices;
    }

    @Override
    String label() { return "kinora-voices"; }

    @Override
    String template() { return "voices.html"; }

    @Override
    void get(String sub, HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (sub.equals("/data.json")) {
            ArrayNode arr = json.createArrayNode();
            for (VoiceInfo v : voices.voices()) {
                ObjectNode o = arr.addObject().put("id", v.id()).put("engine", v.engine()).put("description", v.description())
                        .put("gender", v.gender()).put("age", v.age()).put("preview", v.previewText());
                o.put("languages", String.join(", ", v.languages()));
            }
            writeJson(resp, json.createObjectNode().set("voices", arr));
            return;
        }
        Matcher m = PREVIEW.matcher(sub);
        if (m.matches()) {
            VoiceInfo v = voices.voices().stream().filter(x -> x.id().equals(m.group(1))).findFirst().orElse(null);
            if (v == null) {
                error(resp, 404, "no voice " + m.group(1));
                return;
            }
            byte[] wav;
            try {
                wav = previews.computeIfAbsent(v.id(), id -> {
                    Speech s = voices.speak(new SpeechRequest(id, v.previewText(), v.languages().isEmpty() ? "en" : v.languages().get(0)));
                    return wav(s.audio());
                });
            } catch (StageException e) {
                error(resp, 500, e.getMessage());
                return;
            }
            resp.setContentType("audio/wav");
            resp.setContentLength(wav.length);
            resp.getOutputStream().write(wav);
            return;
        }
        super.get(sub, req, resp);
    }

    /** 16-bit PCM WAV of an audio buffer. */
    static byte[] wav(AudioBuffer a) {
        float[] s = a.samples();
        ByteBuffer b = ByteBuffer.allocate(44 + s.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(36 + s.length * 2)
                .put("WAVEfmt ".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(16).putShort((short) 1)
                .putShort((short) a.channels()).putInt(a.sampleRate()).putInt(a.sampleRate() * a.channels() * 2)
                .putShort((short) (a.channels() * 2)).putShort((short) 16)
                .put("data".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(s.length * 2);
        for (float f : s) b.putShort((short) Math.round(Math.max(-1, Math.min(1, f)) * 32767));
        return b.array();
    }
}
