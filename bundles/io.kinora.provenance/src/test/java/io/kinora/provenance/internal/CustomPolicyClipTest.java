package io.kinora.provenance.internal;

import io.kinora.api.compositor.Compositor;
import io.kinora.api.compositor.EncodeRequest;
import io.kinora.api.compositor.EncodeSession;
import io.kinora.api.media.AudioBuffer;
import io.kinora.api.media.RgbImage;
import io.kinora.api.provenance.FrameLabeler;
import io.kinora.api.provenance.LayerStatus;
import io.kinora.api.provenance.ProvenanceRequest;
import io.kinora.api.scene.Aspect;
import io.kinora.api.scene.CharacterSpec;
import io.kinora.api.scene.LabelSpec;
import io.kinora.api.scene.Resolution;
import io.kinora.api.scene.SceneSpec;
import io.kinora.api.timeline.Shot;
import io.kinora.api.timeline.Timeline;
import io.kinora.api.timeline.WordTiming;
import io.kinora.api.video.ModelInfo;
import io.kinora.api.voice.Speech;
import io.kinora.api.voice.SpeechRequest;
import io.kinora.api.voice.VoiceInfo;
import io.kinora.api.voice.VoiceService;
import io.kinora.provenance.internal.visible.LabelFonts;
import io.kinora.provenance.internal.watermark.ClipDecoder;
import io.kinora.provenance.internal.watermark.LumaWatermarker;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A custom policy (factory configuration) end to end through the service and the real compositor: its own label text
 * burned in and found by verify's LabelDetector, and its spoken notice placed at the start of the master, level-matched
 * so the mix keeps -16 LUFS / -1 dBTP (measured with the compositor's own BS.1770 meter), heard in the decoded MP4
 * before the dialogue.
 */
class CustomPolicyClipTest {
    static final int W = 640;
    static final int H = 360;
    static final int FPS = 24;
    static final double SECONDS = 5;
    static final double WORD = 0.32;
    @TempDir
    static Path dir;
    static Compositor compositor;
    static byte[] base;

    @BeforeAll
    static void setUp() throws Exception {
        compositor = LabelVerifyTest.compositor();
        base = LabelVerifyTest.picture(W + 200, H + 100);
    }

    /**
     * A voice catalogue with one voice that "speaks" any text as voiced syllables (a 170 Hz harmonic tone with a
     * syllable envelope, 0.32 s per word) at 22.05 kHz: the notice's placement, level and timing are what is
     * tested, not the words.
     */
    static final class SyllableVoices implements VoiceService {
        final List<SpeechRequest> asked = new ArrayList<>();

        @Override
        public List<VoiceInfo> voices() {
            return List.of(new VoiceInfo("syll-b", "test", "second voice", "male", "adult", List.of("de"), "Hallo"),
                    new VoiceInfo("syll-a", "test", "syllables", "female", "adult", List.of("de", "en"), "Hallo"));
        }

        @Override
        public Map<String, String> cast(List<CharacterSpec> characters, String language) {
            throw new UnsupportedOperationException();
        }

        @Override
        public synchronized Speech speak(SpeechRequest r) {
            asked.add(r);
            String[] words = r.text().trim().split("\\s+");
            int rate = 22_050;
            int n = (int) Math.round(words.length * WORD * rate);
            float[] s = new float[n];
            for (int i = 0; i < n; i++) {
                double t = i / (double) rate;
                double syllable = Math.max(0, Math.sin(Math.PI * (t % WORD) / WORD));
                double v = 0;
                for (int k = 1; k <= 10; k++) v += Math.sin(2 * Math.PI * 170 * k * t) / k;
                s[i] = (float) (0.05 * syllable * v);
            }
            List<WordTiming> timings = new ArrayList<>();
            for (int w = 0; w < words.length; w++) timings.add(new WordTiming(words[w], w * WORD, (w + 1) * WORD));
            return new Speech(r.voice(), new AudioBuffer(rate, 1, s), timings);
        }
    }

    static Map<String, Object> policy() {
        Map<String, Object> m = new HashMap<>();
        m.put("policyId", "acme-tv");
        m.put("labelTexts", new String[] {"de=KI-erzeugt", "fr=Créé par IA"});
        m.put("fallbackText", "Made with AI");
        m.put("corner", "bottom-left");
        m.put("heightPercent", 8.0);
        m.put("audioLabel", "spoken-notice");
        m.put("noticeTexts", new String[] {"de=Dieses Video wurde mit KI erzeugt."});
        return m;
    }

    static double meter(String name, AudioBuffer a) throws Exception {
        Class<?> c = Class.forName("io.kinora.compositor.internal.LoudnessMeter");
        Method m = name.equals("integrated") ? c.getDeclaredMethod(name, float[].class, int.class, int.class)
                : c.getDeclaredMethod(name, float[].class, int.class);
        m.setAccessible(true);
        return name.equals("integrated") ? (double) m.invoke(null, a.samples(), a.channels(), a.sampleRate())
                : (double) m.invoke(null, a.samples(), a.channels());
    }

    static double rmsDb(float[] mono, int rate, double from, double to) {
        int a = (int) Math.round(from * rate), b = Math.min(mono.length, (int) Math.round(to * rate));
        double s = 0;
        for (int i = a; i < b; i++) s += mono[i] * (double) mono[i];
        return 10 * Math.log10(Math.max(1e-12, s / Math.max(1, b - a)));
    }

    static float[] left(AudioBuffer a) {
        float[] m = new float[a.frames()];
        for (int i = 0; i < m.length; i++) m[i] = a.samples()[i * a.channels()];
        return m;
    }

    @Test
    void customLabelIsBurnedInAndFoundAndTheSpokenNoticeOpensTheMixAtTheLoudnessTarget() throws Exception {
        ProvenanceServiceImpl s = new ProvenanceServiceImpl(TestConfig.defaults(), LabelFonts::systemFonts, dir.resolve("ca"),
                new LumaWatermarker("custom-policy-test"));
        SyllableVoices voices = new SyllableVoices();
        s.setVoiceService(voices);
        s.addCustomPolicy(new CustomPolicy(CustomPolicyTest.config(policy()), "io.kinora.provenance.labelpolicy~acme"));
        SceneSpec scene = new SceneSpec(null, "a harbour", SECONDS, FPS, Resolution.P720, List.of(Aspect.LANDSCAPE), null, null, null, null,
                new LabelSpec("acme-tv"), "de-AT", null, 7L);
        int frames = (int) Math.round(SECONDS * FPS);
        ProvenanceRequest r = new ProvenanceRequest("c-acme", "job-acme", scene,
                new Timeline(SECONDS, FPS, frames, List.of(), List.of(new Shot(0, SECONDS, null))), new ModelInfo("parallax", "1.0.0", "parallax", "2.5D"));

        // the notice's length is known before the mix (the planner starts the first line after it), from the first voice speaking de
        double noticeEnd = s.audioLabelSeconds(scene);
        assertEquals(0.15 + 6 * WORD, noticeEnd, 1e-3);
        assertEquals(List.of(new SpeechRequest("syll-a", "Dieses Video wurde mit KI erzeugt.", "de-AT")), voices.asked);

        // a master as the compositor leaves it: quiet ambience, dialogue from noticeEnd + 0.3 s, -16 LUFS
        double dialogue = noticeEnd + 0.3;
        Random rnd = new Random(11);
        float[] voice = LabelVerifyTest.voice(rnd, SECONDS - dialogue);
        int rate = 48_000;
        float[] st = new float[(int) Math.round(SECONDS * rate) * 2];
        int d0 = (int) Math.round(dialogue * rate);
        for (int i = 0; i < st.length / 2; i++) {
            double v = 0.002 * rnd.nextGaussian() + (i >= d0 && i - d0 < voice.length ? voice[i - d0] : 0);
            st[2 * i] = (float) v;
            st[2 * i + 1] = (float) v;
        }
        AudioBuffer raw = new AudioBuffer(rate, 2, st);
        double g = Math.pow(10, (-16 - meter("integrated", raw)) / 20);
        for (int i = 0; i < st.length; i++) st[i] *= (float) g;
        AudioBuffer master = new AudioBuffer(rate, 2, st);
        assertEquals(-16, meter("integrated", master), 0.05);
        assertTrue(20 * Math.log10(meter("truePeak", master)) <= -1, "input already over -1 dBTP");
        float[] masterCopy = st.clone();

        AudioBuffer labelled = s.labelAudio(r, master);
        assertArrayEquals(masterCopy, master.samples(), "the master itself is not modified");
        assertEquals(1, voices.asked.size(), "the notice is synthesised once and reused");
        double lufs = meter("integrated", labelled);
        double tp = 20 * Math.log10(meter("truePeak", labelled));
        System.out.printf("labelled master: %.2f LUFS, %.2f dBTP%n", lufs, tp);
        assertEquals(-16, lufs, 0.2, "the mix keeps its loudness target");
        assertTrue(tp <= -1.0, "true peak " + tp);
        float[] before = left(master), after = left(labelled);
        assertTrue(rmsDb(before, rate, 0.15, noticeEnd) < -45, "the span was quiet before: " + rmsDb(before, rate, 0.15, noticeEnd));
        assertTrue(rmsDb(after, rate, 0.15, noticeEnd) > -30, "the notice is audible: " + rmsDb(after, rate, 0.15, noticeEnd));
        assertTrue(rmsDb(after, rate, 0, 0.12) < -45, "nothing before the notice starts");
        assertTrue(rmsDb(after, rate, 0.15 + 0.2, 0.15 + 0.2 + WORD) > rmsDb(after, rate, noticeEnd + 0.08, dialogue - 0.02) + 20,
                "the notice ends before the dialogue starts");

        Path out = dir.resolve("acme.mp4");
        FrameLabeler labeler = s.frameLabeler(r, W, H);
        try (EncodeSession e = compositor.open(new EncodeRequest(out, W, H, r.timeline(), labelled, s.implicitMetadata(r)))) {
            for (int i = 0; i < frames; i++) {
                byte[] rgb = new byte[W * H * 3];
                for (int y = 0; y < H; y++) System.arraycopy(base, ((y + i % 100) * (W + 200) + (2 * i) % 200) * 3, rgb, y * W * 3, W * 3);
                e.write(labeler.apply(i, new RgbImage(W, H, rgb)));
            }
            e.finish();
        }
        List<LayerStatus> sealed = s.seal(out, r);
        LayerStatus sealedAudio = LabelVerifyTest.layer(sealed, "audio-label");
        assertTrue(sealedAudio.present(), sealedAudio.detail());
        assertTrue(sealedAudio.detail().startsWith("policy acme-tv: spoken notice \"Dieses Video wurde mit KI erzeugt.\" (voice syll-a) at 0.15-2.07 s"),
                sealedAudio.detail());
        assertTrue(LabelVerifyTest.layer(sealed, "visible-label").detail().contains("KI-erzeugt"));

        List<LayerStatus> v = LabelVerifyTest.verify(s, out);
        LayerStatus visible = LabelVerifyTest.layer(v, "visible-label");
        assertEquals(LayerStatus.State.PRESENT, visible.state(), visible.detail());
        assertEquals("KI-erzeugt", visible.facts().get("text"));
        assertEquals("bottom-left", visible.facts().get("corner"));
        assertEquals("true", visible.facts().get("matchesManifest"), visible.facts().toString());
        LayerStatus audio = LabelVerifyTest.layer(v, "audio-label");
        assertEquals(LayerStatus.State.PRESENT, audio.state(), audio.detail());
        assertTrue(audio.detail().startsWith("sound in the span where the signed manifest records the spoken AI notice (0.15-2.07 s)"), audio.detail());
        assertTrue(LabelVerifyTest.layer(v, "c2pa").facts().get("labels").contains("\"audio\":\"spoken-notice\""));

        // the decoded sound: the notice in the first seconds, a gap, then the dialogue
        float[] decoded = ClipDecoder.readAudio(out, 10);
        assertTrue(rmsDb(decoded, rate, 0.2, noticeEnd - 0.05) > -30, "decoded notice level " + rmsDb(decoded, rate, 0.2, noticeEnd - 0.05));
        assertTrue(rmsDb(decoded, rate, noticeEnd + 0.1, dialogue - 0.03) < -40, "gap after the notice " + rmsDb(decoded, rate, noticeEnd + 0.1, dialogue - 0.03));
        assertTrue(rmsDb(decoded, rate, dialogue, SECONDS - 0.2) > -30, "dialogue after it");
    }
}
