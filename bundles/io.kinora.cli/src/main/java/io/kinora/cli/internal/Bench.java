package io.kinora.cli.internal;

import io.kinora.api.generation.GenerationException;
import io.kinora.api.generation.GenerationRequest;
import io.kinora.api.generation.GenerationResult;
import io.kinora.api.generation.GenerationService;
import io.kinora.api.media.Cancellation;
import io.kinora.api.scene.SceneSpec;
import io.kinora.api.scene.SceneSpecException;
import io.kinora.api.scene.SceneSpecReader;
import org.osgi.framework.BundleContext;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@code kinora bench}: runs every sample scene through the generation service and writes per-stage wall time,
 * frames per second, real-time factor and peak memory as JSON and as a Markdown table.
 */
final class Bench {
    private static final List<String> STAGES = List.of("plan", "ambience", "mix", "video", "sign", "total");

    private final GenerationService generation;
    private final SceneSpecReader reader;
    private final BundleContext context;
    private final PrintStream out;
    private final PrintStream err;

    Bench(GenerationService generation, SceneSpecReader reader, BundleContext context, PrintStream out, PrintStream err) {
        this.generation = generation;
        this.reader = reader;
        this.context = context;
        this.out = out;
        this.err = err;
    }

    int run(List<String> args) throws Args.UsageException, KinoraCli.InputException {
        Args a = Args.parse(args, Set.of("samples", "out", "runs"), Set.of("no-warmup"));
        String home = context == null ? null : context.getProperty("kinora.home");
        Path samples = Paths.get(a.get("samples") != null ? a.get("samples") : (home == null ? "samples" : home + "/samples"));
        Path outDir = Paths.get(a.get("out") != null ? a.get("out") : "bench-results").toAbsolutePath();
        int runs;
        try {
            runs = Integer.parseInt(a.get("runs") == null ? "1" : a.get("runs"));
        } catch (NumberFormatException e) {
            throw new Args.UsageException("--runs must be a whole number");
        }
        if (runs < 1 || runs > 20) throw new Args.UsageException("--runs must be between 1 and 20");
        if (!Files.isDirectory(samples)) throw new KinoraCli.InputException("samples: " + samples + " is not a folder");
        List<Path> scenes;
        try (Stream<Path> s = Files.list(samples)) {
            scenes = s.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().collect(Collectors.toList());
        } catch (IOException e) {
            throw new KinoraCli.InputException("samples: cannot list " + samples + ": " + e.getMessage());
        }
        if (scenes.isEmpty()) throw new KinoraCli.InputException("samples: no *.json scenes in " + samples);
        try {
            Files.createDirectories(outDir);
        } catch (IOException e) {
            throw new KinoraCli.InputException("--out: cannot create " + outDir + ": " + e.getMessage());
        }

        List<Map<String, Object>> rows = new ArrayList<>();
        if (!a.flag("no-warmup")) {
            err.println("bench: warm-up with " + scenes.get(0).getFileName());
            runOne(scenes.get(0), outDir.resolve("warmup.mp4"));
        }
        for (Path scene : scenes) {
            for (int r = 0; r < runs; r++) {
                String name = scene.getFileName().toString().replaceFirst("\\.json$", "");
                err.println("bench: " + name + " run " + (r + 1) + "/" + runs);
                Map<String, Object> row = runOne(scene, outDir.resolve(name + ".mp4"));
                if (row == null) return KinoraCli.FAILED;
                row.put("sample", name);
                row.put("run", r + 1);
                rows.add(row);
            }
        }
        String startup = System.getProperty("kinora.launcher.startup.ms");
        String json = toJson(rows, startup);
        String table = toTable(rows, startup);
        try {
            Files.writeString(outDir.resolve("bench.json"), json, StandardCharsets.UTF_8);
            Files.writeString(outDir.resolve("bench.md"), table, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new KinoraCli.InputException("--out: cannot write results to " + outDir + ": " + e.getMessage());
        }
        out.print(table);
        out.println("Results: " + outDir.resolve("bench.json") + " and bench.md");
        return KinoraCli.OK;
    }

    private Map<String, Object> runOne(Path scenePath, Path output) throws KinoraCli.InputException {
        SceneSpec scene;
        try {
            scene = reader.read(Files.readAllBytes(scenePath), scenePath.toString());
        } catch (IOException e) {
            throw new KinoraCli.InputException("scene: " + scenePath + " cannot be read: " + e.getMessage());
        } catch (SceneSpecException e) {
            throw new KinoraCli.InputException(e.getMessage());
        }
        Path image = scenePath.toAbsolutePath().getParent().resolve(scene.image() == null ? "" : scene.image());
        resetPeakMemory();
        long t0 = System.nanoTime();
        GenerationResult r;
        try {
            r = generation.generate(new GenerationRequest(scene, image, output, null), null, Cancellation.NEVER);
        } catch (GenerationException e) {
            err.println("bench: " + scenePath.getFileName() + ": " + e.getMessage());
            return null;
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("width", scene.aspects().get(0).width(scene.resolution()));
        row.put("height", scene.aspects().get(0).height(scene.resolution()));
        row.put("renditions", scene.aspects().size());
        row.put("fps", scene.fps());
        row.put("frames", r.timeline().frameCount());
        row.put("clipSeconds", r.timeline().duration());
        row.put("lines", r.timeline().lines().size());
        Map<String, Double> st = new LinkedHashMap<>(r.report().stageSeconds());
        st.put("total", wall);
        row.put("seconds", st);
        double video = st.getOrDefault("video", 0.0);
        row.put("videoFramesPerSecond", video > 0 ? r.timeline().frameCount() * scene.aspects().size() / video : 0.0);
        row.put("realTimeFactor", wall / r.timeline().duration());
        row.put("peakRssMiB", peakRssMiB());
        row.put("model", r.report().model().toString());
        return row;
    }

    /** Resets the kernel's peak-RSS counter for this process (Linux); harmless elsewhere. */
    private static void resetPeakMemory() {
        try {
            Files.writeString(Paths.get("/proc/self/clear_refs"), "5");
        } catch (IOException | RuntimeException ignored) {
            // not Linux, or not allowed: the peak then covers the whole process
        }
    }

    static double peakRssMiB() {
        try {
            for (String line : Files.readAllLines(Paths.get("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // fall through
        }
        Runtime rt = Runtime.getRuntime();
        return (rt.totalMemory() - rt.freeMemory()) / (1024.0 * 1024.0);
    }

    @SuppressWarnings("unchecked")
    static String toTable(List<Map<String, Object>> rows, String startupMs) {
        StringBuilder b = new StringBuilder();
        b.append("| sample | size | frames | clip s | plan s | ambience s | mix s | video s | sign s | total s | video fps | RTF | peak RSS MiB |\n");
        b.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Map<String, Object> r : rows) {
            Map<String, Double> s = (Map<String, Double>) r.get("seconds");
            b.append(String.format(Locale.ROOT, "| %s | %sx%s%s | %s | %.2f |", r.get("sample"), r.get("width"), r.get("height"),
                    ((int) r.get("renditions")) > 1 ? " (+" + (((int) r.get("renditions")) - 1) + ")" : "",
                    r.get("frames"), (double) r.get("clipSeconds")));
            for (String k : STAGES) b.append(String.format(Locale.ROOT, " %.2f |", s.getOrDefault(k, 0.0)));
            b.append(String.format(Locale.ROOT, " %.1f | %.2f | %.0f |%n", (double) r.get("videoFramesPerSecond"),
                    (double) r.get("realTimeFactor"), (double) r.get("peakRssMiB")));
        }
        if (startupMs != null) b.append("\nFramework start to ready (this process): ").append(startupMs).append(" ms\n");
        return b.toString();
    }

    static String toJson(List<Map<String, Object>> rows, String startupMs) {
        StringBuilder b = new StringBuilder("{\n  \"frameworkStartMs\": ").append(startupMs == null ? "null" : startupMs)
                .append(",\n  \"java\": \"").append(System.getProperty("java.version")).append("\",\n  \"cpus\": ")
                .append(Runtime.getRuntime().availableProcessors()).append(",\n  \"runs\": [");
        for (int i = 0; i < rows.size(); i++) {
            b.append(i == 0 ? "\n    " : ",\n    ").append(value(rows.get(i)));
        }
        return b.append("\n  ]\n}\n").toString();
    }

    private static String value(Object v) {
        if (v instanceof Map<?, ?> m) {
            return m.entrySet().stream().map(e -> "\"" + e.getKey() + "\": " + value(e.getValue()))
                    .collect(Collectors.joining(", ", "{", "}"));
        }
        if (v instanceof Double d) return String.format(Locale.ROOT, "%.4f", d);
        if (v instanceof Number || v instanceof Boolean) return v.toString();
        return "\"" + String.valueOf(v).replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
