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
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The invisible picture watermark: a keyed {@link LumaMark} carrying the 64-bit payload of the content id
 * ({@link Payload#forContent}), added to every frame after the visible label. {@link #detect} decodes up to 60
 * frames spread over a file with the embedded FFmpeg ({@link ClipDecoder}) and reports what it finds.
 */
public final class LumaWatermarker implements Watermarker {
    private static final int REMEMBERED = 1024;
    /** Frames decoded for detection, spread over the clip. */
    static final int FRAMES_READ = 60;
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
        long t0 = System.nanoTime();
        LumaDetector luma = new LumaDetector(mark);
        ClipDecoder.Decoded clip;
        try {
            clip = ClipDecoder.read(file, luma, FRAMES_READ, 0);
        } catch (StageException e) {
            return new LayerStatus(Layers.WATERMARK, false, "not checked: " + e.getMessage(), LayerStatus.State.UNCHECKED, null);
        }
        LumaDetector.Detection d = luma.detect();
        long ms = (System.nanoTime() - t0) / 1_000_000;
        return report(d, clip, ms);
    }

    static LayerStatus report(LumaDetector.Detection d, ClipDecoder.Decoded clip, long ms) {
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("picture", d.found() ? "found" : clip.framesRead() == 0 ? "no video" : "not found");
        if (d.found()) facts.put("payload", Payload.hex(d.payload()));
        facts.put("syncZ", String.format(Locale.ROOT, "%.2f", d.syncZ()));
        facts.put("threshold", String.format(Locale.ROOT, "%.2f", LumaDetector.SYNC_Z));
        if (d.found()) {
            facts.put("bitErrors", d.corrected() + "/" + LumaMark.CODED_BITS);
            facts.put("confidence", String.format(Locale.ROOT, "%.9f", d.confidence()));
            facts.put("scale", String.format(Locale.ROOT, "%.3f", d.scale()));
        }
        facts.put("frames", clip.framesRead() + " of " + clip.framesInClip());
        facts.put("size", clip.width() + "x" + clip.height());
        facts.put("detectMs", String.valueOf(ms));
        if (d.found()) {
            return new LayerStatus(Layers.WATERMARK, true, "luma watermark found: payload " + Payload.hex(d.payload()) + " (sync z "
                    + String.format(Locale.ROOT, "%.1f", d.syncZ()) + ", " + d.corrected() + " of " + LumaMark.CODED_BITS
                    + " coded bits corrected, CRC-24 checks; " + clip.framesRead() + " frames)", LayerStatus.State.PRESENT, facts);
        }
        return new LayerStatus(Layers.WATERMARK, false, "no luma watermark found for this key (sync z " + String.format(Locale.ROOT, "%.1f", d.syncZ())
                + ", threshold " + LumaDetector.SYNC_Z + "; " + clip.framesRead() + " frames read)", LayerStatus.State.ABSENT, facts);
    }
}
