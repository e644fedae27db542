package io.kinora.provenance.internal;

import io.kinora.api.media.AudioBuffer;
import io.kinora.api.media.StageException;
import io.kinora.api.provenance.FrameLabeler;
import io.kinora.api.provenance.LayerStatus;
import io.kinora.api.provenance.ProvenanceRequest;
import io.kinora.api.provenance.ProvenanceService;
import io.kinora.api.scene.SceneSpec;
import io.kinora.api.voice.Speech;
import io.kinora.api.voice.SpeechRequest;
import io.kinora.api.voice.VoiceInfo;
import io.kinora.api.voice.VoiceService;
import io.kinora.provenance.internal.audio.RhythmCue;
import io.kinora.provenance.internal.audio.RhythmCueDetector;
import io.kinora.provenance.internal.audio.SpokenNotice;
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
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
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
import java.util.concurrent.CopyOnWriteArrayList;
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

    /** cn, eu, none. */
    private final Map<String, LabelPolicy> builtIns;
    /** Every bound factory configuration {@value LabelPolicyConfig#FACTORY_PID}, valid or not. */
    private final List<CustomPolicy> customs = new CopyOnWriteArrayList<>();
    /** Built-ins and the valid, non-duplicate custom policies; replaced whenever a configuration comes or goes. */
    private volatile Map<String, LabelPolicy> policies;
    /** Duplicate-id messages already logged (one log line per conflict, not per lookup). */
    private final java.util.Set<String> loggedConflicts = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** The fallback message last logged for an unknown default policy (logged again only when it changes). */
    private volatile String loggedFallback;
    private final String defaultPolicy;
    /** The voice service for spoken notices; optional, dynamic. */
    private volatile VoiceService voice;
    /** Synthesised notices by voice, language and text: audioLabelSeconds and labelAudio use the same speech. */
    private final Map<String, Speech> notices = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Speech> eldest) { return size() > 32; }
    });
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
        this.builtIns = Collections.unmodifiableMap(p);
        this.policies = builtIns;
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
        if (!builtIns.containsKey(defaultPolicy)) {
            LOG.info("Default label policy '{}' is not built-in; a label policy configuration ({}) must define it, else scenes without a policy get {}",
                    defaultPolicy, LabelPolicyConfig.FACTORY_PID, LabelPolicy.EU);
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

    /** A custom label policy (factory configuration) came: it is selectable from now on, no restart. */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void addCustomPolicy(CustomPolicy custom) {
        customs.add(custom);
        rebuildPolicies();
    }

    void removeCustomPolicy(CustomPolicy custom) {
        customs.remove(custom);
        rebuildPolicies();
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void setVoiceService(VoiceService service) {
        voice = service;
        notices.clear();
    }

    void unsetVoiceService(VoiceService service) {
        if (voice == service) voice = null;
        notices.clear();
    }

    /**
     * Built-ins plus every valid custom policy. Two configurations with the same id: the one whose configuration
     * name sorts first wins (deterministic whatever the binding order); the other is logged and ignored until
     * the first goes away.
     */
    private synchronized void rebuildPolicies() {
        Map<String, LabelPolicy> p = new LinkedHashMap<>(builtIns);
        Map<String, String> owner = new java.util.HashMap<>();
        List<CustomPolicy> sorted = new ArrayList<>(customs);
        sorted.sort(java.util.Comparator.comparing(CustomPolicy::configuration));
        java.util.Set<String> conflicts = new java.util.HashSet<>();
        for (CustomPolicy c : sorted) {
            LabelPolicy lp = c.policy();
            if (lp == null) continue;
            if (p.containsKey(lp.id())) {
                String msg = "Label policy id '" + lp.id() + "' is defined by two configurations, " + owner.get(lp.id()) + " and "
                        + c.configuration() + "; " + owner.get(lp.id()) + " is used and " + c.configuration()
                        + " is ignored (give one of them another policyId)";
                conflicts.add(msg);
                if (loggedConflicts.add(msg)) LOG.error(msg);
                continue;
            }
            p.put(lp.id(), lp);
            owner.put(lp.id(), c.configuration());
        }
        loggedConflicts.retainAll(conflicts);
        Map<String, LabelPolicy> before = policies;
        policies = Collections.unmodifiableMap(p);
        if (!before.keySet().equals(p.keySet())) LOG.info("Label policies now: {}", String.join(", ", p.keySet()));
    }

    /** The policy a scene gets, and, when the configured default is unknown and eu stands in, why. */
    record Chosen(LabelPolicy policy, String fallback) {
    }

    @Override
    public FrameLabeler frameLabeler(ProvenanceRequest request, int width, int height) {
        LabelPolicy policy = policyFor(request);
        if (width <= 0 || height <= 0) throw new StageException("Cannot label frames of " + width + "x" + height);
        FrameLabeler mark = watermarker.frameMarker(request, width, height);
        if (!policy.visible()) return mark;
        String text = policy.text(request.scene() == null ? null : request.scene().language());
        Font font = fonts.fontFor(text);
        double pct = heightPercent(policy);
        VisibleLabeler label = VisibleLabeler.create(text, font, width, height, pct, policy.corner() != null ? policy.corner() : corner,
                fps(request), policy.openingSeconds(), policy.persistAfterOpening());
        Applied applied = remember(request);
        applied.labeler = label;
        applied.heightPercent = pct;
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
        } else if (policy.audio() == LabelPolicy.Audio.SPOKEN_NOTICE) {
            Speech speech = notice(policy, request.scene());
            SpokenNotice.Result r = SpokenNotice.apply(master, speech.audio(), noticeText(policy, request.scene()), speech.voice());
            out = r.audio();
            a.audio = r.description();
            a.audioApplied = true;
            a.notice = r;
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
        String fallback = choose(request.scene()).fallback();
        List<LayerStatus> layers = new ArrayList<>();
        LayerStatus visible = visibleApplied(policy, a);
        if (fallback != null) {
            visible = new LayerStatus(visible.layer(), visible.present(), visible.detail() + " [" + fallback + "]", visible.state(), visible.facts());
        }
        layers.add(visible);
        layers.add(audioApplied(policy, a));
        layers.add(new LayerStatus(Layers.IMPLICIT, true, "read back once from the file: " + describe(aigc.get(0), label)));
        Map<String, Object> record = labelRecord(policy, a);
        if (fallback != null) record.put("defaultFallback", fallback);
        layers.add(signer.sign(file, request, in, record));
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
            layers.add(audioFound(sound, recordedNotice(c2pa)));
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
            v.put("heightPercent", String.format(Locale.ROOT, "%.2f", Double.isNaN(a.heightPercent) ? heightPercent : a.heightPercent));
            v.put("x", l.x());
            v.put("y", l.y());
            v.put("openingFrames", l.openingFrames());
            v.put("fps", l.fps());
            v.put("persistent", l.persist());
            v.put("framesLabelled", l.labelledFrames());
            m.put("visible", v);
        }
        m.put("audioCue", a != null && a.audioApplied && policy.audioCue());
        m.put("audio", a != null && a.audioApplied ? policy.audio().id() : LabelPolicy.Audio.NONE.id());
        if (a != null && a.notice != null) {
            Map<String, Object> n = new LinkedHashMap<>();
            n.put("start", String.format(Locale.ROOT, "%.3f", a.notice.startSeconds()));
            n.put("end", String.format(Locale.ROOT, "%.3f", a.notice.endSeconds()));
            n.put("lufs", String.format(Locale.ROOT, "%.1f", a.notice.noticeLufs()));
            m.put("notice", n);
        }
        if (!policy.builtInPolicy()) m.put("policySource", policy.source());
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
        java.util.LinkedHashSet<String> all = new java.util.LinkedHashSet<>(LabelPolicy.allTexts());
        for (LabelPolicy p : policies.values()) if (!p.builtInPolicy()) all.addAll(p.visibleTexts());
        return List.copyOf(all);
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

    /** The span {start, end} (s) of the spoken notice the file's valid manifest records, or null. */
    private static double[] recordedNotice(io.kinora.provenance.internal.c2pa.C2paValidation v) {
        if (v.state() != io.kinora.provenance.internal.c2pa.C2paValidation.State.VALID) return null;
        String json = v.facts().get("labels");
        if (json == null) return null;
        try {
            com.fasterxml.jackson.databind.JsonNode n = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
            if (!LabelPolicy.Audio.SPOKEN_NOTICE.id().equals(n.path("audio").asText()) || !n.path("notice").isObject()) return null;
            double start = Double.parseDouble(n.path("notice").path("start").asText("nan"));
            double end = Double.parseDouble(n.path("notice").path("end").asText("nan"));
            return start >= 0 && end > start ? new double[] {start, end} : null;
        } catch (java.io.IOException | NumberFormatException e) {
            return null;
        }
    }

    /**
     * Whether there is sound where the manifest says the spoken notice is: RMS level of the span and the share of
     * its 20 ms windows above -45 dBFS. The words are not recognised (no speech recogniser in this bundle).
     */
    static LayerStatus noticeFound(float[] pcm, double[] span, long ms) {
        int rate = 48_000;
        int from = (int) Math.round(span[0] * rate);
        int to = Math.min(pcm.length, (int) Math.round(span[1] * rate));
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("recorded", String.format(Locale.ROOT, "spoken notice at %.2f-%.2f s", span[0], span[1]));
        if (to - from < rate / 10) {
            facts.put("detectMs", String.valueOf(ms));
            return new LayerStatus(Layers.AUDIO, false, "the signed manifest records a spoken AI notice at " + facts.get("recorded").substring(16)
                    + ", but the sound is shorter", LayerStatus.State.ABSENT, facts);
        }
        double sum = 0;
        for (int i = from; i < to; i++) sum += pcm[i] * (double) pcm[i];
        double rms = 10 * Math.log10(Math.max(1e-12, sum / (to - from)));
        int win = rate / 50, active = 0, windows = 0;
        for (int w = from; w + win <= to; w += win) {
            double e = 0;
            for (int i = w; i < w + win; i++) e += pcm[i] * (double) pcm[i];
            windows++;
            if (10 * Math.log10(Math.max(1e-12, e / win)) > -45) active++;
        }
        double share = windows == 0 ? 0 : active / (double) windows;
        boolean present = rms > -40 && share >= 0.3;
        facts.put("levelDbfs", String.format(Locale.ROOT, "%.1f", rms));
        facts.put("activeShare", String.format(Locale.ROOT, "%.2f", share));
        facts.put("recognised", "no (the words are not checked)");
        facts.put("detectMs", String.valueOf(ms));
        String d = String.format(Locale.ROOT, "%s the span where the signed manifest records the spoken AI notice (%.2f-%.2f s): %.1f dBFS RMS, "
                + "%.0f %% of 20 ms windows above -45 dBFS; the words themselves are not recognised", present ? "sound in" : "no speech-like sound in",
                span[0], span[1], rms, share * 100);
        return new LayerStatus(Layers.AUDIO, present, d, present ? LayerStatus.State.PRESENT : LayerStatus.State.ABSENT, facts);
    }

    private static LayerStatus audioFound(Future<float[]> sound, double[] notice) {
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
        RhythmCueDetector.Detection cue = RhythmCueDetector.detect(pcm);
        if (notice != null && !cue.found()) return noticeFound(pcm, notice, (System.nanoTime() - t0) / 1_000_000);
        return LabelReport.of(cue, (System.nanoTime() - t0) / 1_000_000);
    }

    /** Seconds of a clip the visible-label pass reads at most (persistence is checked that far). */
    static final double LABEL_SECONDS = 30;

    // ---------------------------------------------------------------------------------------------------------

    @Override
    public double audioLabelSeconds(SceneSpec scene) {
        LabelPolicy p = policyFor(scene);
        return switch (p.audio()) {
            case RHYTHM_CUE -> RhythmCue.TOTAL_UNITS * RhythmCue.UNIT_SECONDS;
            case SPOKEN_NOTICE -> SpokenNotice.seconds(notice(p, scene).audio());
            case NONE -> 0;
        };
    }

    private double heightPercent(LabelPolicy p) {
        return Double.isNaN(p.heightPercent()) ? heightPercent : Math.max(5.0, Math.min(20.0, p.heightPercent()));
    }

    private static String language(SceneSpec scene) {
        return scene == null || scene.language() == null || scene.language().isBlank() ? "en" : scene.language().trim();
    }

    private static String noticeText(LabelPolicy p, SceneSpec scene) {
        return p.noticeText(language(scene));
    }

    /** The policy's spoken notice for the scene's language, synthesised once through the voice service. */
    private Speech notice(LabelPolicy p, SceneSpec scene) {
        VoiceService vs = voice;
        String who = "Label policy \"" + p.id() + "\" (" + p.source() + ")";
        if (vs == null) {
            throw new StageException(who + " asks for a spoken AI notice, but no voice service (io.kinora.api.voice.VoiceService, bundle io.kinora.voice) is available");
        }
        String lang = language(scene);
        String text = noticeText(p, scene);
        String voiceId = p.noticeVoice();
        if (voiceId == null || voiceId.isBlank()) {
            List<VoiceInfo> all = vs.voices();
            voiceId = all.stream().filter(v -> v.speaks(lang)).map(VoiceInfo::id).sorted().findFirst().orElseThrow(() -> new StageException(
                    who + ": no voice in the catalogue speaks " + lang + " for the spoken AI notice (voices: "
                            + all.stream().map(VoiceInfo::id).limit(12).collect(Collectors.joining(", ")) + "); set noticeVoice"));
        }
        String key = voiceId + '\u0000' + lang + '\u0000' + text;
        Speech s = notices.get(key);
        if (s != null) return s;
        try {
            s = vs.speak(new SpeechRequest(voiceId, text, lang));
        } catch (StageException e) {
            throw new StageException(who + ": cannot speak the AI notice \"" + text + "\" with voice " + voiceId + ": " + e.getMessage());
        }
        if (s == null || s.audio() == null || s.audio().frames() == 0) {
            throw new StageException(who + ": voice " + voiceId + " returned no audio for the AI notice \"" + text + "\"");
        }
        notices.put(key, s);
        return s;
    }

    LabelPolicy policyFor(ProvenanceRequest request) {
        checkRequest(request);
        return policyFor(request.scene());
    }

    private LabelPolicy policyFor(SceneSpec scene) {
        return choose(scene).policy();
    }

    Chosen choose(SceneSpec scene) {
        Map<String, LabelPolicy> known = policies;
        String asked = scene == null ? null : scene.labels().policy();
        if (asked == null || asked.isBlank()) {
            LabelPolicy p = known.get(defaultPolicy);
            if (p != null) return new Chosen(p, null);
            String why = "default policy \"" + defaultPolicy + "\" (defaultPolicy in configuration " + PID + ") names no known policy"
                    + invalid(defaultPolicy) + "; used " + LabelPolicy.EU + " instead (known: " + String.join(", ", known.keySet()) + ")";
            if (!why.equals(loggedFallback)) {
                loggedFallback = why;
                LOG.error("The {}", why);
            }
            return new Chosen(known.get(LabelPolicy.EU), why);
        }
        String id = asked.trim().toLowerCase(Locale.ROOT);
        LabelPolicy p = known.get(id);
        if (p == null) {
            throw new StageException("Unknown label policy \"" + asked + "\" in labels.policy; known policies: " + String.join(", ", known.keySet())
                    + invalid(id));
        }
        return new Chosen(p, null);
    }

    /** "; configuration X defines it but is invalid: ..." for every invalid custom configuration asking for {@code id}. */
    private String invalid(String id) {
        StringBuilder b = new StringBuilder();
        for (CustomPolicy c : customs) {
            if (c.policy() == null && c.askedId().equals(id)) b.append("; configuration ").append(c.configuration()).append(" would define it but is invalid: ")
                    .append(c.problem());
        }
        return b.toString();
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
        if (policy.audio() == LabelPolicy.Audio.NONE) return new LayerStatus(Layers.AUDIO, false, "policy " + policy.id() + ": no audio label");
        if (a == null || !a.audioApplied) {
            return new LayerStatus(Layers.AUDIO, false, "policy " + policy.id() + " asks for the audio label " + policy.audio().id() + ", but the master of this"
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
        volatile double heightPercent = Double.NaN;
        volatile SpokenNotice.Result notice;
    }
}
