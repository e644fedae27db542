package io.kinora.voice.internal.freetts;

import com.sun.speech.freetts.OutputQueue;
import com.sun.speech.freetts.Voice;
import com.sun.speech.freetts.en.us.cmu_us_kal.KevinVoiceDirectory;
import io.kinora.api.media.StageException;

import java.util.List;

/**
 * One allocated kevin16 voice with its in-memory audio player and timing collector. Not thread-safe: the
 * {@link SynthesizerPool} hands each instance to one thread at a time.
 *
 * <p>FreeTTS normally finds voices through {@code freetts.voices} system properties and {@code VoiceManager},
 * which scans class loaders; under OSGi that is fragile, so the voice directory is constructed directly and
 * the thread context class loader is this bundle's loader while the voice loads its lexicon and diphone
 * database. The output thread FreeTTS starts on allocation is closed at once, so each utterance is rendered
 * in the calling thread and no thread outlives the synthesizer.
 */
final class FreeTtsSynthesizer implements AutoCloseable {
    static final String BASE_VOICE = "kevin16";
    static final int SAMPLE_RATE = 16_000;
    /** FreeTTS keeps some loading state in statics (timers); allocate one voice at a time. */
    private static final Object ALLOCATION_LOCK = new Object();

    private final Voice voice;
    private final CapturingAudioPlayer player;
    private final TimingCollector timings;

    /** Raw synthesis: samples at {@link #SAMPLE_RATE} and FreeTTS's tokens with their spans. */
    static final class Result {
        final float[] samples;
        final List<TimingCollector.TokenSpan> tokens;

        Result(float[] samples, List<TimingCollector.TokenSpan> tokens) {
            this.samples = samples;
            this.tokens = tokens;
        }
    }

    private FreeTtsSynthesizer(Voice voice, CapturingAudioPlayer player, TimingCollector timings) {
        this.voice = voice;
        this.player = player;
        this.timings = timings;
    }

    @SuppressWarnings("unchecked")
    static FreeTtsSynthesizer allocate() {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        synchronized (ALLOCATION_LOCK) {
            thread.setContextClassLoader(FreeTtsSynthesizer.class.getClassLoader());
            try {
                Voice voice = null;
                for (Voice v : new KevinVoiceDirectory().getVoices()) {
                    if (BASE_VOICE.equals(v.getName())) {
                        voice = v;
                    }
                }
                if (voice == null) {
                    throw new IllegalStateException("FreeTTS has no voice " + BASE_VOICE);
                }
                CapturingAudioPlayer player = new CapturingAudioPlayer();
                voice.setAudioPlayer(player);
                voice.allocate();
                OutputQueue queue = voice.getOutputQueue();
                voice.setOutputQueue(null); // render in the calling thread
                if (queue != null) {
                    queue.close(); // ends the output thread allocate() started
                }
                TimingCollector timings = new TimingCollector(player, SAMPLE_RATE);
                voice.getUtteranceProcessors().add(timings);
                return new FreeTtsSynthesizer(voice, player, timings);
            } finally {
                thread.setContextClassLoader(previous);
            }
        }
    }

    Result speak(String text, FreeTtsProfile profile) {
        voice.setPitch(profile.pitchHz);
        voice.setPitchRange(profile.pitchRangeHz);
        voice.setRate(profile.wordsPerMinute);
        voice.setPitchShift(1f);
        player.clear();
        timings.clear();
        boolean ok = voice.speak(text);
        if (!ok) {
            throw new StageException("FreeTTS could not speak the line with voice '" + profile.info.id() + "'");
        }
        if (player.samplesCaptured() > 0 && player.sampleRate() != SAMPLE_RATE) {
            throw new IllegalStateException("FreeTTS " + BASE_VOICE + " rendered at " + player.sampleRate()
                    + " Hz, expected " + SAMPLE_RATE);
        }
        Result result = new Result(player.samples(), timings.tokens());
        player.clear();
        timings.clear();
        return result;
    }

    @Override
    public void close() {
        voice.deallocate();
    }
}
