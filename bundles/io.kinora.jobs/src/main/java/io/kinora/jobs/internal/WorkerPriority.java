package io.kinora.jobs.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/**
 * Lowers the operating-system scheduling priority of the calling thread, so that generation work (this thread and every
 * thread it creates afterwards: frame pipes, speech, FFmpeg/x264 and PyTorch OpenMP threads, which inherit a Linux
 * thread's nice value) yields the CPU to request serving. Java has no API for a thread's nice value; on Linux it is
 * per thread, so the thread's id is read from {@code /proc/thread-self} and {@code renice} applied to it. Raising
 * one's own nice value needs no privilege. Anywhere else (another OS, no {@code /proc}, no {@code renice}) nothing
 * happens.
 */
final class WorkerPriority {
    private static final Path SELF = Path.of("/proc/thread-self");

    private WorkerPriority() {
    }

    /**
     * Makes the calling thread's nice value at least {@code nice} (1-19); 0 or less does nothing.
     *
     * @return the thread's nice value afterwards, or empty where it cannot be read or changed
     */
    static OptionalInt lowerCurrentThread(int nice) {
        if (nice <= 0 || !System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) return OptionalInt.empty();
        try {
            String tid = Files.readSymbolicLink(SELF).getFileName().toString(); // "<pid>/task/<tid>"
            if (!tid.matches("\\d+")) return OptionalInt.empty();
            OptionalInt now = niceOf(SELF.resolve("stat"));
            if (now.isEmpty()) return now;
            if (now.getAsInt() >= nice) return now;
            Process p = new ProcessBuilder("renice", "-n", Integer.toString(Math.min(19, nice)), "-p", tid)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return OptionalInt.empty();
            }
            return niceOf(SELF.resolve("stat"));
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return OptionalInt.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OptionalInt.empty();
        }
    }

    /** The nice value of the calling thread (field 19 of its {@code stat}), or empty. */
    static OptionalInt currentNice() {
        return niceOf(SELF.resolve("stat"));
    }

    private static OptionalInt niceOf(Path stat) {
        try {
            String s = Files.readString(stat, StandardCharsets.US_ASCII);
            // "tid (comm) state ppid ...": comm may hold spaces and parentheses; fields after the last ')' start at 3
            String[] f = s.substring(s.lastIndexOf(')') + 2).trim().split(" ");
            return f.length > 16 ? OptionalInt.of(Integer.parseInt(f[16])) : OptionalInt.empty();
        } catch (IOException | RuntimeException e) {
            return OptionalInt.empty();
        }
    }
}
