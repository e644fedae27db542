package io.kinora.jobs.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kinora.api.ambient.Ambience;
import io.kinora.api.ambient.AmbienceGenerator;
import io.kinora.api.ambient.AmbienceRequest;
import io.kinora.api.compositor.CaptionOptions;
import io.kinora.api.compositor.Compositor;
import io.kinora.api.compositor.EncodeRequest;
import io.kinora.api.compositor.EncodeResult;
import io.kinora.api.compositor.EncodeSession;
import io.kinora.api.compositor.Mix;
import io.kinora.api.compositor.MixRequest;
import io.kinora.api.generation.GenerationException;
import io.kinora.api.generation.GenerationListener;
import io.kinora.api.generation.GenerationRequest;
import io.kinora.api.generation.GenerationResult;
import io.kinora.api.generation.GenerationService;
import io.kinora.api.generation.JobReport;
import io.kinora.api.generation.Stage;
import io.kinora.api.media.AudioBuffer;
import io.kinora.api.media.Cancellation;
import io.kinora.api.media.RgbImage;
import io.kinora.api.media.StageException;
import io.kinora.api.model.ModelException;
import io.kinora.api.model.ModelLease;
import io.kinora.api.model.ModelRegistry;
import io.kinora.api.provenance.FrameLabeler;
import io.kinora.api.provenance.LayerStatus;
import io.kinora.api.provenance.ProvenanceIngredient;
import io.kinora.api.provenance.ProvenanceRequest;
import io.kinora.api.provenance.ProvenanceService;
import io.kinora.api.scene.Aspect;
import io.kinora.api.scene.CharacterSpec;
import io.kinora.api.scene.LineSpec;
import io.kinora.api.scene.Problem;
import io.kinora.api.scene.SceneLimits;
import io.kinora.api.scene.SceneSpec;
import io.kinora.api.scene.SceneSpecException;
import io.kinora.api.scene.SceneSpecReader;
import io.kinora.api.timeline.Shot;
import io.kinora.api.timeline.SpokenLine;
import io.kinora.api.timeline.Timeline;
import io.kinora.api.timeline.WordTiming;
import io.kinora.api.video.ModelInfo;
import io.kinora.api.video.RenderReport;
import io.kinora.api.video.RenderRequest;
import io.kinora.api.video.VideoModel;
import io.kinora.api.vision.CharacterPlacement;
import io.kinora.api.vision.FaceDetector;
import io.kinora.api.voice.Speech;
import io.kinora.api.voice.SpeechRequest;
import io.kinora.api.voice.VoiceService;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The main job, stage by stage: voices first (they decide the timeline), then ambience and the mix, then per
 * rendition the model renders frames, provenance labels them and the compositor encodes them; provenance seals
 * the finished files; only then are they moved to their final names.
 */
@Component(service = {GenerationService.class, SceneSpecReader.class}, configurationPid = JobsConfig.PID)
@Designate(ocd = JobsConfig.class)
public final class GenerationServiceImpl implements GenerationService, SceneSpecReader {
    private static final Logger LOG = LoggerFactory.getLogger(GenerationServiceImpl.class);
    private static final Logger AUDIT = LoggerFactory.getLogger("io.kinora.audit");
    static final int SAMPLE_RATE = 48_000;

    private final VoiceService voices;
    private final AmbienceGenerator ambience;
    private final Compositor compositor;
    private final ProvenanceService provenance;
    private final ModelRegistry registry;
    private final ObjectMapper json = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
    private volatile JobsConfig config;
    private volatile SceneSpecReaderImpl reader;
    /** io.kinora.vision's detector, when installed: voices are panned to the faces of characters the scene leaves unplaced. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile FaceDetector faces;

    @Activate
    public GenerationServiceImpl(@Reference VoiceService voices, @Reference AmbienceGenerator ambience,
                                 @Reference Compositor compositor, @Reference ProvenanceService provenance,
                                 @Reference ModelRegistry registry, JobsConfig config) {
        this.registry = registry;
        this.voices = voices;
        this.ambience = ambience;
        this.compositor = compositor;
        this.provenance = provenance;
        modified(config);
    }

    @Modified
    void modified(JobsConfig config) {
        this.config = config;
        this.reader = new SceneSpecReaderImpl(limits(config), config.max_scene_bytes());
    }

    /**
     * Each speaker's pan from their position in the frame: the scene's, or for characters it leaves unplaced the face
     * the model will favour for them (the same rule, {@link CharacterPlacement}, on the same picture, so the voice
     * comes from where the picture frames them). Position x in [0, 1] maps to pan [-1, 1], kept inside +/-0.6 so no
     * voice sits hard in one speaker. One line for the report says where each voice is and why.
     */
    static Map<String, Double> pan(SceneSpec scene, RgbImage image, FaceDetector detector, Map<String, String> choices) {
        boolean speaking = !scene.lines().isEmpty();
        SceneSpec placed = scene;
        if (speaking && scene.characters().stream().anyMatch(c -> c.position() == null)) {
            try {
                placed = CharacterPlacement.place(scene, image, detector).scene();
            } catch (RuntimeException e) {
                // a failing detector must not fail the job: the model reports its own placement
                LOG.warn("face detection for the voices' pan failed; unplaced characters stay centred: {}", e.toString());
            }
        }
        Map<String, Double> pan = new LinkedHashMap<>();
        List<String> where = new ArrayList<>();
        for (int i = 0; i < placed.characters().size(); i++) {
            CharacterSpec c = placed.characters().get(i);
            boolean given = scene.characters().get(i).position() != null;
            double p = c.position() == null ? 0.0 : Math.max(-0.6, Math.min(0.6, (c.position().x() - 0.5) * 1.2));
            pan.put(c.id(), p);
            where.add(String.format(Locale.ROOT, "%s %+.2f (%s)", c.id(), p,
                    c.position() == null ? "no position: centre" : given ? "scene position" : "face in the picture"));
        }
        if (speaking && !where.isEmpty()) choices.put("pan", String.join(", ", where));
        return pan;
    }

    static SceneLimits limits(JobsConfig c) {
        return new SceneLimits(c.max_prompt_chars(), c.max_line_chars(), c.max_lines(), c.max_characters(),
                c.max_duration_seconds(), c.max_fps());
    }

    @Override
    public SceneSpec read(byte[] jsonBytes, String source) throws SceneSpecException {
        return reader.read(jsonBytes, source);
    }

    @Override
    public byte[] write(SceneSpec spec) {
        return reader.write(spec);
    }

    @Override
    public GenerationResult generate(GenerationRequest request, GenerationListener listener, Cancellation cancel)
            throws GenerationException {
        Job job = new Job(request, listener == null ? GenerationListener.NONE : listener,
                cancel == null ? Cancellation.NEVER : cancel);
        try {
            return job.run();
        } catch (StageException e) {
            AUDIT.info("job {} failed in {}: {}", job.jobId, job.stage.id(), e.getMessage());
            throw new GenerationException(e.getMessage(), e);
        } catch (Cancellation.CancelledException e) {
            AUDIT.info("job {} cancelled in {}", job.jobId, job.stage.id());
            throw e;
        } catch (RuntimeException | Error e) {
            LOG.error("job {} failed in stage {}", job.jobId, job.stage.id(), e);
            throw new GenerationException("internal error in stage '" + job.stage.id() + "': " + e
                    + " (details in the log)", e);
        } finally {
            job.cleanUp();
        }
    }

    /** One run of the main job. */
    private final class Job {
        final GenerationRequest request;
        final GenerationListener listener;
        final Cancellation cancel;
        final JobsConfig cfg = config;
        final List<Path> staged = new ArrayList<>();
        /** Side files (staged path to final path) moved into place with the clips. */
        final Map<Path, Path> finals = new LinkedHashMap<>();
        final Map<String, Double> seconds = new LinkedHashMap<>();
        final Map<String, String> choices = new LinkedHashMap<>();
        String jobId;
        List<Path> outputs = List.of();
        ModelLease lease;
        Stage stage = Stage.PLAN;
        long stageStart;

        Job(GenerationRequest request, GenerationListener listener, Cancellation cancel) {
            this.request = request;
            this.listener = listener;
            this.cancel = cancel;
            this.jobId = request.jobId();
        }

        void begin(Stage s) {
            stage = s;
            stageStart = System.nanoTime();
            listener.progress(s, 0, s.title());
        }

        void end(Stage s) {
            seconds.merge(s.id(), (System.nanoTime() - stageStart) / 1e9, Double::sum);
            listener.progress(s, 1, s.title());
        }

        GenerationResult run() throws GenerationException {
            long t0 = System.nanoTime();
            SceneSpec scene = request.scene();
            if (scene == null) throw new StageException("scene: no scene given");
            List<Problem> problems = scene.validate(limits(cfg));
            if (!problems.isEmpty()) {
                throw new StageException(new SceneSpecException("scene", problems).getMessage());
            }
            outputs = outputPaths(request.output(), scene.aspects());
            for (Path p : outputs) checkWritable(p);

            begin(Stage.PLAN);
            ImageLoader.Loaded loaded = ImageLoader.read(request.image(), ImageLoader.Limits.of(cfg));
            RgbImage image = loaded.image();
            choices.put("image", loaded.summary());
            byte[] imageDigest = digestFile(request.image());
            if (jobId == null) jobId = deriveJobId(scene, imageDigest);
            AUDIT.info("job {} started: {} line(s), {} rendition(s), seed {}", jobId, scene.lines().size(),
                    scene.aspects().size(), scene.seed());
            Map<String, String> cast = voices.cast(scene.characters(), scene.language());
            List<Speech> speech = speakLines(scene, cast, cfg.speech_threads(), listener, cancel);
            Timeline timeline = TimelinePlanner.plan(scene, speech, provenance.audioLabelSeconds(scene));
            end(Stage.PLAN);

            begin(Stage.AMBIENCE);
            cancel.check();
            Ambience bed = scene.ambience().isNone() ? null : ambience.generate(new AmbienceRequest(scene.ambience(),
                    scene.prompt(), timeline.duration(), SAMPLE_RATE, scene.seed(), image));
            choices.put("ambience", bed == null ? "none: the scene asks for none" : bed.reason().startsWith(bed.preset()) ? bed.reason() : bed.preset() + ": " + bed.reason());
            end(Stage.AMBIENCE);

            begin(Stage.MIX);
            cancel.check();
            Map<String, Double> pan = pan(scene, image, faces, choices);
            Mix mix = compositor.mix(new MixRequest(timeline, speech, pan, bed == null ? null : bed.audio(), SAMPLE_RATE,
                    cfg.loudness_target()));
            choices.put("loudness", String.format(Locale.ROOT, "%.1f LUFS integrated (target %.1f), peak %.1f dBFS",
                    mix.integratedLufs(), cfg.loudness_target(), mix.peakDbfs()));
            Map<String, String> names = new LinkedHashMap<>();
            for (CharacterSpec c : scene.characters()) names.put(c.id(), c.displayName());
            List<ProvenanceIngredient> ingredients = new ArrayList<>();
            ingredients.add(ProvenanceIngredient.sourceImage(request.image(), HexFormat.of().formatHex(imageDigest)));
            if (cfg.stems()) {
                for (Map.Entry<String, AudioBuffer> stem : mix.characterStems().entrySet()) {
                    Path wav = sidePath(request.output(), "-" + stem.getKey() + ".wav");
                    stage(compositor.writeWav(stem.getValue(), stagingPath(wav)), wav);
                    ingredients.add(ProvenanceIngredient.audioStem(wav.getFileName().toString(), "dialogue of "
                            + names.getOrDefault(stem.getKey(), stem.getKey()) + " (voice " + cast.get(stem.getKey()) + ")"));
                }
                if (mix.ambienceStem() != null) {
                    Path wav = sidePath(request.output(), "-ambience.wav");
                    stage(compositor.writeWav(mix.ambienceStem(), stagingPath(wav)), wav);
                    ingredients.add(ProvenanceIngredient.audioStem(wav.getFileName().toString(), "ambience: " + (bed == null ? "" : bed.preset())));
                }
                Path master = sidePath(request.output(), "-mix.wav");
                stage(compositor.writeWav(mix.master(), stagingPath(master)), master);
            }
            if (!timeline.lines().isEmpty()) {
                Path vtt = sidePath(request.output(), ".vtt");
                try {
                    Files.writeString(stagingPath(vtt), compositor.webVtt(timeline, names), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new StageException("output: cannot write the captions " + vtt + ": " + e.getMessage());
                }
                stage(stagingPath(vtt), vtt);
            }
            CaptionOptions captions = timeline.lines().isEmpty() ? CaptionOptions.NONE
                    : new CaptionOptions(true, cfg.burn_in_captions(), scene.language(), names);
            end(Stage.MIX);

            try {
                lease = registry.acquire(cfg.model_id(), jobId, scene.tenant(), Duration.ofSeconds(cfg.model_wait_seconds()));
            } catch (ModelException e) {
                throw new StageException("video model: " + e.getMessage());
            }
            VideoModel model = lease.model();
            ModelInfo modelInfo = lease.info();
            choices.put("model", modelInfo + ": " + lease.route());
            Map<String, List<LayerStatus>> layers = new LinkedHashMap<>();
            List<ProvenanceRequest> provenanceRequests = new ArrayList<>();
            for (int a = 0; a < scene.aspects().size(); a++) {
                Aspect aspect = scene.aspects().get(a);
                int w = aspect.width(scene.resolution());
                int h = aspect.height(scene.resolution());
                String soft = ImageLoader.enlargement(image.width(), image.height(), w, h);
                if (soft != null) choices.put("image[" + aspect.id() + "]", soft);
                String contentId = contentId(jobId, aspect);
                ProvenanceRequest pr = new ProvenanceRequest(contentId, jobId, scene, timeline, modelInfo, ingredients);
                provenanceRequests.add(pr);
                begin(Stage.VIDEO);
                AudioBuffer master = provenance.labelAudio(pr, mix.master());
                Map<String, String> metadata = new LinkedHashMap<>(provenance.implicitMetadata(pr));
                metadata.put("title", title(scene));
                metadata.put("kinora.model", modelInfo.id() + " " + modelInfo.version());
                metadata.put("kinora.scene", new String(reader.write(scene), StandardCharsets.UTF_8).replaceAll("\\s*\\n\\s*", " "));
                Path stagedFile = stagingPath(outputs.get(a));
                staged.add(stagedFile);
                Path sheetFile = contactSheetPath(outputs.get(a));
                Path stagedSheet = stagingPath(sheetFile);
                staged.add(stagedSheet);
                finals.put(stagedSheet, sheetFile);
                ContactSheet sheet = new ContactSheet(timeline.frameCount(), timeline.fps(), w, h);
                FrameLabeler labeler = provenance.frameLabeler(pr, w, h);
                int frames = timeline.frameCount();
                RenderReport report;
                EncodeResult encoded;
                try (EncodeSession session = compositor.open(new EncodeRequest(stagedFile, w, h, timeline, master, metadata, captions));
                     FramePipe encode = new FramePipe((i, frame) -> session.write(frame), 6, "kinora-encode-" + jobId);
                     FramePipe label = new FramePipe((i, frame) -> {
                         RgbImage labelled = labeler.apply(i, frame);
                         sheet.offer(i, labelled);
                         encode.put(i, labelled);
                     }, 4, "kinora-label-" + jobId)) {
                    final int renditions = scene.aspects().size();
                    final int index = a;
                    report = renderOn(model, new RenderRequest(scene, timeline, image, aspect, w, h,
                                    (f, m) -> listener.progress(Stage.VIDEO, (index + f) / renditions,
                                            aspect.id() + " frame " + Math.round(f * frames) + "/" + frames),
                                    cancel),
                            label::put);
                    label.drain();
                    encode.drain();
                    encoded = session.finish();
                }
                try {
                    sheet.write(stagedSheet, outputs.get(a).getFileName() + "  " + w + "x" + h + "  " + modelInfo + "  "
                            + String.format(Locale.ROOT, "%.2f s", timeline.duration()));
                } catch (IOException e) {
                    throw new StageException("output: cannot write the contact sheet " + sheetFile + ": " + e.getMessage());
                }
                if (encoded.frames() != frames) {
                    throw new StageException("video: encoded " + encoded.frames() + " frames, the timeline has " + frames);
                }
                if (a == 0) choices.putAll(report.choices());
                else report.choices().forEach((k, v) -> choices.putIfAbsent(k + "[" + aspect.id() + "]", v));
                choices.put("encoding[" + aspect.id() + "]", encoded.videoCodec() + " + " + encoded.audioCodec() + ", "
                        + w + "x" + h + " @ " + timeline.fps() + " fps");
                end(Stage.VIDEO);
            }

            begin(Stage.SIGN);
            for (int a = 0; a < outputs.size(); a++) {
                cancel.check();
                layers.put(outputs.get(a).getFileName().toString(), provenance.seal(stagedClip(a), provenanceRequests.get(a)));
            }
            end(Stage.SIGN);
            seconds.put("total", (System.nanoTime() - t0) / 1e9);

            JobReport report = new JobReport(seconds, choices, modelInfo, cast, layers);
            Path reportFile = reportPath(request.output());
            Path stagedReport = stagingPath(reportFile);
            staged.add(stagedReport);
            writeReport(stagedReport, scene, timeline, report, outputs);
            // everything is complete: move into place (the report last, so its presence means the job finished)
            for (int a = 0; a < outputs.size(); a++) move(stagedClip(a), outputs.get(a));
            for (Map.Entry<Path, Path> e : finals.entrySet()) move(e.getKey(), e.getValue());
            move(stagedReport, reportFile);
            staged.clear();
            AUDIT.info("job {} done: {} in {} s", jobId, outputs, String.format(Locale.ROOT, "%.2f", seconds.get("total")));
            return new GenerationResult(jobId, outputs, timeline, report);
        }

        /** A finished side file, staged: it moves to {@code target} with the clips, or is deleted if the job fails. */
        void stage(Path staged, Path target) {
            GenerationServiceImpl.Job.this.staged.add(staged);
            finals.put(staged, target);
        }

        /** Renders; a failure of the model itself counts against its version's error budget. */
        RenderReport renderOn(VideoModel model, RenderRequest r, io.kinora.api.video.FrameSink sink) {
            try {
                return model.render(r, sink);
            } catch (Cancellation.CancelledException e) {
                throw e;
            } catch (RuntimeException e) {
                if (!(e.getCause() instanceof Cancellation.CancelledException) && !(e instanceof StageException && e.getMessage().startsWith("output:"))) {
                    lease.failed(String.valueOf(e.getMessage()));
                }
                throw e;
            }
        }

        Path stagedClip(int rendition) {
            return stagingPath(outputs.get(rendition));
        }

        void cleanUp() {
            if (lease != null) lease.close();
            for (Path p : staged) {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    LOG.warn("could not delete temporary file {}: {}", p, e.getMessage());
                }
            }
        }

        private void writeReport(Path file, SceneSpec scene, Timeline timeline, JobReport report, List<Path> outputs) {
            ObjectNode root = json.createObjectNode();
            root.put("job", jobId);
            ArrayNode outs = root.putArray("outputs");
            outputs.forEach(p -> outs.add(p.getFileName().toString()));
            ArrayNode sheets = root.putArray("contactSheets");
            outputs.forEach(p -> sheets.add(contactSheetPath(p).getFileName().toString()));
            root.putObject("model").put("id", report.model().id()).put("version", report.model().version())
                    .put("description", report.model().description());
            ObjectNode stages = root.putObject("seconds");
            report.stageSeconds().forEach(stages::put);
            ObjectNode ch = root.putObject("choices");
            report.choices().forEach(ch::put);
            ObjectNode vs = root.putObject("voices");
            report.voices().forEach(vs::put);
            ObjectNode tl = root.putObject("timeline");
            tl.put("duration", timeline.duration()).put("fps", timeline.fps()).put("frames", timeline.frameCount());
            ArrayNode lines = tl.putArray("lines");
            for (SpokenLine l : timeline.lines()) {
                ObjectNode o = lines.addObject().put("character", l.character()).put("voice", l.voice())
                        .put("text", l.text()).put("start", l.start()).put("end", l.end());
                ArrayNode words = o.putArray("words");
                for (WordTiming wt : l.words()) words.addObject().put("word", wt.word()).put("start", wt.start()).put("end", wt.end());
            }
            ArrayNode shots = tl.putArray("shots");
            for (Shot s : timeline.shots()) {
                ObjectNode o = shots.addObject().put("start", s.start()).put("end", s.end());
                if (s.focus() != null) o.put("focus", s.focus());
            }
            ObjectNode prov = root.putObject("provenance");
            report.provenance().forEach((file1, ls) -> {
                ArrayNode arr = prov.putArray(file1);
                ls.forEach(l -> arr.addObject().put("layer", l.layer()).put("present", l.present()).put("detail", l.detail()));
            });
            root.set("scene", readTree(reader.write(scene)));
            try {
                Files.write(file, json.writeValueAsBytes(root));
            } catch (IOException e) {
                throw new StageException("report: cannot write " + file + ": " + e.getMessage());
            }
        }

        private com.fasterxml.jackson.databind.JsonNode readTree(byte[] b) {
            try {
                return json.readTree(b);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * Every line's speech, in line order. Lines are independent (each is one request to its voice), so up to
     * {@code threads} are synthesized at once; the result does not depend on the order they finish in.
     */
    private List<Speech> speakLines(SceneSpec scene, Map<String, String> cast, int threads, GenerationListener listener,
                                    Cancellation cancel) {
        List<LineSpec> lines = scene.lines();
        int n = lines.size();
        if (n == 0) return List.of();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(
                Math.max(1, Math.min(threads, n)), r -> {
                    Thread t = new Thread(r, "kinora-speech");
                    t.setDaemon(true);
                    return t;
                });
        try {
            List<java.util.concurrent.Future<Speech>> pending = new ArrayList<>();
            for (LineSpec line : lines) {
                SpeechRequest request = new SpeechRequest(cast.get(line.character()), line.text(), scene.language());
                pending.add(pool.submit(() -> {
                    cancel.check();
                    return voices.speak(request);
                }));
            }
            List<Speech> speech = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                cancel.check();
                try {
                    speech.add(pending.get(i).get());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new StageException("interrupted while the lines were spoken", e);
                } catch (java.util.concurrent.ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof RuntimeException re) throw re; // StageException names the line's problem
                    if (cause instanceof Error err) throw err;
                    throw new StageException("line " + (i + 1) + ": " + cause, cause);
                }
                listener.progress(Stage.PLAN, (i + 1.0) / n, "line " + (i + 1) + "/" + n);
            }
            return speech;
        } finally {
            pool.shutdownNow();
        }
    }

    static List<Path> outputPaths(Path primary, List<Aspect> aspects) {
        if (primary == null) throw new StageException("output: no output path given");
        Path abs = primary.toAbsolutePath().normalize();
        String name = abs.getFileName().toString();
        if (!name.toLowerCase(Locale.ROOT).endsWith(".mp4")) {
            throw new StageException("output: " + primary + " must end in .mp4");
        }
        String base = name.substring(0, name.length() - 4);
        List<Path> out = new ArrayList<>();
        out.add(abs);
        for (int i = 1; i < aspects.size(); i++) {
            out.add(abs.resolveSibling(base + "-" + aspects.get(i).id().replace(':', 'x') + ".mp4"));
        }
        return out;
    }

    /** A file beside the primary clip: {@code clip.mp4} + {@code -mia.wav} gives {@code clip-mia.wav}. */
    static Path sidePath(Path primary, String suffix) {
        Path abs = primary.toAbsolutePath().normalize();
        String name = abs.getFileName().toString();
        return abs.resolveSibling(name.substring(0, name.length() - 4) + suffix);
    }

    static Path contactSheetPath(Path clip) {
        String name = clip.getFileName().toString();
        return clip.resolveSibling(name.substring(0, name.length() - 4) + ".contact.png");
    }

    static Path reportPath(Path primary) {
        Path abs = primary.toAbsolutePath().normalize();
        String name = abs.getFileName().toString();
        return abs.resolveSibling(name.substring(0, name.length() - 4) + ".report.json");
    }

    static void checkWritable(Path out) {
        Path dir = out.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new StageException("output: the folder " + dir + " does not exist");
        }
        if (!Files.isWritable(dir)) throw new StageException("output: the folder " + dir + " is not writable");
        if (Files.isDirectory(out)) throw new StageException("output: " + out + " is a directory");
        if (Files.exists(out) && !Files.isWritable(out)) throw new StageException("output: " + out + " exists and is not writable");
    }

    static Path stagingPath(Path target) {
        return target.resolveSibling("." + target.getFileName() + ".partial");
    }

    static void move(Path from, Path to) {
        try {
            try {
                Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new StageException("output: cannot move the finished file into place at " + to + ": " + e.getMessage());
        }
    }

    private static String title(SceneSpec scene) {
        String p = scene.prompt().strip();
        return p.length() <= 120 ? p : p.substring(0, 117) + "...";
    }

    private static byte[] digestFile(Path p) {
        try {
            return sha256().digest(Files.readAllBytes(p));
        } catch (IOException e) {
            throw new StageException("image: " + p + " could not be read: " + e.getMessage());
        }
    }

    /** Same scene, image and seed give the same job id, so re-rendering gives the same bytes. */
    String deriveJobId(SceneSpec scene, byte[] imageDigest) {
        MessageDigest md = sha256();
        md.update(reader.write(scene));
        md.update(imageDigest);
        return "kin-" + HexFormat.of().formatHex(md.digest(), 0, 8);
    }

    static String contentId(String jobId, Aspect aspect) {
        return jobId + "-" + aspect.id().replace(':', 'x');
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
