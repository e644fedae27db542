package io.kinora.models.parallax.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Scene motion: subtle animation of what should move in the picture, on top of the camera move.
 *
 * <ul>
 *   <li><b>water shimmer</b>: ripples displace the picture a few pixels where the water mask is set;
 *   <li><b>drifting clouds</b>: the sky mask slides slowly to the right, eased over the clip;
 *   <li><b>flicker</b>: brightness of bright warm regions (fire, candles, lamps) varies like a flame;
 *   <li><b>particles</b>: rain, snow, dust or sparkle as two screen-space layers (near and far) that move at
 *       different speeds and are blended over the frame.
 * </ul>
 * What moves is chosen from the prompt ("a lake at dawn", "snow falling", "candle light"); where it moves comes
 * from the image ({@link DepthEstimator#masks}): a prompt that mentions water on a picture without a water-like
 * region gets no shimmer, and the report says so. Particles need no region. Nothing is chosen without the prompt
 * asking for it: a product shot stays clean.
 *
 * <p>Every amplitude is zero at frame 0 and eases in over {@link #RAMP_SECONDS}, so frame 0 is the still picture
 * (first-frame fidelity). The seed decides the ripple and flicker phases and the particle layout: same seed, same
 * frames; another seed, another (equally calm) animation.
 */
final class SceneMotion {

    /** Seconds over which every scene-motion amplitude eases in from zero. */
    static final double RAMP_SECONDS = 1.0;
    /** Largest ripple displacement, view units (0.0035 = 0.18 % of the frame width), at strength 1. */
    static final double SHIMMER = 0.0035;
    /** Ripples per view unit of height, radians (about 12 crests per frame height). */
    static final double SHIMMER_FREQ = 2 * Math.PI * 6;
    /** Ripple phase speed, radians per second. */
    static final double SHIMMER_SPEED = 2 * Math.PI * 0.55;
    /** Cloud drift per second of clip, view units, and the most over a clip. */
    static final double DRIFT_PER_SECOND = 0.004;
    static final double DRIFT_MAX = 0.025;
    /** Largest relative brightness change of a flickering light, at strength 1. */
    static final double FLICKER = 0.10;
    /** Smallest fraction of the picture a mask must cover for its motion to be used. */
    static final double MIN_COVERAGE = 0.01;

    enum Particles {
        NONE("none"), RAIN("rain"), SNOW("snow"), DUST("dust"), SPARKLE("sparkle");

        final String id;

        Particles(String id) { this.id = id; }
    }

    /** What the prompt asks for, with the phrases that asked. */
    record Wish(String water, String sky, String light, Particles particles, String particlePhrase) {
        boolean any() {
            return water != null || sky != null || light != null || particles != Particles.NONE;
        }
    }

    private static final String NEG = "(?<!\\bno\\s)(?<!\\bwithout\\s)(?<!\\bnot\\s)";
    private static final Pattern WATER = Pattern.compile(NEG + "\\b(?:water|sea|ocean|lake|river|pond|pool|waves?"
            + "|ripples?|rippling|shimmer(?:s|ing)?|reflections?|stream|lagoon|bay|shore|harbou?r|canal)\\b|水面|湖|海|河|波光|涟漪");
    private static final Pattern SKY = Pattern.compile(NEG + "\\b(?:clouds?|cloudy|sky|skies|overcast)\\b|云|天空");
    private static final Pattern LIGHT = Pattern.compile(NEG + "\\b(?:fire|fires|flames?|flaming|candles?|candlelight"
            + "|fireplace|campfire|bonfire|torch(?:es)?|flicker(?:s|ing)?|lanterns?|embers?)\\b|火|烛|蜡烛|灯笼");
    private static final List<Object[]> PARTICLES = List.of(
            new Object[] {Pattern.compile(NEG + "\\b(?:rain|rains|raining|rainy|drizzle|downpour|rainfall|storm|stormy)\\b|雨"), Particles.RAIN},
            new Object[] {Pattern.compile(NEG + "\\b(?:snow|snows|snowing|snowy|snowfall|snowflakes?|blizzard)\\b|雪"), Particles.SNOW},
            new Object[] {Pattern.compile(NEG + "\\b(?:dust|dusty|motes?|pollen|particles|embers floating|haze of dust)\\b|尘|灰尘"), Particles.DUST},
            new Object[] {Pattern.compile(NEG + "\\b(?:sparkles?|sparkling|sparkly|glitter(?:s|ing)?|twinkl(?:e|es|ing)|glints?|magical?|bokeh)\\b|闪光|闪烁|星光"), Particles.SPARKLE});

    /** Reads the prompt. Negated mentions ("no rain", "without clouds") do not count. */
    static Wish wish(String prompt) {
        String text = prompt == null ? "" : prompt.toLowerCase(Locale.ROOT);
        Particles particles = Particles.NONE;
        String particlePhrase = null;
        int best = Integer.MAX_VALUE;
        for (Object[] p : PARTICLES) {
            Matcher m = ((Pattern) p[0]).matcher(text);
            if (m.find() && m.start() < best) {
                best = m.start();
                particles = (Particles) p[1];
                particlePhrase = m.group();
            }
        }
        return new Wish(find(WATER, text), find(SKY, text), find(LIGHT, text), particles, particlePhrase);
    }

    private static String find(Pattern p, String text) {
        Matcher m = p.matcher(text);
        return m.find() ? m.group() : null;
    }

    /** The motion of one rendition, ready for {@link #apply}. */
    record Plan(double shimmer, double drift, double flicker, Particles particles, double strength,
                double duration, double phase0, double[] flickerPhases, double[] sparklePhases, String summary) {

        boolean any() {
            return shimmer > 0 || drift > 0 || flicker > 0 || particles != Particles.NONE;
        }

        boolean flickers() { return flicker > 0; }

        /** Largest displacement the motion adds to a sample, view units (x, y): the camera plan keeps room for it. */
        double maxDisplacementX() { return shimmer * 1.5 + drift; }

        double maxDisplacementY() { return shimmer * 0.35; }
    }

    static final Plan NONE = new Plan(0, 0, 0, Particles.NONE, 0, 0, 0, new double[3], new double[2], "none");

    /**
     * @param wish     what the prompt asks for
     * @param coverage fraction of the picture covered by the water, sky and light masks
     * @param strength 0 = off, 1 = default, 2 = double amplitude
     * @param duration clip length in seconds
     * @param seed     the scene's seed
     */
    static Plan plan(Wish wish, float[] coverage, double strength, double duration, long seed) {
        if (strength <= 0) return new Plan(0, 0, 0, Particles.NONE, 0, duration, 0, new double[3], new double[2],
                wish.any() ? "off (motion strength 0)" : "none");
        if (!wish.any()) return new Plan(0, 0, 0, Particles.NONE, strength, duration, 0, new double[3], new double[2],
                "none (the prompt names nothing that moves: water, clouds, fire or light, rain, snow, dust, sparkle)");
        List<String> parts = new ArrayList<>();
        double shimmer = 0;
        double drift = 0;
        double flicker = 0;
        if (wish.water() != null) {
            if (coverage[0] >= MIN_COVERAGE) {
                shimmer = SHIMMER * strength;
                parts.add(String.format(Locale.ROOT, "water shimmer on %.0f %% of the picture (prompt says '%s')",
                        coverage[0] * 100, wish.water()));
            } else {
                parts.add("no water shimmer: the prompt says '" + wish.water() + "' but the picture shows no water-like region");
            }
        }
        if (wish.sky() != null) {
            if (coverage[1] >= MIN_COVERAGE) {
                drift = Math.min(DRIFT_MAX, DRIFT_PER_SECOND * duration) * strength;
                parts.add(String.format(Locale.ROOT, "clouds drift right by %.1f %% of the frame width over the clip,"
                        + " on %.0f %% of the picture (prompt says '%s')", drift * 50, coverage[1] * 100, wish.sky()));
            } else {
                parts.add("no cloud drift: the prompt says '" + wish.sky() + "' but the picture shows no smooth sky region");
            }
        }
        if (wish.light() != null) {
            if (coverage[2] >= MIN_COVERAGE * 0.25) {
                flicker = FLICKER * strength;
                parts.add(String.format(Locale.ROOT, "light flickers by up to %.0f %% on %.1f %% of the picture (prompt says '%s')",
                        flicker * 100, coverage[2] * 100, wish.light()));
            } else {
                parts.add("no flicker: the prompt says '" + wish.light() + "' but the picture has no bright warm region");
            }
        }
        if (wish.particles() != Particles.NONE) {
            parts.add(wish.particles().id + " particles in two layers (prompt says '" + wish.particlePhrase() + "')");
        }
        SplittableRandom rnd = new SplittableRandom(seed ^ 0x5CE4E40710L);
        double phase0 = rnd.nextDouble() * 2 * Math.PI;
        double[] fl = {rnd.nextDouble() * 2 * Math.PI, rnd.nextDouble() * 2 * Math.PI, rnd.nextDouble() * 2 * Math.PI};
        double[] sp = {rnd.nextDouble() * 2 * Math.PI, rnd.nextDouble() * 2 * Math.PI};
        String summary = String.join("; ", parts) + String.format(Locale.ROOT,
                "; strength %.2f, eases in over %.1f s from the still picture", strength, RAMP_SECONDS);
        return new Plan(shimmer, drift, flicker, wish.particles(), strength, duration, phase0, fl, sp, summary);
    }

    /** 0 at t = 0, 1 after {@link #RAMP_SECONDS}, smooth (zero slope at both ends). */
    static double ramp(double t) {
        if (t <= 0) return 0;
        if (t >= RAMP_SECONDS) return 1;
        double x = t / RAMP_SECONDS;
        return x * x * (3 - 2 * x);
    }

    /** Writes the scene-motion parameters of the frame at {@code t} seconds. */
    static void apply(Plan plan, ParticleLayers layers, double t, float[] params) {
        double r = ramp(t);
        params[WarpHelper.SHIMMER_AMP] = (float) (plan.shimmer() * r);
        params[WarpHelper.SHIMMER_PHASE] = (float) ((plan.phase0() + SHIMMER_SPEED * t) % (2 * Math.PI));
        params[WarpHelper.SHIMMER_FREQ] = (float) SHIMMER_FREQ;
        double u = plan.duration() > 0 ? Math.min(1, t / plan.duration()) : 0;
        params[WarpHelper.DRIFT_X] = (float) (plan.drift() * (0.5 - 0.5 * Math.cos(Math.PI * u)));
        if (plan.flicker() > 0) {
            double[] p = plan.flickerPhases();
            // three incommensurate sines: a flame's irregular breathing, within [-1, 1]
            double n = 0.5 * Math.sin(2 * Math.PI * 1.3 * t + p[0]) + 0.3 * Math.sin(2 * Math.PI * 2.9 * t + p[1])
                    + 0.2 * Math.sin(2 * Math.PI * 5.3 * t + p[2]);
            params[WarpHelper.FLICKER_GAIN] = (float) (plan.flicker() * r * n);
        } else {
            params[WarpHelper.FLICKER_GAIN] = 0f;
        }
        if (layers != null) {
            layers.apply(plan, t, r, params);
        } else {
            params[WarpHelper.PART_A1] = 0f;
            params[WarpHelper.PART_A2] = 0f;
        }
    }
}
