package io.kinora.cli.internal;

import io.kinora.api.generation.GenerationListener;
import io.kinora.api.generation.Stage;

import java.io.PrintStream;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * Renders job progress on a terminal: one redrawn bar when interactive, otherwise a line per stage and
 * every 25 % of the long video stage (readable in CI logs).
 */
final class ProgressBar implements GenerationListener {
    /** Rough share of wall time per stage, so the bar moves evenly. */
    private static final Map<Stage, Double> WEIGHT = new EnumMap<>(Map.of(
            Stage.PLAN, 0.12, Stage.AMBIENCE, 0.03, Stage.MIX, 0.05, Stage.VIDEO, 0.75, Stage.SIGN, 0.05));
    private static final int WIDTH = 30;

    private final PrintStream out;
    private final boolean interactive;
    private final long start = System.nanoTime();
    private Stage current;
    private int lastQuarter = -1;
    private long lastDraw;

    ProgressBar(PrintStream out, boolean interactive) {
        this.out = out;
        this.interactive = interactive;
    }

    @Override
    public synchronized void progress(Stage stage, double fraction, String message) {
        double done = 0;
        for (Stage s : Stage.values()) {
            if (s.ordinal() < stage.ordinal()) done += WEIGHT.get(s);
        }
        done += WEIGHT.get(stage) * Math.max(0, Math.min(1, fraction));
        double elapsed = (System.nanoTime() - start) / 1e9;
        if (interactive) {
            long now = System.nanoTime();
            if (now - lastDraw < 80_000_000L && fraction < 1 && stage == current) return;
            lastDraw = now;
            int filled = (int) Math.round(done * WIDTH);
            out.printf(Locale.ROOT, "\r[%s%s] %3d%%  %-24s %-28s %5.1fs", "#".repeat(filled), ".".repeat(WIDTH - filled),
                    Math.round(done * 100), stage.title(), trim(message), elapsed);
            out.flush();
        } else {
            int quarter = (int) Math.floor(fraction * 4);
            if (stage != current || (stage == Stage.VIDEO && quarter != lastQuarter && quarter < 4)) {
                out.printf(Locale.ROOT, "%3d%%  %-24s %s (%.1fs)%n", Math.round(done * 100), stage.title(), trim(message), elapsed);
                lastQuarter = quarter;
            }
        }
        current = stage;
    }

    void finish() {
        if (interactive) {
            out.print("\r" + " ".repeat(WIDTH + 75) + "\r");
            out.flush();
        }
    }

    private static String trim(String s) {
        return s == null ? "" : s.length() > 28 ? s.substring(0, 27) + "…" : s;
    }
}
