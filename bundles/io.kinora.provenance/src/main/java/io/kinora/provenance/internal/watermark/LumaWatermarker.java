package io.kinora.provenance.internal.watermark;

import io.kinora.api.media.AudioBuffer;
import io.kinora.api.provenance.FrameLabeler;
import io.kinora.api.provenance.LayerStatus;
import io.kinora.api.provenance.ProvenanceRequest;
import io.kinora.provenance.internal.Layers;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The invisible picture watermark: a keyed {@link LumaMark} carrying the 64-bit payload of the content id
 * ({@link Payload#forContent}), added to every frame after the visible label. The sound is not marked yet, and
 * {@link #detect} needs decoded frames, which this bundle cannot produce (no video decoder here).
 */
public final class LumaWatermarker implements Watermarker {
    private static final int REMEMBERED = 1024;
    private final LumaMark mark;
    private final Map<String, AtomicInteger> marked = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, AtomicInteger> eldest) { return size() > REMEMBERED; }
    });

    public LumaWatermarker(String key) {
        this.mark = new LumaMark(key);
    }

    @Override
    public FrameLabeler frameMarker(ProvenanceRequest request, int width, int height) {
        LumaEmbedder e = new LumaEmbedder(mark, Payload.forContent(request.contentId()), width, height);
        AtomicInteger count = marked.computeIfAbsent(request.contentId(), k -> new AtomicInteger());
        return (index, frame) -> {
            synchronized (e) { // one embedder (scratch buffers) per rendition; frames may come from several threads
                e.apply(frame);
            }
            count.incrementAndGet();
            return frame;
        };
    }

    @Override
    public AudioBuffer markAudio(ProvenanceRequest request, AudioBuffer audio) {
        return audio;
    }

    @Override
    public LayerStatus applied(ProvenanceRequest request) {
        AtomicInteger n = marked.remove(request.contentId());
        String payload = Payload.hex(Payload.forContent(request.contentId()));
        if (n == null || n.get() == 0) {
            return new LayerStatus(Layers.WATERMARK, false, "no frames of this content were marked through frameLabeler() by this service");
        }
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("payload", payload);
        facts.put("frames", String.valueOf(n.get()));
        facts.put("audio", "not marked");
        return new LayerStatus(Layers.WATERMARK, true, "keyed luma watermark, payload " + payload + " (64 bits + CRC-24) in " + n.get()
                + " frame(s); sound not marked", LayerStatus.State.PRESENT, facts);
    }

    @Override
    public LayerStatus detect(Path file) {
        return new LayerStatus(Layers.WATERMARK, false, "not machine-checked here: detecting the luma watermark needs decoded frames, and this"
                + " bundle has no video decoder (the detector runs on frames given to it)", LayerStatus.State.UNCHECKED, null);
    }
}
