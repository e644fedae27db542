package io.kinora.provenance.internal.audio;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds the {@link RhythmCue} (short-long-short-short at 1 kHz) in mono sound, as {@code verify} decodes it: a
 * Goertzel filter at {@value RhythmCue#FREQUENCY_HZ} Hz over {@value #WINDOW_MS} ms windows every {@value #HOP_MS}
 * ms; a window is "on" when the 1 kHz sine holds at least {@value #PURITY} of the window's energy and its amplitude
 * is at least {@value #MIN_AMPLITUDE}. The on/off runs are then matched against the cue: four consecutive tones
 * whose eight edges fit {@code t0 + c x unit} with c = 0,1 | 2,5 | 8,9 | 10,11 (least squares), every edge within
 * {@value #EDGE_TOLERANCE_MS} ms, a unit of 50-130 ms, starting within the first {@value #MAX_START_SECONDS} s (the
 * cue is mixed at 0; what the AAC priming and a missing edit list add is a few tens of ms). A continuous tone, beeps
 * of another rhythm, or tones at another pitch do not fit.
 */
public final class RhythmCueDetector {
    static final int RATE = 48_000;
    static final int WINDOW_MS = 10;
    static final int HOP_MS = 5;
    static final double PURITY = 0.6;
    static final double MIN_AMPLITUDE = 0.02;
    static final double EDGE_TOLERANCE_MS = 20;
    static final double MAX_START_SECONDS = 1.0;
    /** Edges of the cue in units: on at 0, off at 1, on 2, off 5, on 8, off 9, on 10, off 11. */
    static final double[] EDGES = {0, 1, 2, 5, 8, 9, 10, 11};

    /**
     * @param found     the rhythm was matched
     * @param start     seconds from the start of the decoded sound to the first tone
     * @param unit      the fitted unit (s)
     * @param rmsError  RMS edge error of the fit (ms)
     * @param maxError  largest edge error (ms)
     * @param purity    mean share of the 1 kHz sine in the energy of the tone windows
     * @param tones     tone runs found in the searched span
     * @param toneLevel mean amplitude of the tone windows
     */
    public record Detection(boolean found, double start, double unit, double rmsError, double maxError, double purity, int tones,
                            double toneLevel, double confidence, double seconds) {
    }

    private RhythmCueDetector() {
    }

    /** Looks for the cue in the first {@code MAX_START_SECONDS + 2} s of {@code mono} (48 kHz). */
    public static Detection detect(float[] mono) {
        int win = RATE * WINDOW_MS / 1000;
        int hop = RATE * HOP_MS / 1000;
        int span = Math.min(mono.length, (int) ((MAX_START_SECONDS + 2.0) * RATE));
        int n = span < win ? 0 : (span - win) / hop + 1;
        boolean[] on = new boolean[n];
        double[] purity = new double[n];
        double[] amp = new double[n];
        double w = 2 * Math.PI * RhythmCue.FREQUENCY_HZ / RATE;
        double cos = Math.cos(w);
        double sin = Math.sin(w);
        double coeff = 2 * cos;
        for (int k = 0; k < n; k++) {
            int o = k * hop;
            double s1 = 0;
            double s2 = 0;
            double energy = 0;
            for (int i = 0; i < win; i++) {
                double x = mono[o + i];
                double s0 = x + coeff * s1 - s2;
                s2 = s1;
                s1 = s0;
                energy += x * x;
            }
            double re = s1 - s2 * cos;
            double im = s2 * sin;
            double a = 2 * Math.sqrt(re * re + im * im) / win; // sine amplitude
            double p = energy <= 1e-12 ? 0 : (a * a / 2) / (energy / win);
            purity[k] = p;
            amp[k] = a;
            on[k] = p >= PURITY && a >= MIN_AMPLITUDE;
        }
        // runs of on-windows; a window's edge is its centre, so a tone of d ms gives about d / hop windows
        List<double[]> runs = new ArrayList<>(); // {start s, end s, first window, last window}
        for (int k = 0; k < n; ) {
            if (!on[k]) {
                k++;
                continue;
            }
            int j = k;
            while (j + 1 < n && (on[j + 1] || j + 2 < n && on[j + 2])) j++; // one window off inside a tone is bridged
            // the tone starts about where the first on-window starts and ends where the last one ends
            double t0 = (k * hop) / (double) RATE;
            double t1 = (j * hop + win) / (double) RATE;
            runs.add(new double[] {t0, t1, k, j});
            k = j + 1;
        }
        Detection bestMiss = new Detection(false, 0, 0, 0, 0, 0, runs.size(), 0, 0, span / (double) RATE);
        Detection best = null;
        for (int r = 0; r + 4 <= runs.size(); r++) {
            if (runs.get(r)[0] > MAX_START_SECONDS) break;
            double[] e = new double[8];
            for (int q = 0; q < 4; q++) {
                e[2 * q] = runs.get(r + q)[0];
                e[2 * q + 1] = runs.get(r + q)[1];
            }
            // least squares e = t0 + c * unit
            double mc = 0;
            double me = 0;
            for (int q = 0; q < 8; q++) {
                mc += EDGES[q];
                me += e[q];
            }
            mc /= 8;
            me /= 8;
            double sxy = 0;
            double sxx = 0;
            for (int q = 0; q < 8; q++) {
                sxy += (EDGES[q] - mc) * (e[q] - me);
                sxx += (EDGES[q] - mc) * (EDGES[q] - mc);
            }
            double unit = sxy / sxx;
            double t0 = me - unit * mc;
            double sq = 0;
            double max = 0;
            for (int q = 0; q < 8; q++) {
                double err = Math.abs(e[q] - (t0 + EDGES[q] * unit)) * 1000;
                sq += err * err;
                max = Math.max(max, err);
            }
            double rms = Math.sqrt(sq / 8);
            double pur = 0;
            double lvl = 0;
            int cnt = 0;
            for (int q = 0; q < 4; q++) {
                for (int k = (int) runs.get(r + q)[2]; k <= (int) runs.get(r + q)[3]; k++) {
                    pur += purity[k];
                    lvl += amp[k];
                    cnt++;
                }
            }
            pur /= cnt;
            lvl /= cnt;
            boolean ok = unit >= RhythmCue.MIN_UNIT_SECONDS && unit <= 0.13 && max <= EDGE_TOLERANCE_MS && t0 >= -0.05 && t0 <= MAX_START_SECONDS;
            // a fifth tone right after the fourth (within 3 units) means another rhythm, not the cue
            if (ok && r + 4 < runs.size() && runs.get(r + 4)[0] - e[7] < 3 * unit) ok = false;
            double conf = ok ? Math.max(0, Math.min(1, (1 - rms / EDGE_TOLERANCE_MS) * Math.min(1, (pur - PURITY) / (1 - PURITY) + 0.5))) : 0;
            Detection d = new Detection(ok, t0, unit, rms, max, pur, runs.size(), lvl, conf, span / (double) RATE);
            if (ok && (best == null || d.rmsError() < best.rmsError())) best = d;
            if (!ok && (bestMiss.tones() == 0 || bestMiss.unit() == 0 || rms < bestMiss.rmsError())) bestMiss = d;
        }
        return best != null ? best : bestMiss;
    }
}
