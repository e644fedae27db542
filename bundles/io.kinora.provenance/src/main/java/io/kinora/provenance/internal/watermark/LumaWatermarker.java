package io.kinora.provenance.internal.watermark;

import io.kinora.api.media.AudioBuffer;
import io.kinora.api.media.StageException;
import io.kinora.api.provenance.FrameLabeler;
import io.kinora.api.provenance.LayerStatus;
import io.kinora.api.provenance.ProvenanceRequest;
import io.kinora.provenance.internal.Layers;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The invisible picture watermark: a keyed {@link LumaMark} carrying the 64-bit payload of the content id
 * ({@link Payload#forContent}), added to every frame after the visible label. {@link #detect} decodes up to 60
 * frames spread over a file (fewer once the payload is read) and up to 20 s of its sound, in parallel, with the
 * embedded FFmpeg ({@link ClipDecoder}) and reports what it finds.
 */
public final class LumaWatermarker implements Watermarker {
    private static final int REMEMBERED = 1024;
    /** Frames decoded for detection, spread over the clip. */
    static final int FRAMES_READ = 60;
    /** Frames between two early looks at the picture mark while decoding. */
    static final int CHECK_EVERY = 12;
    /** Seconds of sound decoded for the audio watermark (the mark's cycle is 5.46 s; more repetitions add up). */
    public static final double AUDIO_SECONDS = 20;
    private final LumaMark mark;
    private final AudioMark audioMark;
    private final Map<String, String> audioMarked = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) { return size() > REMEMBERED; }
    });
    private final Map<String, AtomicInteger> marked = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, AtomicInteger> eldest) { return size() > REMEMBERED; }
    });

    /** Time spent marking frames, per content id (reported by {@link #applied} as embedMs). */
    private final Map<String, AtomicLong> embedNanos = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, AtomicLong> eldest) { return size() > REMEMBERED; }
    });

    public LumaWatermarker(String key) {
        this.mark = new LumaMark(key);
        this.audioMark = new AudioMark(key);
    }

    @Override
    public FrameLabeler frameMarker(ProvenanceRequest request, int width, int height) {
        LumaEmbedder e = new LumaEmbedder(mark, Payload.forContent(request.contentId()), width, height);
        AtomicInteger count = marked.computeIfAbsent(request.contentId(), k -> new AtomicInteger());
        AtomicLong nanos = embedNanos.computeIfAbsent(request.contentId(), k -> new AtomicLong());
        return (index, frame) -> {
            long t0 = System.nanoTime();
            synchronized (e) { // one embedder (scratch buffers) per rendition; frames may come from several threads
                e.apply(frame);
            }
            nanos.addAndGet(System.nanoTime() - t0);
            count.incrementAndGet();
            return frame;
        };
    }

    @Override
    public AudioBuffer markAudio(ProvenanceRequest request, AudioBuffer audio) {
        if (!AudioMark.supports(audio)) {
            audioMarked.put(request.contentId(), "not marked: the audio watermark needs 48 kHz sound, the master is " + audio.sampleRate() + " Hz");
            return audio;
        }
        AudioBuffer out = audioMark.mark(audio, Payload.forContent(request.contentId()));
        audioMarked.put(request.contentId(), "marked");
        return out;
    }

    @Override
    public LayerStatus applied(ProvenanceRequest request) {
        AtomicInteger n = marked.remove(request.contentId());
        AtomicLong nanos = embedNanos.remove(request.contentId());
        String audio = audioMarked.remove(request.contentId());
        if (audio == null) audio = "not marked: the sound did not go through labelAudio()";
        String payload = Payload.hex(Payload.forContent(request.contentId()));
        if (n == null || n.get() == 0) {
            return new LayerStatus(Layers.WATERMARK, false, "no frames of this content were marked through frameLabeler() by this service");
        }
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("payload", payload);
        facts.put("frames", String.valueOf(n.get()));
        if (nanos != null) facts.put("embedMs", String.format(Locale.ROOT, "%.1f", nanos.get() / 1e6));
        facts.put("audio", audio);
        return new LayerStatus(Layers.WATERMARK, true, "keyed luma watermark, payload " + payload + " (64 bits + CRC-24) in " + n.get()
                + " frame(s); sound " + audio, LayerStatus.State.PRESENT, facts);
    }

    /**
     * Reads both marks from a file: the sound (decode + detection) on its own thread while this thread decodes and
     * folds the picture, which stops early once the payload is read with a matching CRC (checked every
     * {@value #CHECK_EVERY} frames).
     */
    @Override
    public LayerStatus detect(Path file) {
        ExecutorService decode = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "kinora-watermark-decode");
            t.setDaemon(true);
            return t;
        });
        try {
            return detect(file, decode.submit(() -> ClipDecoder.readAudio(file, AUDIO_SECONDS)));
        } finally {
            decode.shutdownNow();
        }
    }

    @Override
    public LayerStatus detect(Path file, Future<float[]> pcmSound) {
        long t0 = System.nanoTime();
        LumaDetector luma = new LumaDetector(mark);
        ExecutorService sound = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "kinora-watermark-sound");
            t.setDaemon(true);
            return t;
        });
        try {
            Future<AudioMark.Detection> audio = sound.submit(() -> {
                float[] pcm = pcmSound.get();
                return pcm == null ? null : audioMark.detect(pcm);
            });
            LumaDetector.Detection[] early = new LumaDetector.Detection[1];
            ClipDecoder.Video video = ClipDecoder.readVideo(file, luma, FRAMES_READ, CHECK_EVERY, () -> {
                LumaDetector.Detection d = luma.detect();
                if (d.found()) early[0] = d;
                return d.found();
            });
            LumaDetector.Detection d = early[0] != null ? early[0] : luma.detect();
            AudioMark.Detection a = audio.get();
            ClipDecoder.Decoded clip = video == null
                    ? new ClipDecoder.Decoded(0, 0, 0, 0, null)
                    : new ClipDecoder.Decoded(video.width(), video.height(), video.framesRead(), video.framesInClip(), null);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            return report(d, a, clip, ms);
        } catch (StageException e) {
            return new LayerStatus(Layers.WATERMARK, false, "not checked: " + e.getMessage(), LayerStatus.State.UNCHECKED, null);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            while (cause instanceof ExecutionException && cause.getCause() != null) cause = cause.getCause();
            String why = cause instanceof StageException se ? se.getMessage() : String.valueOf(cause);
            return new LayerStatus(Layers.WATERMARK, false, "not checked: " + why, LayerStatus.State.UNCHECKED, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new LayerStatus(Layers.WATERMARK, false, "not checked: interrupted", LayerStatus.State.UNCHECKED, null);
        } finally {
            sound.shutdownNow();
        }
    }

    static LayerStatus report(LumaDetector.Detection d, AudioMark.Detection a, ClipDecoder.Decoded clip, long ms) {
        Map<String, String> facts = new LinkedHashMap<>();
        Long payload = d.found() ? d.payload() : a != null && a.found() ? a.payload() : null;
        if (payload != null) facts.put("payload", Payload.hex(payload));
        facts.put("picture", d.found() ? "found" : clip.framesRead() == 0 ? "no video" : "not found");
        if (d.found()) facts.put("picturePayload", Payload.hex(d.payload()));
        facts.put("syncZ", String.format(Locale.ROOT, "%.2f", d.syncZ()));
        facts.put("threshold", String.format(Locale.ROOT, "%.2f", LumaDetector.SYNC_Z));
        if (d.found()) {
            facts.put("bitErrors", d.corrected() + "/" + LumaMark.CODED_BITS);
            facts.put("confidence", String.format(Locale.ROOT, "%.9f", d.confidence()));
            facts.put("scale", String.format(Locale.ROOT, "%.3f", d.scale()));
        }
        facts.put("frames", clip.framesRead() + " of " + clip.framesInClip());
        facts.put("size", clip.width() + "x" + clip.height());
        facts.put("audio", a == null ? "no audio" : a.found() ? "found" : "not found");
        if (a != null) {
            if (a.found()) facts.put("audioPayload", Payload.hex(a.payload()));
            facts.put("audioSyncZ", String.format(Locale.ROOT, "%.2f", a.syncZ()));
            facts.put("audioThreshold", String.format(Locale.ROOT, "%.2f", AudioMark.SYNC_Z));
            if (a.found()) {
                facts.put("audioBitErrors", a.bitErrors() + "/" + AudioMark.CODED);
                facts.put("audioOffset", String.valueOf(a.offset()));
            }
            facts.put("audioSeconds", String.format(Locale.ROOT, "%.2f", a.seconds()));
        }
        facts.put("detectMs", String.valueOf(ms));
        String picture = d.found()
                ? "picture: payload " + Payload.hex(d.payload()) + " (sync z " + String.format(Locale.ROOT, "%.1f", d.syncZ()) + ", " + d.corrected()
                + " of " + LumaMark.CODED_BITS + " coded bits corrected, CRC-24 checks, " + clip.framesRead() + " frames)"
                : "picture: not found (sync z " + String.format(Locale.ROOT, "%.1f", d.syncZ()) + ", threshold " + LumaDetector.SYNC_Z + ", "
                + clip.framesRead() + " frames)";
        String sound = a == null ? "sound: no audio track" : a.found()
                ? "sound: payload " + Payload.hex(a.payload()) + " (sync z " + String.format(Locale.ROOT, "%.1f", a.syncZ()) + ", " + a.bitErrors()
                + " of " + AudioMark.CODED + " coded bits corrected)"
                : "sound: not found (sync z " + String.format(Locale.ROOT, "%.1f", a.syncZ()) + ", threshold " + AudioMark.SYNC_Z + ")";
        boolean found = d.found() || a != null && a.found();
        if (found && d.found() && a != null && a.found() && !d.payload().equals(a.payload())) {
            return new LayerStatus(Layers.WATERMARK, true, "watermarks disagree: " + picture + "; " + sound, LayerStatus.State.INVALID, facts);
        }
        return new LayerStatus(Layers.WATERMARK, found, (found ? "watermark found; " : "no watermark found for this key; ") + picture + "; " + sound,
                found ? LayerStatus.State.PRESENT : LayerStatus.State.ABSENT, facts);
    }
}
