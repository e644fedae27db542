package io.kinora.voice.internal;

import io.kinora.api.voice.Speech;
import io.kinora.api.voice.SpeechRequest;
import io.kinora.api.voice.VoiceEngine;
import io.kinora.voice.internal.espeak.EspeakVoiceEngine;
import io.kinora.voice.internal.freetts.FreeTtsVoiceEngine;
import io.kinora.voice.internal.marytts.MaryVoiceEngineAccess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Real-time factor per engine and voice (opt-in: {@code -Dkinora.bench=true}; {@code -Dkinora.bench.rounds=N}
 * rounds, default 1): every voice first speaks three warm-up lines, then each round times five different lines per
 * voice, one thread. Prints seconds of speech per second of synthesis by wall clock, by the process's CPU time
 * (all threads, GC and JIT included: less sensitive to other work on a shared machine) and by the synthesizing
 * thread's CPU time. espeak-ng runs twice: through its library (word timings from its events; the engine's
 * default) and through its command line (the fallback; timings estimated from the audio). The command line's work
 * is in child processes, which the process CPU figures do not count: compare the two by wall clock.
 * Writes {@code bench-results/speech.json} and {@code bench-results/speech.md} at the repository root: per voice,
 * every round's factors, the lowest wall-clock factor against the floor (10x real time) and the machine's
 * load average before and after.
 */
@EnabledIfSystemProperty(named = "kinora.bench", matches = "true")
class SynthesisBenchmarkTest {
    static final List<String> LINES = List.of(
            "The harbour lights came on one by one as the ferry pulled away.",
            "I checked the engine twice, and we leave at dawn whatever the weather.",
            "Wait, you actually found it? Show me right now, before the others come back.",
            "Sit down. There is time enough for tea before the rain reaches the hills.",
            "Look at the red kite over the dunes; can we follow it to the end of the beach?");

    /** The floor: speech synthesized at least this many times faster than real time, per engine. */
    static final double FLOOR = 10.0;

    @Test
    void realTimeFactors() throws IOException {
        int rounds = Integer.getInteger("kinora.bench.rounds", 1);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        VoiceEngine mary = MaryVoiceEngineAccess.create();
        EspeakVoiceEngine espeak = new EspeakVoiceEngine("espeak-ng", 30, 1);
        EspeakVoiceEngine espeakCli = new EspeakVoiceEngine("espeak-ng", "", 30, 1, null);
        FreeTtsVoiceEngine freetts = new FreeTtsVoiceEngine(1);
        List<VoiceEngine> engines = List.of(freetts, mary, espeak, espeakCli);
        Map<String, Map<String, Object>> rows = new LinkedHashMap<>();
        String loadBefore = loadAverage();
        try {
            for (VoiceEngine e : engines) {
                for (var v : e.voices()) {
                    for (int i = 0; i < 3; i++) e.synthesize(new SpeechRequest(v.id(), LINES.get(i), "en"));
                }
            }
            for (int round = 1; round <= rounds; round++) {
                for (VoiceEngine e : engines) {
                    for (var v : e.voices()) {
                        double audio = 0;
                        long wall = 0, cpu = 0, thread = 0;
                        for (String line : LINES) {
                            long p0 = os.getProcessCpuTime(), c0 = threads.getCurrentThreadCpuTime(), t0 = System.nanoTime();
                            Speech s = e.synthesize(new SpeechRequest(v.id(), line, "en"));
                            wall += System.nanoTime() - t0;
                            thread += threads.getCurrentThreadCpuTime() - c0;
                            cpu += os.getProcessCpuTime() - p0;
                            audio += s.audio().durationSeconds();
                        }
                        System.out.printf("BENCH round %d %-10s %-14s %6.2f s speech in %6.3f s: %5.1fx real time "
                                        + "(process CPU %6.3f s: %5.1fx; thread CPU %6.3f s: %5.1fx)%n", round, label(e),
                                v.id(), audio, wall / 1e9, audio / (wall / 1e9), cpu / 1e9, audio / (cpu / 1e9),
                                thread / 1e9, audio / (thread / 1e9));
                        Map<String, Object> row = rows.computeIfAbsent(label(e) + " " + v.id(), k -> {
                            Map<String, Object> m = new LinkedHashMap<>();
                            m.put("engine", label(e));
                            m.put("voice", v.id());
                            m.put("speechSeconds", 0.0);
                            m.put("wall", new ArrayList<Double>());
                            m.put("processCpu", new ArrayList<Double>());
                            m.put("threadCpu", new ArrayList<Double>());
                            return m;
                        });
                        row.put("speechSeconds", audio);
                        factors(row, "wall").add(round1(audio / (wall / 1e9)));
                        factors(row, "processCpu").add(round1(audio / (cpu / 1e9)));
                        factors(row, "threadCpu").add(round1(audio / (thread / 1e9)));
                    }
                }
            }
        } finally {
            MaryVoiceEngineAccess.stop(mary);
            freetts.deactivate();
        }
        write(rows, rounds, loadBefore, loadAverage());
    }

    @SuppressWarnings("unchecked")
    private static List<Double> factors(Map<String, Object> row, String key) {
        return (List<Double>) row.get(key);
    }

    private static double round1(double x) {
        return Math.round(x * 10) / 10.0;
    }

    private static void write(Map<String, Map<String, Object>> rows, int rounds, String before, String after)
            throws IOException {
        StringBuilder md = new StringBuilder();
        md.append("# Speech synthesis benchmark (SynthesisBenchmarkTest)\n\n")
                .append(String.format(Locale.ROOT, "%d processors, load average %s before, %s after; Java %s; "
                                + "%d round(s) of %d lines per voice, one thread, after 3 warm-up lines.%n%n",
                        Runtime.getRuntime().availableProcessors(), before, after,
                        System.getProperty("java.version"), rounds, LINES.size()))
                .append("Factors are seconds of speech per second of synthesis (x real time), one per round. ")
                .append(String.format(Locale.ROOT, "Floor: %.0fx by wall clock.%n%n", FLOOR))
                .append("| engine | voice | speech s | x real time, wall | lowest wall | floor met | process CPU | thread CPU |\n")
                .append("|---|---|---|---|---|---|---|---|\n");
        for (Map<String, Object> row : rows.values()) {
            double lowest = factors(row, "wall").stream().mapToDouble(Double::doubleValue).min().orElse(0);
            row.put("lowestWall", lowest);
            row.put("floorMet", lowest >= FLOOR);
            md.append(String.format(Locale.ROOT, "| %s | %s | %.2f | %s | %.1f | %s | %s | %s |%n", row.get("engine"),
                    row.get("voice"), (Double) row.get("speechSeconds"), join(factors(row, "wall")), lowest,
                    lowest >= FLOOR ? "yes" : "**no**", join(factors(row, "processCpu")), join(factors(row, "threadCpu"))));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("benchmark", "speech synthesis");
        out.put("processors", Runtime.getRuntime().availableProcessors());
        out.put("loadAverageBefore", before);
        out.put("loadAverageAfter", after);
        out.put("rounds", rounds);
        out.put("floor", FLOOR);
        out.put("voices", new ArrayList<>(rows.values()));
        Path results = repositoryRoot().resolve("bench-results");
        Files.createDirectories(results);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(results.resolve("speech.json").toFile(), out);
        Files.writeString(results.resolve("speech.md"), md);
        System.out.println(md);
    }

    private static String join(List<Double> values) {
        StringBuilder b = new StringBuilder();
        for (double v : values) b.append(b.length() == 0 ? "" : " / ").append(String.format(Locale.ROOT, "%.1f", v));
        return b.toString();
    }

    private static Path repositoryRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !(Files.isDirectory(p.resolve("bundles")) && Files.exists(p.resolve("pom.xml")))) p = p.getParent();
        return p == null ? Path.of("").toAbsolutePath() : p;
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String label(VoiceEngine e) {
        if (e instanceof EspeakVoiceEngine es) return es.usesLibrary() ? "espeak-lib" : "espeak-cli";
        return e.id();
    }
}
