package io.kinora.cli.internal;

import io.kinora.api.generation.GenerationException;
import io.kinora.api.generation.GenerationRequest;
import io.kinora.api.generation.GenerationResult;
import io.kinora.api.generation.GenerationService;
import io.kinora.api.media.Cancellation;
import io.kinora.api.media.StageException;
import io.kinora.api.model.ModelRegistry;
import io.kinora.api.model.ModelState;
import io.kinora.api.model.ModelVersion;
import io.kinora.api.model.RoutingPolicy;
import io.kinora.api.provenance.LayerStatus;
import io.kinora.api.provenance.ProvenanceService;
import io.kinora.api.scene.SceneSpec;
import io.kinora.api.scene.SceneSpecException;
import io.kinora.api.scene.SceneSpecReader;
import io.kinora.api.timeline.SpokenLine;
import io.kinora.api.video.VideoModel;
import io.kinora.api.voice.VoiceInfo;
import io.kinora.api.voice.VoiceService;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The {@code kinora} command line, as a service the launcher calls once the framework is up: it receives the
 * arguments after the framework options and returns the process exit code. An adapter: it uses API services only.
 * <p>Exit codes: 0 done, 1 the job failed, 2 wrong usage, 3 bad input (scene, image, output path, a file verify cannot read),
 * 4 verify found a tampered or invalid layer, 5 verify found no C2PA manifest (and nothing invalid), 130 cancelled.
 */
@Component(service = Function.class, property = {"kinora.cli=main"}, immediate = true)
public final class KinoraCli implements Function<String[], Integer> {
    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;
    static final int BAD_INPUT = 3;
    static final int UNSIGNED = 5;
    static final int INVALID = 4;
    static final int CANCELLED = 130;
    private static final Logger LOG = LoggerFactory.getLogger(KinoraCli.class);

    private final GenerationService generation;
    private final SceneSpecReader reader;
    private final ProvenanceService provenance;
    private final VoiceService voices;
    private final BundleContext context;
    private final List<VideoModel> models = new CopyOnWriteArrayList<>();
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ModelRegistry registry;
    private final PrintStream out;
    private final PrintStream err;

    @Activate
    public KinoraCli(@Reference GenerationService generation, @Reference SceneSpecReader reader,
                     @Reference ProvenanceService provenance, @Reference VoiceService voices, BundleContext context) {
        this(generation, reader, provenance, voices, context, System.out, System.err);
    }

    KinoraCli(GenerationService generation, SceneSpecReader reader, ProvenanceService provenance, VoiceService voices,
              BundleContext context, PrintStream out, PrintStream err) {
        this.generation = generation;
        this.reader = reader;
        this.provenance = provenance;
        this.voices = voices;
        this.context = context;
        this.out = out;
        this.err = err;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addModel(VideoModel m) { models.add(m); }

    void removeModel(VideoModel m) { models.remove(m); }

    @Override
    public Integer apply(String[] argv) {
        if (argv.length == 0) {
            err.println("kinora: no command given; see kinora --help");
            return USAGE;
        }
        List<String> rest = Arrays.asList(argv).subList(1, argv.length);
        try {
            return switch (argv[0]) {
                case "generate" -> generate(rest);
                case "verify" -> verify(rest);
                case "voices" -> voices(rest);
                case "models" -> models(rest);
                case "bench" -> new Bench(generation, reader, context, out, err).run(rest);
                default -> {
                    err.println("kinora: unknown command '" + argv[0] + "'; see kinora --help");
                    yield USAGE;
                }
            };
        } catch (Args.UsageException e) {
            err.println("kinora " + argv[0] + ": " + e.getMessage() + " (see kinora --help)");
            return USAGE;
        } catch (InputException e) {
            err.println("kinora " + argv[0] + ": " + e.getMessage());
            return BAD_INPUT;
        } catch (RuntimeException e) {
            LOG.error("command {} failed", argv[0], e);
            err.println("kinora " + argv[0] + ": internal error: " + e + " (details in the log)");
            return FAILED;
        }
    }

    int generate(List<String> args) throws Args.UsageException, InputException {
        Args a = Args.parse(args, Set.of("image", "scene", "out", "seed", "job-id"), Set.of("quiet"));
        if (!a.positional.isEmpty()) throw new Args.UsageException("unexpected argument '" + a.positional.get(0) + "'");
        Path scenePath = path("--scene", a.require("scene"));
        Path outPath = path("--out", a.require("out"));
        SceneSpec scene = readScene(scenePath);
        if (a.get("seed") != null) {
            try {
                long seed = Long.parseLong(a.get("seed"));
                scene = new SceneSpec(scene.image(), scene.prompt(), scene.duration(), scene.fps(), scene.resolution(),
                        scene.aspects(), scene.camera(), scene.characters(), scene.lines(), scene.ambience(), scene.labels(),
                        scene.language(), scene.tenant(), seed);
            } catch (NumberFormatException e) {
                throw new Args.UsageException("--seed must be a whole number, was '" + a.get("seed") + "'");
            }
        }
        Path image;
        if (a.get("image") != null) {
            image = path("--image", a.get("image"));
        } else if (scene.image() != null) {
            Path base = scenePath.toAbsolutePath().getParent();
            image = path("image in " + scenePath, scene.image());
            if (!image.isAbsolute()) image = base.resolve(image);
        } else {
            throw new Args.UsageException("--image is required (the scene names no image)");
        }
        boolean quiet = a.flag("quiet");
        ProgressBar bar = new ProgressBar(err, System.console() != null);
        CancelOnExit cancel = new CancelOnExit();
        Thread hook = new Thread(cancel::cancelAndWait, "kinora-cancel");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            GenerationResult r = generation.generate(new GenerationRequest(scene, image, outPath, a.get("job-id")),
                    quiet ? null : bar, cancel);
            bar.finish();
            printResult(r);
            return OK;
        } catch (GenerationException e) {
            bar.finish();
            err.println("kinora generate: " + e.getMessage());
            return isInputProblem(e) ? BAD_INPUT : FAILED;
        } catch (Cancellation.CancelledException e) {
            bar.finish();
            err.println("kinora generate: cancelled; no output was written");
            return CANCELLED;
        } finally {
            cancel.done();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is exiting: the hook is running
            }
        }
    }

    private static boolean isInputProblem(GenerationException e) {
        String m = e.getMessage();
        return m.startsWith("image:") || m.startsWith("output:") || m.startsWith("scene") || m.startsWith("duration:")
                || m.contains("voice") && m.contains("characters[");
    }

    private void printResult(GenerationResult r) {
        Map<String, Double> s = r.report().stageSeconds();
        out.printf(Locale.ROOT, "Wrote %s (%.2f s, %d frames at %d fps) in %.1f s%n", r.outputs().get(0),
                r.timeline().duration(), r.timeline().frameCount(), r.timeline().fps(), s.getOrDefault("total", 0.0));
        for (Path p : r.outputs().subList(1, r.outputs().size())) out.println("Wrote " + p);
        out.println("  model:   " + r.report().model());
        r.report().voices().forEach((c, v) -> out.println("  voice:   " + c + " -> " + v));
        for (SpokenLine l : r.timeline().lines()) {
            out.printf(Locale.ROOT, "  line:    %5.2f-%5.2f s  %s: %s%n", l.start(), l.end(), l.character(), l.text());
        }
        r.report().choices().forEach((k, v) -> out.println("  " + k + ": " + v));
        StringBuilder stages = new StringBuilder();
        s.forEach((k, v) -> stages.append(String.format(Locale.ROOT, " %s %.2fs", k, v)));
        out.println("  seconds:" + stages);
        String name = r.outputs().get(0).getFileName().toString();
        out.println("  report:  " + r.outputs().get(0).resolveSibling(name.substring(0, name.length() - 4) + ".report.json"));
    }

    SceneSpec readScene(Path scenePath) throws InputException {
        byte[] bytes;
        if (!Files.exists(scenePath)) throw new InputException("scene: " + scenePath + " does not exist");
        if (Files.isDirectory(scenePath)) throw new InputException("scene: " + scenePath + " is a directory, not a scene file");
        try {
            bytes = Files.readAllBytes(scenePath);
        } catch (IOException e) {
            throw new InputException("scene: " + scenePath + " cannot be read: " + e.getMessage());
        }
        try {
            return reader.read(bytes, scenePath.toString());
        } catch (SceneSpecException e) {
            throw new InputException(e.getMessage());
        }
    }

    /**
     * {@code verify [--json] FILE}. Exit codes: {@value #OK} every layer found checks out and a valid C2PA manifest is
     * present; {@value #INVALID} some layer is tampered or invalid (manifest hash/signature mismatch, broken
     * manifest, duplicated or malformed implicit label); {@value #UNSIGNED} nothing is invalid but there is no C2PA
     * manifest (unsigned, or stripped by a re-encode); {@value #BAD_INPUT} the file cannot be read as an MP4.
     */
    int verify(List<String> args) throws Args.UsageException, InputException {
        Args a = Args.parse(args, Set.of(), Set.of("json"));
        if (a.positional.size() != 1) throw new Args.UsageException("verify takes exactly one FILE");
        boolean json = a.flag("json");
        Path file = path("FILE", a.positional.get(0));
        List<LayerStatus> layers;
        try {
            if (!Files.isRegularFile(file)) throw new StageException(file + " does not exist or is not a file");
            layers = provenance.verify(file);
        } catch (StageException e) {
            if (!json) throw new InputException(e.getMessage());
            out.println("{\"file\":" + VerifyJson.quote(file.toString()) + ",\"result\":\"unreadable\",\"exitCode\":" + BAD_INPUT
                    + ",\"error\":" + VerifyJson.quote(e.getMessage()) + "}");
            err.println("kinora verify: " + e.getMessage());
            return BAD_INPUT;
        }
        boolean invalid = layers.stream().anyMatch(l -> l.state() == LayerStatus.State.INVALID);
        boolean signed = layers.stream().anyMatch(l -> l.layer().equals("c2pa") && l.state() == LayerStatus.State.VALID);
        int code = invalid ? INVALID : signed ? OK : UNSIGNED;
        String result = invalid ? "invalid" : signed ? "valid" : "unsigned";
        if (json) {
            out.println(VerifyJson.report(file.toString(), result, code, layers));
        } else {
            out.println(file + ": " + result);
            for (LayerStatus l : layers) {
                out.printf(Locale.ROOT, "  %-15s %-8s %-9s %s%n", l.layer(), l.present() ? "present" : "absent",
                        l.state().name().toLowerCase(Locale.ROOT), l.detail());
            }
        }
        return code;
    }

    int voices(List<String> args) throws Args.UsageException {
        Args a = Args.parse(args, Set.of("language"), Set.of());
        String lang = a.get("language");
        for (VoiceInfo v : voices.voices()) {
            if (lang != null && !v.speaks(lang)) continue;
            out.printf(Locale.ROOT, "%-22s %-8s %-7s %-6s %-10s %s%n", v.id(), v.engine(), v.gender(), v.age(),
                    languages(v.languages(), lang), v.description());
        }
        return OK;
    }

    int models(List<String> args) throws Args.UsageException {
        Args.parse(args, Set.of(), Set.of());
        // the engine initialises in the background after start; give it a moment before reporting none
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (models.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (models.isEmpty()) out.println("no video model is ready after 30 s; see the engine log (work/logs/engine.log)");
        ModelRegistry r = registry;
        if (r == null) {
            models.stream().map(VideoModel::info).sorted((x, y) -> (x.id() + x.version()).compareTo(y.id() + y.version()))
                    .forEach(m -> out.printf(Locale.ROOT, "%-12s %-18s %-16s %s%n", m.id(), m.version(), m.family(), m.description()));
            return OK;
        }
        // versions still being verified or warmed up settle within seconds of start
        long settle = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < settle && r.versions().stream().anyMatch(v -> v.state() == ModelState.INSTALLED
                || v.state() == ModelState.VERIFYING || v.state() == ModelState.WARMING)) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        java.util.Set<String> families = new java.util.TreeSet<>();
        for (ModelVersion v : r.versions()) {
            families.add(v.info().family());
            out.printf(Locale.ROOT, "%-12s %-18s %-9s %-16s leases %d, jobs %d (%d failed)%s%s%n", v.info().id(), v.info().version(),
                    v.state(), v.info().family(), v.activeLeases(), v.completedJobs(), v.failedJobs(),
                    v.installToReadyMillis() > 0 ? ", ready " + v.installToReadyMillis() + " ms after install" : "",
                    v.reason() == null || v.reason().isBlank() ? "" : "  -- " + v.reason());
        }
        for (String f : families) out.println("routing " + f + ": " + r.policy(f).describe());
        return OK;
    }

    /** A short language column: all of them when few, else the first few, the asked one, and how many more. */
    static String languages(List<String> all, String asked) {
        if (all.size() <= 4) return String.join(",", all);
        List<String> shown = new java.util.ArrayList<>(all.subList(0, 3));
        if (asked != null) {
            String primary = asked.split("-")[0].toLowerCase(Locale.ROOT);
            if (all.contains(primary) && !shown.contains(primary)) shown.add(primary);
        }
        return String.join(",", shown) + ",+" + (all.size() - shown.size());
    }

    private static Path path(String what, String s) throws InputException {
        try {
            return Paths.get(s);
        } catch (InvalidPathException e) {
            throw new InputException(what + ": '" + s + "' is not a valid path");
        }
    }

    /** A problem with what the user gave us; exit code 3. */
    static final class InputException extends Exception {
        private static final long serialVersionUID = 1L;

        InputException(String message) { super(message); }
    }

    /** Cancels the running job when the JVM is asked to exit (Ctrl-C), and waits briefly for its clean-up. */
    static final class CancelOnExit implements Cancellation {
        private volatile boolean cancelled;
        private final CountDownLatch finished = new CountDownLatch(1);

        @Override
        public boolean isCancelled() { return cancelled; }

        void cancelAndWait() {
            cancelled = true;
            try {
                finished.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        void done() { finished.countDown(); }
    }
}
