package io.kinora.compositor.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The system's FFmpeg command line tools as an independent checker (tests skip when they are not installed). */
final class Ffmpeg {
    private Ffmpeg() {
    }

    static boolean available() {
        try {
            return run(List.of("ffmpeg", "-hide_banner", "-version")).exit == 0
                    && run(List.of("ffprobe", "-hide_banner", "-version")).exit == 0;
        } catch (IOException e) {
            return false;
        }
    }

    record Result(int exit, String out) {
    }

    /** Runs a command; stdout and stderr together. */
    static Result run(List<String> command) throws IOException {
        Process p = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).start();
        try {
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("timed out: " + command);
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}
