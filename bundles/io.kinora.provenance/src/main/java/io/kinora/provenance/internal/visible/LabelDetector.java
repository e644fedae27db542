package io.kinora.provenance.internal.visible;

import io.kinora.api.media.StageException;
import io.kinora.provenance.internal.watermark.ClipDecoder;

import java.awt.Font;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Finds Kinora's visible label in decoded luma frames, as {@code verify} reads a clip: the candidate label texts
 * are rendered with the labeller's own classes ({@link LabelFonts}, {@link LabelSprite}) and placed where
 * {@link VisibleLabeler} puts them (margin, corner), and each is correlated (normalised cross-correlation) with
 * the average of the opening frames: the label is static while the content moves, so averaging leaves the plate
 * and the text and blurs the rest.
 * <p>
 * The search needs no metadata: every candidate text, the four corners and letter heights from 5 % to 20 % of the
 * short side in 5 % steps are scored on a reduced picture (letters about 12-24 px high), the best few are refined
 * at full size (every pixel height within 10 %, positions within 2 px), and the best is accepted when its
 * correlation reaches {@link #THRESHOLD}. A label recorded in the signed manifest ({@link #expect}) is refined as well, with
 * no shortcut that could report a label that is not in the pixels.
 * <p>
 * Once found, every sampled frame is scored at the label's box ({@link #FRAME_THRESHOLD}): frames of the opening
 * (every k-th), every frame from {@value #EDGE_FROM_SECONDS} s to {@value #EDGE_TO_SECONDS} s (where a label shown
 * only in the opening ends), then one frame every half second to the end (at most {@link #maxSeconds}). An
 * unlabelled clip stops decoding after the opening.
 */
public final class LabelDetector implements ClipDecoder.FrameSink {
    /**
     * Correlation of the opening average with the best candidate needed to report a label. Calibrated on
     * LabelDetectorTest's null clips (unlabelled photographs, pans, noise, patterns, captions and dark plates with other
     * white text in the corners): see the README for the measured distribution.
     */
    public static final double THRESHOLD = 0.70;
    /** Correlation of one frame at the found label's box needed to count that frame as labelled. */
    public static final double FRAME_THRESHOLD = 0.50;
    /** Seconds of the opening averaged for the search (the label is on every frame of at least the first 2 s). */
    static final double OPENING_SECONDS = 2.0;
    static final double EDGE_FROM_SECONDS = 1.5;
    static final double EDGE_TO_SECONDS = 3.0;
    /** Frames of the opening averaged (every k-th, spread over the opening). */
    static final int OPENING_SAMPLES = 16;
    /** Letter heights searched: 5 % to 20 % of the short side, each step 5 % larger. */
    static final double MIN_PCT = 5.0;
    static final double MAX_PCT = 20.0;
    static final double STEP = 1.05;
    /** Letter height (px) of the reduced search. */
    static final int COARSE_PX = 12;
    /** Coarse candidates refined at full size. */
    static final int REFINED = 4;
    static final int SHIFT = 2;
    /** Letter heights refined: within this factor of the coarse one. */
    static final double REFINE_RANGE = 1.10;
    /** Background grey the templates are composed over (the plate is semi-opaque). */
    static final float GREY = 128f;

    /** Rendered, normalised templates: (text, font, letter px) to template; bounded. */
    private static final Map<String, Template> TEMPLATES = new ConcurrentHashMap<>();

    private final List<String> texts;
    private final Function<String, Font> fonts;
    private final double maxSeconds;
    private final List<String> unrenderable = new ArrayList<>();

    private int width;
    private int height;
    private double fps;
    private int framesInClip;
    private int openingEnd;
    private int stride;
    private int edgeFrom;
    private int edgeTo;
    private int every;
    private int lastFrame;
    private final List<byte[]> opening = new ArrayList<>();
    private final List<Integer> openingIndex = new ArrayList<>();
    private boolean searched;
    private Match best;
    private Match runnerUp;
    private final TreeMap<Integer, Double> scores = new TreeMap<>();
    private int framesRead;
    private int lastIndex = -1;

    /** One label text in one size at one position, with its correlation with the opening average. */
    public record Match(String text, Corner corner, int minPx, LabelSprite sprite, int x, int y, double score, Template template) {
    }

    /** A sprite as zero-mean, unit-norm luma over {@link #GREY}. */
    public record Template(int width, int height, float[] t, LabelSprite sprite) {
    }

    /**
     * What was found.
     *
     * @param found          a label's correlation reached {@link #THRESHOLD}
     * @param match          the best candidate (null when nothing could be scored)
     * @param runnerUp       the best candidate with another text (null if none)
     * @param openingPresent sampled frames of the first 2 s that carry the label, of {@code openingChecked}
     * @param shownSeconds   from the start to the end of the last labelled frame of the run that starts the clip
     * @param toEnd          the label is on the last frame checked, and that frame is within half a second of the end
     * @param checkedSeconds how far into the clip frames were read
     */
    public record Result(boolean found, Match match, Match runnerUp, int width, int height, double fps, int framesInClip, int framesRead,
                         int openingPresent, int openingChecked, double shownSeconds, boolean toEnd, double checkedSeconds, List<String> unrenderable) {
        public int shortSide() { return Math.min(width, height); }

        /** Letter height (ink above the baseline) as a percentage of the short side. */
        public double heightPercent() { return match == null ? 0 : 100.0 * match.sprite().textPx() / shortSide(); }

        /** 0 at the threshold, 1 for a perfect correlation (negative: below the threshold). */
        public double confidence() {
            return match == null ? 0 : Math.max(0, Math.min(1, (match.score() - THRESHOLD) / (1 - THRESHOLD)));
        }
    }

    /**
     * @param texts      candidate label texts (every text a policy can burn in)
     * @param fonts      the labeller's font choice ({@link LabelFonts#fontFor}); a text it cannot draw is skipped
     * @param maxSeconds frames after this are not read
     */
    public LabelDetector(List<String> texts, Function<String, Font> fonts, double maxSeconds) {
        this.texts = new ArrayList<>(new LinkedHashSet<>(texts));
        this.fonts = fonts;
        this.maxSeconds = maxSeconds;
    }

    /** A label the signed manifest says was burned in: also refined, whatever the coarse search ranks first. */
    private String expectedText;
    private Corner expectedCorner;
    private double expectedPercent;

    public void expect(String text, Corner corner, double heightPercent) {
        this.expectedText = text;
        if (text != null && !texts.contains(text)) texts.add(text);
        this.expectedCorner = corner;
        this.expectedPercent = heightPercent;
    }

    @Override
    public void start(int w, int h, double rate, int frames) {
        this.width = w;
        this.height = h;
        this.fps = rate;
        this.framesInClip = frames;
        this.openingEnd = Math.max(1, (int) Math.floor(OPENING_SECONDS * rate));
        this.stride = Math.max(1, openingEnd / OPENING_SAMPLES);
        this.edgeFrom = (int) Math.floor(EDGE_FROM_SECONDS * rate);
        this.edgeTo = (int) Math.ceil(EDGE_TO_SECONDS * rate);
        this.every = Math.max(1, (int) Math.round(rate / 2));
        this.lastFrame = (int) Math.min(Integer.MAX_VALUE, Math.ceil(maxSeconds * rate));
    }

    @Override
    public boolean wants(int index) {
        if (index > lastFrame) return false;
        if (index < openingEnd) return index % stride == 0 || index == openingEnd - 1;
        if (searched && best == null) return false;
        if (index < edgeTo) return index >= edgeFrom;
        return (index - edgeTo) % every == 0 || index == framesInClip - 1;
    }

    @Override
    public boolean accept(int index, byte[] luma, int w, int h) {
        if (w != width || h != height) throw new StageException("the picture size changed from " + width + "x" + height + " to " + w + "x" + h);
        framesRead++;
        lastIndex = Math.max(lastIndex, index);
        if (index < openingEnd) {
            opening.add(luma);
            openingIndex.add(index);
            return true;
        }
        if (!searched) search();
        if (best == null) return false;
        scores.put(index, frameScore(luma));
        return index < lastFrame;
    }

    /** Searches (if the clip ended within the opening) and reports. */
    public Result finish() {
        if (!searched) search();
        int openingPresent = 0;
        for (int i : openingIndex) if (scores.getOrDefault(i, 0.0) >= FRAME_THRESHOLD) openingPresent++;
        boolean found = best != null && best.score() >= THRESHOLD && openingPresent * 2 >= openingIndex.size();
        double shown = 0;
        boolean toEnd = false;
        if (found) {
            int lastOn = -1;
            int misses = 0;
            for (Map.Entry<Integer, Double> e : scores.entrySet()) {
                if (e.getValue() >= FRAME_THRESHOLD) {
                    lastOn = e.getKey();
                    misses = 0;
                } else if (++misses > 1) {
                    break; // one frame below the threshold (a cut, a flash) does not end the label; two do
                }
            }
            shown = (lastOn + 1) / fps;
            Map.Entry<Integer, Double> last = scores.lastEntry();
            toEnd = last != null && last.getKey() == lastOn && framesInClip - 1 - lastOn <= every;
        }
        return new Result(found, bestCandidate(), runnerUp, width, height, fps, framesInClip, framesRead, openingPresent, openingIndex.size(), shown, toEnd,
                (lastIndex + 1) / fps, List.copyOf(unrenderable));
    }

    // ---------------------------------------------------------------------------------------------------------

    private void search() {
        long t0 = System.nanoTime();
        try {
            doSearch();
        } finally {
            searchNanos = System.nanoTime() - t0;
        }
    }

    /** Time spent searching (rendering candidates and correlating them). */
    long searchNanos;


    private void doSearch() {
        searched = true;
        if (opening.isEmpty()) return;
        float[] avg = new float[width * height];
        for (byte[] f : opening) for (int i = 0; i < avg.length; i++) avg[i] += f[i] & 0xff;
        float inv = 1f / opening.size();
        for (int i = 0; i < avg.length; i++) avg[i] *= inv;
        int lo = VisibleLabeler.minTextPx(width, height, MIN_PCT);
        int hi = VisibleLabeler.minTextPx(width, height, MAX_PCT);
        List<Integer> sizes = new ArrayList<>();
        for (double s = lo; s <= hi * 1.0001; s *= STEP) {
            int px = (int) Math.round(s);
            if (sizes.isEmpty() || sizes.get(sizes.size() - 1) != px) sizes.add(px);
        }
        // coarse: each size on the pyramid level where its letters are about COARSE_PX high
        List<Level> levels = new ArrayList<>();
        levels.add(new Level(avg, width, height, 1));
        List<Match> coarse = new ArrayList<>();
        List<Font> faces = new ArrayList<>();
        List<String> drawable = new ArrayList<>();
        for (String text : texts) {
            try {
                faces.add(fonts.apply(text));
                drawable.add(text);
            } catch (StageException e) {
                unrenderable.add(text);
            }
        }
        for (int px : sizes) {
            int factor = 1;
            while (px / (factor * 2) >= COARSE_PX && Math.min(width, height) / (factor * 2) >= 32) factor *= 2;
            Level level = level(levels, factor);
            int small = Math.max(4, (int) Math.round(px / (double) factor));
            for (int k = 0; k < drawable.size(); k++) {
                Template t = template(drawable.get(k), faces.get(k), small);
                if (t == null || t.width() + 2 > level.w || t.height() + 2 > level.h) continue;
                for (Corner c : Corner.values()) {
                    // where the full-size label's outer edges lie, in level pixels
                    int fullW = t.width() * factor;
                    int fullH = t.height() * factor;
                    int[] at = VisibleLabeler.position(c, width, height, Math.min(width, fullW), Math.min(height, fullH));
                    int x0 = Math.round(at[0] / (float) factor);
                    int y0 = Math.round(at[1] / (float) factor);
                    double bestScore = ncc(level, x0, y0, t);
                    coarse.add(new Match(drawable.get(k), c, px, null, 0, 0, bestScore, null));
                }
            }
        }
        coarse.sort(Comparator.comparingDouble(Match::score).reversed());
        List<Match> refined = new ArrayList<>();
        int taken = 0;
        for (Match m : coarse) {
            if (taken >= REFINED) break;
            boolean near = false;
            for (Match r : refined) {
                if (r.text().equals(m.text()) && r.corner() == m.corner()
                        && Math.abs(Math.log(r.minPx() / (double) m.minPx())) < Math.log(STEP) * 2.5) near = true;
            }
            if (near) continue;
            taken++;
            Match r = refine(levels.get(0), m, faces.get(drawable.indexOf(m.text())));
            if (r != null) refined.add(r);
        }
        if (expectedText != null && expectedCorner != null && drawable.contains(expectedText)) {
            Match e = new Match(expectedText, expectedCorner, VisibleLabeler.minTextPx(width, height, expectedPercent), null, 0, 0, 0, null);
            Match r = refine(levels.get(0), e, faces.get(drawable.indexOf(expectedText)));
            if (r != null) refined.add(r);
        }
        refined.sort(Comparator.comparingDouble(Match::score).reversed());
        if (!refined.isEmpty()) {
            best = refined.get(0);
            for (Match r : refined) {
                if (!r.text().equals(best.text())) {
                    runnerUp = r;
                    break;
                }
            }
            if (runnerUp == null) {
                for (Match m : coarse) {
                    if (!m.text().equals(best.text())) {
                        Match r = refine(levels.get(0), m, faces.get(drawable.indexOf(m.text())));
                        runnerUp = r;
                        break;
                    }
                }
            }
        }
        if (best != null && best.score() < THRESHOLD) {
            opening.clear();
            Match b = best;
            best = null;
            notFound = b;
            return;
        }
        if (best != null) {
            for (int i = 0; i < opening.size(); i++) scores.put(openingIndex.get(i), frameScore(opening.get(i)));
        }
        opening.clear();
    }

    /** The best candidate of a search that found no label (for the report). */
    private Match notFound;

    /** The best candidate scored, whether or not it is a label. */
    public Match bestCandidate() {
        return best != null ? best : notFound;
    }

    /** Every letter height within 10 % of the coarse one at full size, positions within {@link #SHIFT} px. */
    private Match refine(Level full, Match m, Font font) {
        Match out = null;
        int lo = (int) Math.floor(m.minPx() / REFINE_RANGE);
        int hi = (int) Math.ceil(m.minPx() * REFINE_RANGE);
        for (int px = Math.max(2, lo); px <= hi; px++) {
            Template t = template(m.text(), font, px);
            if (t == null || t.width() > width || t.height() > height) continue;
            int[] at = VisibleLabeler.position(m.corner(), width, height, t.width(), t.height());
            for (int dy = -SHIFT; dy <= SHIFT; dy++) {
                for (int dx = -SHIFT; dx <= SHIFT; dx++) {
                    double s = ncc(full, at[0] + dx, at[1] + dy, t);
                    if (out == null || s > out.score()) out = new Match(m.text(), m.corner(), px, t.sprite(), at[0] + dx, at[1] + dy, s, t);
                }
            }
        }
        return out;
    }

    private double frameScore(byte[] luma) {
        Template t = best.template();
        int x0 = best.x();
        int y0 = best.y();
        float[] tt = t.t();
        double s = 0;
        double si = 0;
        double sii = 0;
        for (int y = 0, k = 0; y < t.height(); y++) {
            int row = (y0 + y) * width + x0;
            for (int x = 0; x < t.width(); x++, k++) {
                int v = luma[row + x] & 0xff;
                s += tt[k] * v;
                si += v;
                sii += (double) v * v;
            }
        }
        double n = t.width() * (double) t.height();
        double var = sii - si * si / n;
        return var <= 1e-6 ? 0 : s / Math.sqrt(var);
    }

    static double ncc(Level l, int x0, int y0, Template t) {
        int iw = l.w;
        int tw = t.width();
        int th = t.height();
        if (x0 < 0 || y0 < 0 || x0 + tw > iw || y0 + th > l.h) return -1;
        float[] img = l.img;
        float[] tt = t.t();
        float s = 0;
        for (int y = 0, k = 0; y < th; y++, k += tw) {
            int row = (y0 + y) * iw + x0;
            for (int x = 0; x < tw; x++) s += tt[k + x] * img[row + x];
        }
        // window sums from the integral images (one row and column larger than the level)
        int w1 = iw + 1;
        int a = y0 * w1 + x0;
        int b = y0 * w1 + x0 + tw;
        int c = (y0 + th) * w1 + x0;
        int d = (y0 + th) * w1 + x0 + tw;
        double si = l.sum[d] - l.sum[b] - l.sum[c] + l.sum[a];
        double sii = l.sq[d] - l.sq[b] - l.sq[c] + l.sq[a];
        double n = tw * (double) th;
        double var = sii - si * si / n;
        return var <= 1e-3 * n ? 0 : s / Math.sqrt(var);
    }

    /** The sprite {@link VisibleLabeler} would burn in for {@code text} at {@code px}, as a normalised template. */
    static Template template(String text, Font font, int px) {
        String key = text + '\u0000' + font.getFontName(java.util.Locale.ROOT) + '\u0000' + font.getStyle() + '\u0000' + px;
        Template t = TEMPLATES.get(key);
        if (t != null) return t;
        LabelSprite sp;
        try {
            sp = LabelSprite.render(text, font, px);
        } catch (IllegalArgumentException e) {
            return null;
        }
        int w = sp.width();
        int h = sp.height();
        float[] v = new float[w * h];
        double mean = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = sp.argb(x, y);
                float a = (p >>> 24) / 255f;
                float l = 0.299f * ((p >> 16) & 0xff) + 0.587f * ((p >> 8) & 0xff) + 0.114f * (p & 0xff);
                v[y * w + x] = l * a + GREY * (1 - a);
                mean += v[y * w + x];
            }
        }
        mean /= v.length;
        double norm = 0;
        for (int i = 0; i < v.length; i++) {
            v[i] -= (float) mean;
            norm += v[i] * v[i];
        }
        if (norm <= 0) return null;
        float scale = (float) (1 / Math.sqrt(norm));
        for (int i = 0; i < v.length; i++) v[i] *= scale;
        t = new Template(w, h, v, sp);
        if (TEMPLATES.size() > 4000) TEMPLATES.clear();
        TEMPLATES.put(key, t);
        return t;
    }

    /** The opening average reduced by {@code factor} (box filter), made once per factor. */
    private static Level level(List<Level> levels, int factor) {
        for (Level l : levels) if (l.factor == factor) return l;
        Level prev = levels.get(levels.size() - 1);
        while (prev.factor < factor) {
            int w = prev.w / 2;
            int h = prev.h / 2;
            float[] img = new float[w * h];
            for (int y = 0; y < h; y++) {
                int r0 = 2 * y * prev.w;
                int r1 = r0 + prev.w;
                for (int x = 0; x < w; x++) {
                    img[y * w + x] = 0.25f * (prev.img[r0 + 2 * x] + prev.img[r0 + 2 * x + 1] + prev.img[r1 + 2 * x] + prev.img[r1 + 2 * x + 1]);
                }
            }
            prev = new Level(img, w, h, prev.factor * 2);
            levels.add(prev);
        }
        return prev;
    }

    /** One level of the opening average's pyramid, with integral images of its values and squares. */
    private static final class Level {
        final float[] img;
        final int w;
        final int h;
        final int factor;
        final double[] sum;
        final double[] sq;

        Level(float[] img, int w, int h, int factor) {
            this.img = img;
            this.w = w;
            this.h = h;
            this.factor = factor;
            sum = new double[(w + 1) * (h + 1)];
            sq = new double[(w + 1) * (h + 1)];
            for (int y = 0; y < h; y++) {
                double rs = 0;
                double rq = 0;
                for (int x = 0; x < w; x++) {
                    double v = img[y * w + x];
                    rs += v;
                    rq += v * v;
                    sum[(y + 1) * (w + 1) + x + 1] = sum[y * (w + 1) + x + 1] + rs;
                    sq[(y + 1) * (w + 1) + x + 1] = sq[y * (w + 1) + x + 1] + rq;
                }
            }
        }
    }
}
