package io.kinora.provenance.internal;

import io.kinora.api.media.AudioBuffer;
import io.kinora.api.media.StageException;
import io.kinora.api.provenance.FrameLabeler;
import io.kinora.api.provenance.LayerStatus;
import io.kinora.api.provenance.ProvenanceRequest;
import io.kinora.api.provenance.ProvenanceService;
import io.kinora.api.scene.SceneSpec;
import io.kinora.provenance.internal.audio.RhythmCue;
import io.kinora.provenance.internal.audio.RhythmCueDetector;
import io.kinora.provenance.internal.bmff.BmffFormatException;
import io.kinora.provenance.internal.bmff.MetadataEntry;
import io.kinora.provenance.internal.bmff.Mp4Inspection;
import io.kinora.provenance.internal.bmff.Mp4Inspector;
import io.kinora.provenance.internal.c2pa.C2paReport;
import io.kinora.provenance.internal.c2pa.C2paSigner;
import io.kinora.provenance.internal.c2pa.C2paValidator;
import io.kinora.provenance.internal.c2pa.ManifestSigner;
import io.kinora.provenance.internal.c2pa.SigningIdentity;
import io.kinora.provenance.internal.c2pa.SigningSetup;
import io.kinora.provenance.internal.c2pa.UnsignedC2pa;
import io.kinora.provenance.internal.visible.Corner;
import io.kinora.provenance.internal.visible.LabelDetector;
import io.kinora.provenance.internal.visible.LabelFonts;
import io.kinora.provenance.internal.visible.VisibleLabeler;
import io.kinora.provenance.internal.watermark.ClipDecoder;
import io.kinora.provenance.internal.watermark.LumaWatermarker;
import io.kinora.provenance.internal.watermark.NoWatermark;
import io.kinora.provenance.internal.watermark.Watermarker;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.awt.Font;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The provenance stage: visible label burned into frames, GB 45438 audio rhythm cue, GB 45438 implicit label as
 * container metadata, and a pure-Java MP4 box reader that checks the final file ({@link #seal}) and reports
 * every layer of any file ({@link #verify}). C2PA signing and the invisible watermark plug in through
 * {@link C2paSigner} and {@link Watermarker}; until they land, their layers are reported as missing.
 */
@Component(service = ProvenanceService.class, configurationPid = ProvenanceServiceImpl.PID)
@Designate(ocd = ProvenanceConfig.class)
public final class ProvenanceServiceImpl implements ProvenanceService {
    public static final String PID = "io.kinora.provenance";
    /** Separately named logger: one line per sealed file, for compliance records. */
    static final String AUDIT_LOGGER = "io.kinora.audit";

    private static final Logger LOG = LoggerFactory.getLogger(ProvenanceServiceImpl.class);
    private static final Logger AUDIT = LoggerFactory.getLogger(AUDIT_LOGGER);
    /** How many content ids' applied labels are remembered until their seal. */
    private static final int REMEMBERED = 1024;

    private final Map<String, LabelPolicy> policies;
    private final String defaultPolicy;
    private final String producer;
    private final Corner corner;
    private final double heightPercent;
    private final LabelFonts fonts;
    private final C2paSigner signer;
    private final Watermarker watermarker;
    private final Supplier<C2paValidator> validator;
    /** The signing set-up (null in tests that hand in a signer directly). */
    private SigningSetup keys;
    private boolean c2paEnabled = true;
    private final Map<String, Applied> applied = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Applied> eldest) { return size() > REMEMBERED; }
    });

    @Activate
    public ProvenanceServiceImpl(ProvenanceConfig config, BundleContext context) {
        this(config, LabelFonts::systemFonts, setup(config, context), context == null ? "dev" : context.getBundle().getVersion().toString(),
                watermarker(config));
    }

    private ProvenanceServiceImpl(ProvenanceConfig config, Supplier<List<Font>> installedFonts, SigningSetup keys, String version, Watermarker watermarker) {
        this(config, installedFonts, config.c2paEnabled()
                        ? new ManifestSigner(keys::identity, config.timeStampUrl(), digitalSourceType(config), version, keys::validator)
                        : new UnsignedC2pa("C2PA signing is switched off (c2paEnabled=false in configuration " + PID + ")"),
                watermarker, keys::validator);
        this.keys = keys;
        this.c2paEnabled = config.c2paEnabled();
    }

    @Override
    public Map<String, String> signingIdentity() {
        Map<String, String> m = new LinkedHashMap<>();
        if (keys == null) {
            m.put("status", "no signing set-up in this instance");
            return m;
        }
        if (!keys.hasIdentity()) {
            try {
                keys.identity();
            } catch (RuntimeException e) {
                m.put("status", "cannot sign: " + e.getMessage());
            }
        } else {
            SigningIdentity id = keys.identity();
            java.security.cert.X509Certificate leaf = id.leaf();
            m.put("status", c2paEnabled ? "signing every clip" : "identity ready, but C2PA signing is switched off (c2paEnabled=false)");
            m.put("subject", leaf.getSubjectX500Principal().getName());
            m.put("issuer", leaf.getIssuerX500Principal().getName());
            m.put("validFrom", leaf.getNotBefore().toInstant().toString());
            m.put("validUntil", leaf.getNotAfter().toInstant().toString());
            try {
                m.put("certificateSha256", java.util.HexFormat.of().formatHex(
                        java.security.MessageDigest.getInstance("SHA-256").digest(leaf.getEncoded())));
            } catch (java.security.GeneralSecurityException e) {
                m.put("certificateSha256", "unavailable: " + e.getMessage());
            }
            m.put("source", id.local() ? "Kinora's local CA in " + id.source() : "the operator's key store " + id.source());
            m.put("publiclyTrusted", id.local()
                    ? "no: a local CA Kinora created; validators outside this installation trust it only when given its root certificate as a trust anchor"
                    : "as far as the operator's certificate authority is trusted by the validator");
        }
        StringBuilder anchors = new StringBuilder();
        for (var a : keys.anchors()) {
            if (anchors.length() > 0) anchors.append("; ");
            anchors.append(a.name()).append(a.local() ? " [local]" : "");
        }
        m.put("trustAnchors", anchors.length() == 0 ? "none: verify reports signatures as valid but untrusted" : anchors.toString());
        return m;
    }

    /** For tests: signing through the local CA in {@code localCa}. */
    ProvenanceServiceImpl(ProvenanceConfig config, Supplier<List<Font>> installedFonts, Path localCa, Watermarker watermarker) {
        this(config, installedFonts, SigningSetup.resolve(config.signingKeystore(), config._signingKeystorePassword(), config.signingKeyAlias(),
                localCa, config.producer(), config.trustAnchors()), "test", watermarker);
    }

    ProvenanceServiceImpl(ProvenanceConfig config, Supplier<List<Font>> installedFonts, C2paSigner signer, Watermarker watermarker) {
        this(config, installedFonts, signer, watermarker, () -> new C2paValidator(List.of()));
    }

    ProvenanceServiceImpl(ProvenanceConfig config, Supplier<List<Font>> installedFonts, C2paSigner signer, Watermarker watermarker,
                          Supplier<C2paValidator> validator) {
        Map<String, LabelPolicy> p = new LinkedHashMap<>();
        for (LabelPolicy lp : List.of(LabelPolicy.cn(config.cnPersistentLabel()), LabelPolicy.eu(), LabelPolicy.none())) p.put(lp.id(), lp);
        this.policies = Collections.unmodifiableMap(p);
        this.defaultPolicy = config.defaultPolicy() == null ? "" : config.defaultPolicy().trim().toLowerCase(Locale.ROOT);
        this.producer = config.producer() == null ? "" : config.producer().trim();
        Corner c = Corner.fromId(config.labelCorner());
        if (c == null) {
            LOG.warn("Label corner '{}' in configuration {} is not one of top-left, top-right, bottom-left, bottom-right; using top-right",
                    config.labelCorner(), PID);
            c = Corner.TOP_RIGHT;
        }
        this.corner = c;
        double pct = config.labelHeightPercent();
        if (!(pct >= 5.0)) {
            LOG.warn("Label text height {} % in configuration {} is below the GB 45438 minimum; using 5 %", pct, PID);
            pct = 5.0;
        } else if (pct > 20.0) {
            LOG.warn("Label text height {} % in configuration {} is above 20 %; using 20 %", pct, PID);
            pct = 20.0;
        }
        this.heightPercent = pct;
        String fontFile = config.labelFontFile();
        this.fonts = new LabelFonts(fontFile == null || fontFile.isBlank() ? null : Path.of(fontFile.trim()), installedFonts);
        this.signer = signer;
        this.watermarker = watermarker;
        this.validator = validator;
        if (!policies.containsKey(defaultPolicy)) {
            LOG.error("Default label policy '{}' in configuration {} is unknown (known: {}); scenes without a policy will fail",
                    config.defaultPolicy(), PID, String.join(", ", policies.keySet()));
        }
        String producerProblem = AigcLabel.generated(producer, "x").problem();
        if (producerProblem != null) {
            LOG.error("Producer in configuration {} cannot be written into the GB 45438 implicit label: {}", PID, producerProblem);
        }
        LOG.info("Provenance active: default policy {}, producer {}, CN corner label after the opening {}, label {} % at {}",
                defaultPolicy, producer, config.cnPersistentLabel(), heightPercent, corner.id());
    }

    @Override
    public List<String> policies() {
        return List.copyOf(policies.keySet());
    }

    @Override
    public FrameLabeler frameLabeler(ProvenanceRequest request, int width, int height) {
        LabelPolicy policy = policyFor(request);
        if (width <= 0 || height <= 0) throw new StageException("Cannot label frames of " + width + "x" + height);
        FrameLabeler mark = watermarker.frameMarker(request, width, height);
        if (!policy.visible()) return mark;
        String text = policy.text(request.scene() == null ? null : request.scene().language());
        Font font = fonts.fontFor(text);
        VisibleLabeler label = VisibleLabeler.create(text, font, width, height, heightPercent, corner, fps(request),
                policy.openingSeconds(), policy.persistAfterOpening());
        remember(request).labeler = label;
        LOG.debug("Visible label for {}: \"{}\" in {} at {} px, font {}", request.contentId(), text, width + "x" + height,
                label.sprite().textPx(), font.getFontName(Locale.ROOT));
        return (index, frame) -> mark.apply(index, label.apply(index, frame));
    }

    @Override
    public AudioBuffer labelAudio(ProvenanceRequest request, AudioBuffer master) {
        LabelPolicy policy = policyFor(request);
        if (master == null) throw new StageException("No audio to label for content " + request.contentId());
        AudioBuffer out = master;
        Applied a = remember(request);
        if (policy.audioCue()) {
            out = RhythmCue.apply(master);
            a.audio = RhythmCue.describe(master.durationSeconds());
            a.audioApplied = true;
        } else {
            a.audio = "policy " + policy.id() + ": no audio label";
            a.audioApplied = false;
        }
        return watermarker.markAudio(request, out);
    }

    @Override
    public Map<String, String> implicitMetadata(ProvenanceRequest request) {
        checkRequest(request);
        AigcLabel label = AigcLabel.generated(producer, request.contentId());
        String problem = label.problem();
        if (problem != null) {
            throw new StageException("Cannot write the GB 45438 implicit label: " + problem
                    + (problem.startsWith("ContentProducer") ? " (producer in configuration " + PID + ")" : " (content id)"));
        }
        Map<String, String> m = new LinkedHashMap<>();
        m.put(AigcLabel.KEY, label.toJson());
        String model = request.model() == null ? "" : ", model " + request.model();
        m.put("comment", "AI-generated video (made with " + producer + model + "); content ID " + request.contentId());
        if (request.jobId() != null) m.put("kinora.job", request.jobId());
        return Collections.unmodifiableMap(m);
    }

    @Override
    public List<LayerStatus> seal(Path file, ProvenanceRequest request) {
        LabelPolicy policy = policyFor(request);
        Mp4Inspection in = inspect(file);
        String name = String.valueOf(file.getFileName());
        List<MetadataEntry> aigc = aigcEntries(in);
        if (aigc.isEmpty()) {
            throw new StageException(name + " carries no implicit AI label: no AIGC metadata key in moov/udta/meta"
                    + " (the compositor must write implicitMetadata() with movflags use_metadata_tags)");
        }
        if (aigc.size() > 1) {
            throw new StageException(name + " carries " + aigc.size() + " implicit AI labels (" + describeKeys(aigc)
                    + "); GB 45438-2025 §6.1 c) allows exactly one");
        }
        AigcLabel label;
        try {
            label = AigcLabel.parse(aigc.get(0).value());
        } catch (IllegalArgumentException e) {
            throw new StageException(name + ": the implicit label (" + describeKeys(aigc) + ") is malformed: " + e.getMessage());
        }
        if (!request.contentId().equals(label.produceId())) {
            throw new StageException(name + ": the implicit label's ProduceID \"" + label.produceId() + "\" is not this clip's content id \""
                    + request.contentId() + "\"");
        }
        Applied a = applied.remove(request.contentId());
        List<LayerStatus> layers = new ArrayList<>();
        layers.add(visibleApplied(policy, a));
        layers.add(audioApplied(policy, a));
        layers.add(new LayerStatus(Layers.IMPLICIT, true, "read back once from the file: " + describe(aigc.get(0), label)));
        layers.add(signer.sign(file, request, in, labelRecord(policy, a)));
        layers.add(watermarker.applied(request));
        AUDIT.info("seal content={} job={} policy={} file={} layers=[{}]", request.contentId(), request.jobId(), policy.id(), file,
                layers.stream().map(l -> l.layer() + (l.present() ? ":yes" : ":no")).collect(Collectors.joining(" ")));
        return List.copyOf(layers);
    }

    @Override
    public List<LayerStatus> verify(Path file) {
        Mp4Inspection in = inspect(file);
        if (!detectLabels) return verifyLayers(file, in, null, null, validator.get().validate(file));
        // three decodes at once: the sound (shared by the audio watermark and the rhythm cue), the picture for the
        // visible label (its own pass: it reads the opening densely), and the picture for the watermark (this thread)
        ExecutorService pool = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "kinora-verify");
            t.setDaemon(true);
            return t;
        });
        try {
            Future<float[]> sound = pool.submit(() -> ClipDecoder.readAudio(file, LumaWatermarker.AUDIO_SECONDS));
            io.kinora.provenance.internal.c2pa.C2paValidation c2pa = validator.get().validate(file);
            com.fasterxml.jackson.databind.JsonNode recorded = recordedLabel(c2pa);
            Future<LayerStatus> visible = pool.submit(() -> visibleFound(file, recorded));
            return verifyLayers(file, in, sound, visible, c2pa);
        } finally {
            pool.shutdownNow();
        }
    }

    private List<LayerStatus> verifyLayers(Path file, Mp4Inspection in, Future<float[]> sound, Future<LayerStatus> visible,
                                           io.kinora.provenance.internal.c2pa.C2paValidation c2pa) {
        List<LayerStatus> layers = new ArrayList<>();
        LayerStatus watermark = sound == null ? watermarker.detect(file) : watermarker.detect(file, sound);
        if (visible == null) {
            layers.add(new LayerStatus(Layers.VISIBLE, false, "not checked: label detection is switched off", LayerStatus.State.UNCHECKED, null));
            layers.add(new LayerStatus(Layers.AUDIO, false, "not checked: label detection is switched off", LayerStatus.State.UNCHECKED, null));
        } else {
            layers.add(await(visible, Layers.VISIBLE));
            layers.add(audioFound(sound));
        }
        layers.add(implicitFound(in));
        layers.add(C2paReport.of(c2pa));
        layers.add(watermark);
        return List.copyOf(layers);
    }

    /**
     * The perceptible labels as applied, for the signed manifest ({@value C2paSigner#LABEL_ASSERTION}): verify then
     * knows what to look for and says whether the pixels agree.
     */
    private Map<String, Object> labelRecord(LabelPolicy policy, Applied a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("policy", policy.id());
        VisibleLabeler l = a == null ? null : a.labeler;
        if (l != null && l.labelledFrames() > 0) {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("text", l.text());
            v.put("corner", l.corner().id());
            v.put("heightPx", l.sprite().textPx());
            v.put("heightPercent", String.format(Locale.ROOT, "%.2f", heightPercent));
            v.put("x", l.x());
            v.put("y", l.y());
            v.put("openingFrames", l.openingFrames());
            v.put("fps", l.fps());
            v.put("persistent", l.persist());
            v.put("framesLabelled", l.labelledFrames());
            m.put("visible", v);
        }
        m.put("audioCue", a != null && a.audioApplied);
        return m;
    }

    /** What the file's valid manifest says was burned in ({@code visible} of {@value C2paSigner#LABEL_ASSERTION}), or null. */
    private static com.fasterxml.jackson.databind.JsonNode recordedLabel(io.kinora.provenance.internal.c2pa.C2paValidation v) {
        if (v.state() != io.kinora.provenance.internal.c2pa.C2paValidation.State.VALID) return null;
        String json = v.facts().get("labels");
        if (json == null) return null;
        try {
            com.fasterxml.jackson.databind.JsonNode n = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
            return n.path("visible").isObject() ? n.path("visible") : null;
        } catch (java.io.IOException e) {
            return null;
        }
    }

    /** Switched off only by the benchmark, to time verify without the label detectors in the same run. */
    volatile boolean detectLabels = true;

    private static LayerStatus await(Future<LayerStatus> f, String layer) {
        try {
            return f.get();
        } catch (ExecutionException e) {
            String why = e.getCause() instanceof StageException se ? se.getMessage() : String.valueOf(e.getCause());
            return new LayerStatus(layer, false, "not checked: " + why, LayerStatus.State.UNCHECKED, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new LayerStatus(layer, false, "not checked: interrupted", LayerStatus.State.UNCHECKED, null);
        }
    }

    /** Every text the configured policies can burn in. */
    List<String> labelTexts() {
        return LabelPolicy.allTexts();
    }

    private LayerStatus visibleFound(Path file, com.fasterxml.jackson.databind.JsonNode recorded) {
        long t0 = System.nanoTime();
        LabelDetector d = new LabelDetector(labelTexts(), fonts::fontFor, LABEL_SECONDS);
        if (recorded != null) {
            d.expect(recorded.path("text").asText(null), Corner.fromId(recorded.path("corner").asText(null)),
                    recorded.path("heightPercent").asDouble(heightPercent));
        }
        if (!ClipDecoder.readFrames(file, d)) {
            return new LayerStatus(Layers.VISIBLE, false, "no video track", LayerStatus.State.ABSENT, Map.of("picture", "no video"));
        }
        LabelDetector.Result r = d.finish();
        long ms = (System.nanoTime() - t0) / 1_000_000;
        return LabelReport.of(r, ms, recorded);
    }

    private static LayerStatus audioFound(Future<float[]> sound) {
        long t0 = System.nanoTime();
        float[] pcm;
        try {
            pcm = sound.get();
        } catch (ExecutionException e) {
            String why = e.getCause() instanceof StageException se ? se.getMessage() : String.valueOf(e.getCause());
            return new LayerStatus(Layers.AUDIO, false, "not checked: " + why, LayerStatus.State.UNCHECKED, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new LayerStatus(Layers.AUDIO, false, "not checked: interrupted", LayerStatus.State.UNCHECKED, null);
        }
        if (pcm == null) return new LayerStatus(Layers.AUDIO, false, "no audio track", LayerStatus.State.ABSENT, Map.of("audio", "no audio"));
        return LabelReport.of(RhythmCueDetector.detect(pcm), (System.nanoTime() - t0) / 1_000_000);
    }

    /** Seconds of a clip the visible-label pass reads at most (persistence is checked that far). */
    static final double LABEL_SECONDS = 30;

    // ---------------------------------------------------------------------------------------------------------

    @Override
    public double audioLabelSeconds(SceneSpec scene) {
        return policyFor(scene).audioCue() ? RhythmCue.TOTAL_UNITS * RhythmCue.UNIT_SECONDS : 0;
    }

    LabelPolicy policyFor(ProvenanceRequest request) {
        checkRequest(request);
        return policyFor(request.scene());
    }

    private LabelPolicy policyFor(SceneSpec scene) {
        String asked = scene == null ? null : scene.labels().policy();
        if (asked == null || asked.isBlank()) {
            LabelPolicy p = policies.get(defaultPolicy);
            if (p == null) {
                throw new StageException("The default label policy \"" + defaultPolicy + "\" (defaultPolicy in configuration " + PID
                        + ") is unknown; known policies: " + String.join(", ", policies.keySet()));
            }
            return p;
        }
        LabelPolicy p = policies.get(asked.trim().toLowerCase(Locale.ROOT));
        if (p == null) {
            throw new StageException("Unknown label policy \"" + asked + "\" in labels.policy; known policies: " + String.join(", ", policies.keySet()));
        }
        return p;
    }

    private static void checkRequest(ProvenanceRequest request) {
        if (request == null) throw new StageException("No provenance request");
        if (request.contentId() == null || request.contentId().isBlank()) throw new StageException("The provenance request has no content id");
    }

    private static int fps(ProvenanceRequest r) {
        if (r.timeline() != null && r.timeline().fps() > 0) return r.timeline().fps();
        if (r.scene() != null && r.scene().fps() > 0) return r.scene().fps();
        throw new StageException("Cannot time the visible label for content " + r.contentId() + ": no frame rate in the timeline or scene");
    }

    private Applied remember(ProvenanceRequest request) {
        return applied.computeIfAbsent(request.contentId(), k -> new Applied());
    }

    private static LayerStatus visibleApplied(LabelPolicy policy, Applied a) {
        if (!policy.visible()) return new LayerStatus(Layers.VISIBLE, false, "policy " + policy.id() + ": no visible label");
        if (a == null || a.labeler == null) {
            return new LayerStatus(Layers.VISIBLE, false, "policy " + policy.id() + " asks for a visible label, but no frames of this content"
                    + " were labelled through frameLabeler() by this service");
        }
        VisibleLabeler l = a.labeler;
        return new LayerStatus(Layers.VISIBLE, l.labelledFrames() > 0, "policy " + policy.id() + ": " + l.describe());
    }

    private static LayerStatus audioApplied(LabelPolicy policy, Applied a) {
        if (!policy.audioCue()) return new LayerStatus(Layers.AUDIO, false, "policy " + policy.id() + ": no audio label");
        if (a == null || !a.audioApplied) {
            return new LayerStatus(Layers.AUDIO, false, "policy " + policy.id() + " asks for the audio rhythm cue, but the master of this"
                    + " content was not labelled through labelAudio() by this service");
        }
        return new LayerStatus(Layers.AUDIO, true, "policy " + policy.id() + ": " + a.audio);
    }

    private static LayerStatus implicitFound(Mp4Inspection in) {
        if (!in.hasMoov()) return new LayerStatus(Layers.IMPLICIT, false, "no moov box: the file carries no metadata (incomplete MP4?)");
        List<MetadataEntry> aigc = aigcEntries(in);
        if (aigc.isEmpty()) return new LayerStatus(Layers.IMPLICIT, false, "no AIGC metadata key in moov/udta/meta or moov/meta");
        List<String> parts = new ArrayList<>();
        Map<String, String> facts = new LinkedHashMap<>();
        boolean ok = false;
        boolean broken = false;
        for (MetadataEntry e : aigc) {
            try {
                AigcLabel l = AigcLabel.parse(e.value());
                parts.add(describe(e, l));
                if (!ok) {
                    facts.put("key", e.key());
                    facts.put("location", e.location());
                    facts.put("Label", l.label());
                    facts.put("ContentProducer", l.contentProducer());
                    facts.put("ProduceID", l.produceId());
                    facts.put("ContentPropagator", l.contentPropagator());
                    facts.put("PropagateID", l.propagateId());
                }
                ok = true;
            } catch (IllegalArgumentException ex) {
                broken = true;
                parts.add(e.key() + " in " + e.location() + " is not a GB 45438 label: " + ex.getMessage());
            }
        }
        String detail = String.join("; ", parts);
        if (aigc.size() > 1) {
            detail += "; " + aigc.size() + " copies, GB 45438-2025 §6.1 c) allows one";
            broken = true;
        }
        facts.put("copies", String.valueOf(aigc.size()));
        return new LayerStatus(Layers.IMPLICIT, ok, detail, broken ? LayerStatus.State.INVALID : LayerStatus.State.VALID, facts);
    }

    private static SigningSetup setup(ProvenanceConfig config, BundleContext context) {
        if (context != null) ClipDecoder.configureCacheDir(context.getProperty("kinora.work")); // FFmpeg natives for verify
        Path dir = null;
        String configured = config.localCaDirectory();
        if (configured != null && !configured.isBlank()) {
            dir = Path.of(configured.trim());
        } else if (context != null) {
            String work = context.getProperty("kinora.work");
            if (work != null && !work.isBlank()) dir = Path.of(work, "provenance", "local-ca");
            else if (context.getDataFile("local-ca") != null) dir = context.getDataFile("local-ca").toPath();
        }
        return SigningSetup.resolve(config.signingKeystore(), config._signingKeystorePassword(), config.signingKeyAlias(), dir, config.producer(),
                config.trustAnchors());
    }

    private static Watermarker watermarker(ProvenanceConfig config) {
        if (!config.watermarkEnabled()) return new NoWatermark();
        String key = config._watermarkKey();
        return new LumaWatermarker(key == null || key.isEmpty() ? "kinora-default-watermark-key" : key);
    }

    private static String digitalSourceType(ProvenanceConfig config) {
        String t = config.digitalSourceType();
        if (ManifestSigner.TRAINED.equals(t) || ManifestSigner.COMPOSITE.equals(t)) return t;
        LOG.warn("digitalSourceType '{}' in configuration {} is not an IPTC AI source type Kinora knows; using {}", t, PID, ManifestSigner.TRAINED);
        return ManifestSigner.TRAINED;
    }

    /** Items whose key contains {@code AIGC}, as GB 45438 Annex E names the extension field. */
    private static List<MetadataEntry> aigcEntries(Mp4Inspection in) {
        return in.metadata().stream().filter(e -> e.key().contains(AigcLabel.KEY)).toList();
    }

    private static String describe(MetadataEntry e, AigcLabel l) {
        return e.key() + " in " + e.location() + ": Label " + l.label() + " (" + l.labelMeaning() + "), ContentProducer " + l.contentProducer()
                + ", ProduceID " + l.produceId() + ", ContentPropagator " + l.contentPropagator() + ", PropagateID " + l.propagateId();
    }

    private static String describeKeys(List<MetadataEntry> entries) {
        return entries.stream().map(e -> e.key() + " in " + e.location()).collect(Collectors.joining(", "));
    }

    private static Mp4Inspection inspect(Path file) {
        if (file == null) throw new StageException("No file to inspect");
        if (!Files.exists(file)) throw new StageException("File not found: " + file);
        if (!Files.isRegularFile(file)) throw new StageException(file + " is not a regular file");
        try {
            return Mp4Inspector.inspect(file);
        } catch (BmffFormatException e) {
            throw new StageException(file + (e.notBmff() ? " is not an MP4/ISO-BMFF file: " : " is a damaged MP4 file: ") + e.getMessage());
        } catch (IOException e) {
            throw new StageException("Cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** What was applied to one content id before its seal. */
    private static final class Applied {
        volatile VisibleLabeler labeler;
        volatile String audio;
        volatile boolean audioApplied;
    }
}
