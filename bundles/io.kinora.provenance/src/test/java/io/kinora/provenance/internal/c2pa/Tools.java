package io.kinora.provenance.internal.c2pa;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** External tools for the C2PA tests: FFmpeg (encode, decode) and the c2pa-node validator. */
final class Tools {
    static final Path FFMPEG = Path.of("/usr/bin/ffmpeg");
    /** The npm project with @contentauth/c2pa-node (install: cd src/test/c2pa-node && npm ci --ignore-scripts). */
    static final Path ORACLE = Path.of("src/test/c2pa-node").toAbsolutePath();

    private Tools() {
    }

    record Run(int code, String output) {
    }

    static Run run(List<String> cmd, int timeoutSeconds) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("timed out: " + cmd);
        }
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    static void assumeFfmpeg() {
        assumeTrue(Files.isExecutable(FFMPEG), "SKIPPED: /usr/bin/ffmpeg is not installed (apt-get install ffmpeg)");
    }

    static String node() {
        for (String p : List.of("/usr/bin/node", "/usr/local/bin/node")) if (Files.isExecutable(Path.of(p))) return p;
        return null;
    }

    static void assumeOracle() {
        assumeTrue(node() != null, "SKIPPED: node is not installed; the independent C2PA validation (c2pa-node) needs Node.js >= 18");
        assumeTrue(Files.isDirectory(ORACLE.resolve("node_modules/@contentauth/c2pa-node/dist")),
                "SKIPPED: c2pa-node is not installed; run (cd bundles/io.kinora.provenance/src/test/c2pa-node && npm ci --ignore-scripts)");
    }

    /** An H.264 + AAC MP4 with the given container metadata; {@code faststart} puts moov before mdat. */
    static Path encode(Path out, double seconds, boolean faststart, Map<String, String> metadata) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(FFMPEG.toString(), "-v", "error", "-nostdin", "-y",
                "-f", "lavfi", "-i", "testsrc2=size=192x108:rate=24", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
                "-t", String.valueOf(seconds), "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "96k",
                "-movflags", (faststart ? "+faststart" : "") + "+use_metadata_tags"));
        metadata.forEach((k, v) -> {
            cmd.add("-metadata");
            cmd.add(k + "=" + v);
        });
        cmd.add(out.toString());
        Run r = run(cmd, 120);
        assumeTrue(r.code() == 0, "SKIPPED: ffmpeg cannot encode H.264/AAC here: " + r.output());
        return out;
    }

    /** Per-frame MD5s of every decoded video and audio frame (FFmpeg framemd5), or the decoder's errors. */
    static String decodedFrames(Path file) throws Exception {
        Run r = run(List.of(FFMPEG.toString(), "-v", "error", "-nostdin", "-i", file.toString(), "-map", "0", "-f", "framemd5", "-"), 120);
        if (r.code() != 0) throw new AssertionError("ffmpeg cannot decode " + file + ": " + r.output());
        StringBuilder sb = new StringBuilder();
        for (String line : r.output().split("\n")) if (!line.startsWith("#")) sb.append(line).append('\n');
        return sb.toString();
    }

    /** The c2pa-node verdict as JSON text: {validation_state, validation_results, manifest}. */
    static String oracle(Path file, Path anchors) throws Exception {
        Run r = run(List.of(node(), ORACLE.resolve("verify.mjs").toString(), file.toString(), anchors.toString()), 120);
        if (r.code() != 0) throw new AssertionError("c2pa-node failed: " + r.output());
        return r.output().trim();
    }
}
