package io.kinora.voice.internal.freetts;

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
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * English speech with FreeTTS 1.2.2 (embedded): catalogue voices derived from the kevin16 diphone voice by
 * pitch, pitch range and rate; mono 16 kHz audio; word timings read from FreeTTS's own segment timing.
 */
@Component(service = VoiceEngine.class, configurationPid = FreeTtsVoiceEngine.PID,
        property = FreeTtsVoiceEngine.ENGINE_PROPERTY + "=" + FreeTtsVoiceEngine.ENGINE_ID)
@Designate(ocd = FreeTtsVoiceEngine.Config.class)
public final class FreeTtsVoiceEngine implements VoiceEngine {
    public static final String ENGINE_ID = "freetts";
    public static final String PID = "io.kinora.voice.freetts";
    /** Service property naming the engine, for consoles and filters. */
    public static final String ENGINE_PROPERTY = "kinora.voice.engine";

    @ObjectClassDefinition(name = "Kinora FreeTTS voice engine",
            description = "English text-to-speech with the embedded FreeTTS kevin16 voice")
    public @interface Config {
        @AttributeDefinition(name = "Parallel syntheses",
                description = "How many lines may be synthesized at the same time; each needs its own loaded "
                        + "FreeTTS voice (measured: the first about 16 MB of heap and 0.35 s to load, each further one about 6 MB and 0.16 s)", min = "1", max = "32")
        int maxParallelSyntheses() default 2;
    }

    private static final Logger LOG = LoggerFactory.getLogger(FreeTtsVoiceEngine.class);

    private final Map<String, FreeTtsProfile> profiles = new LinkedHashMap<>();
    private final List<VoiceInfo> voices;
    private final SynthesizerPool<FreeTtsSynthesizer> pool;

    @Activate
    public FreeTtsVoiceEngine(Config config) {
        this(config.maxParallelSyntheses());
    }

    public FreeTtsVoiceEngine(int maxParallelSyntheses) {
        for (FreeTtsProfile p : FreeTtsProfile.CATALOGUE) {
            profiles.put(p.info.id(), p);
        }
        this.voices = profiles.values().stream().map(p -> p.info).collect(Collectors.toUnmodifiableList());
        this.pool = new SynthesizerPool<>(maxParallelSyntheses, FreeTtsSynthesizer::allocate);
        LOG.info("FreeTTS voice engine ready: {} voices, up to {} parallel syntheses", voices.size(),
                maxParallelSyntheses);
    }

    @Deactivate
    public void deactivate() {
        pool.close();
    }

    @Override
    public String id() {
        return ENGINE_ID;
    }

    @Override
    public List<VoiceInfo> voices() {
        return voices;
    }

    /** Allocated synthesizers now idle (for tests and diagnostics). */
    int poolIdleCount() {
        return pool.idleCount();
    }

    /** Output sample rate of every voice of this engine. */
    public int sampleRate() {
        return FreeTtsSynthesizer.SAMPLE_RATE;
    }

    @Override
    public Speech synthesize(SpeechRequest request) {
        FreeTtsProfile profile = SpeechRequests.profile(request, profiles, ENGINE_ID);
        SpeechRequests.requireLanguage(request, profile.info, ENGINE_ID);
        SpeechMarkup markup = SpeechRequests.markup(request, profile.info);
        long started = System.nanoTime();
        List<WordTiming> timings = new ArrayList<>();
        float[] samples;
        if (!markup.expressive()) {
            Rendered r = render(markup.plainText(), profile);
            samples = r.samples;
            timings.addAll(r.words);
        } else {
            // one FreeTTS utterance per marked-up stretch, each in its own prosody, joined with the pauses
            List<float[]> parts = new ArrayList<>();
            double offset = 0;
            int rate = FreeTtsSynthesizer.SAMPLE_RATE;
            for (SpeechMarkup.Item item : markup.items()) {
                if (item instanceof SpeechMarkup.Pause pause) {
                    float[] silence = new float[(int) Math.round(pause.seconds() * rate)];
                    parts.add(silence);
                    offset += silence.length / (double) rate;
                    continue;
                }
                SpeechMarkup.Text text = (SpeechMarkup.Text) item;
                if (LineWords.split(text.text()).isEmpty()) continue;
                SpeechMarkup.Style st = text.style();
                double pitch = st.pitch() * (st.emphasis() > 0 ? 1.08 : 1);
                double speed = st.rate() * (st.emphasis() > 0 ? 0.92 : 1);
                double gainDb = st.volumeDb();
                if (st.quality() == SpeechMarkup.Quality.SHOUT) {
                    pitch *= 1.15;
                    speed *= 1.1;
                    gainDb += 6;
                } else if (st.quality() == SpeechMarkup.Quality.WHISPER) {
                    speed *= 0.9;
                    gainDb -= 10; // FreeTTS's diphones cannot whisper: a whisper is spoken soft and slower
                }
                Rendered r = render(text.text(), profile.scaled(pitch, speed));
                float gain = (float) Math.pow(10, gainDb / 20);
                for (int i = 0; i < r.samples.length; i++) {
                    r.samples[i] = Math.max(-1f, Math.min(1f, r.samples[i] * gain));
                }
                for (WordTiming w : r.words) timings.add(w.shift(offset));
                parts.add(r.samples);
                offset += r.samples.length / (double) rate;
            }
            int n = parts.stream().mapToInt(a -> a.length).sum();
            samples = new float[n];
            int at = 0;
            for (float[] a : parts) {
                System.arraycopy(a, 0, samples, at, a.length);
                at += a.length;
            }
        }
        Speech speech = SpeechTrimmer.trim(profile.info.id(), samples, FreeTtsSynthesizer.SAMPLE_RATE, timings);
        if (LOG.isDebugEnabled()) {
            double seconds = speech.audio().durationSeconds();
            double took = (System.nanoTime() - started) / 1e9;
            LOG.debug("{}: {} words, {} s of speech in {} s", profile.info.id(), timings.size(),
                    String.format("%.2f", seconds), String.format("%.3f", took));
        }
        return speech;
    }

    private record Rendered(float[] samples, List<WordTiming> words) {
    }

    private Rendered render(String text, FreeTtsProfile profile) {
        List<String> words = LineWords.split(text);
        List<String> spoken = FreeTtsText.spokenForms(words, profile.info.id());
        String input = spoken.stream().filter(s -> !s.isEmpty()).collect(Collectors.joining(" "));
        if (input.isBlank()) {
            throw new StageException("voice '" + profile.info.id() + "' found nothing it can pronounce in the line");
        }
        FreeTtsSynthesizer.Result raw = pool.with(s -> s.speak(input, profile));
        if (raw.samples.length == 0) {
            throw new StageException("voice '" + profile.info.id() + "' found nothing it can pronounce in the line");
        }
        return new Rendered(raw.samples, align(words, spoken, raw.tokens));
    }

    /**
     * Pairs the line's words with FreeTTS's tokens. FreeTTS makes one token of every whitespace-separated
     * run of characters, so the non-empty spoken forms and the tokens correspond one to one; words with
     * nothing to say, and tokens FreeTTS said nothing for (a lone dash), get an empty span where they stand.
     * Should the counts ever differ, FreeTTS's own tokens are reported so the timings stay real.
     */
    static List<WordTiming> align(List<String> words, List<String> spoken, List<TimingCollector.TokenSpan> tokens) {
        long sayable = spoken.stream().filter(s -> !s.isEmpty()).count();
        List<WordTiming> out = new ArrayList<>(words.size());
        double cursor = firstStart(tokens);
        if (sayable != tokens.size()) {
            LOG.debug("FreeTTS made {} tokens of {} words; reporting its tokens", tokens.size(), sayable);
            for (TimingCollector.TokenSpan t : tokens) {
                cursor = add(out, t.text, t, cursor);
            }
            return out;
        }
        int next = 0;
        for (int i = 0; i < words.size(); i++) {
            TimingCollector.TokenSpan token = spoken.get(i).isEmpty() ? null : tokens.get(next++);
            cursor = add(out, words.get(i), token, cursor);
        }
        return out;
    }

    private static double add(List<WordTiming> out, String word, TimingCollector.TokenSpan token, double cursor) {
        if (token != null && token.timed()) {
            double start = Math.max(cursor, token.start);
            double end = Math.max(start, token.end);
            out.add(new WordTiming(word, start, end));
            return end;
        }
        out.add(new WordTiming(word, cursor, cursor));
        return cursor;
    }

    private static double firstStart(List<TimingCollector.TokenSpan> tokens) {
        for (TimingCollector.TokenSpan t : tokens) {
            if (t.timed()) return t.start;
        }
        return 0;
    }
}
