package io.kinora.ambient.internal;

import io.kinora.api.media.RgbImage;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Picks a soundscape for {@code auto} from the prompt's words and, when given, the image's colours.
 *
 * <p>Every keyword of a preset that the prompt mentions scores 1. The image adds evidence worth less than one
 * word ({@value #IMAGE_WEIGHT}): a dark picture suggests night, much foliage green a forest, blue water in the lower
 * half the sea, bright orange-yellow in a dark scene a fire, grey low-saturation surfaces a city street. The highest
 * score wins; ties go to the more salient sound (the order of {@link #KEYWORDS}); nothing at all gives room tone.
 * The reason names the words and image cues that decided.
 */
final class PresetChooser {
    static final double IMAGE_WEIGHT = 0.75;
    /** Keywords per preset, in order of salience. Whole words, lower case. */
    static final Map<String, Set<String>> KEYWORDS = new LinkedHashMap<>();

    static {
        KEYWORDS.put("fire", Set.of("fire", "fires", "campfire", "bonfire", "fireplace", "hearth", "flame", "flames",
                "burning", "embers", "ember", "blaze", "torch", "torches", "firewood", "crackling", "stove", "log"));
        KEYWORDS.put("rain", Set.of("rain", "rains", "raining", "rainy", "rainfall", "rainstorm", "drizzle",
                "drizzling", "downpour", "shower", "showers", "storm", "storms", "stormy", "thunder",
                "thunderstorm", "monsoon", "umbrella", "umbrellas", "puddle", "puddles", "raindrops", "wet"));
        KEYWORDS.put("ocean", Set.of("ocean", "oceans", "sea", "seas", "seaside", "beach", "beaches", "surf",
                "surfing", "wave", "waves", "shore", "shoreline", "coast", "coastal", "harbour", "harbor", "pier",
                "tide", "tides", "bay", "lighthouse", "sailing", "sailboat", "seashore", "lagoon", "reef", "cove"));
        KEYWORDS.put("stream", Set.of("stream", "streams", "brook", "creek", "river", "rivers", "riverbank", "rapids",
                "waterfall", "waterfalls", "canal", "babbling", "fountain", "rill", "ford", "trickling"));
        KEYWORDS.put("traffic", Set.of("city", "cities", "street", "streets", "traffic", "road", "roads", "highway",
                "downtown", "urban", "cars", "car", "taxi", "bus", "intersection", "crosswalk", "avenue", "boulevard",
                "sidewalk", "metropolis", "skyline", "rush", "commute"));
        KEYWORDS.put("cafe", Set.of("cafe", "café", "coffee", "restaurant", "bar", "pub", "diner", "bistro", "crowd",
                "crowded", "party", "canteen", "cafeteria", "market", "bazaar", "tavern", "lounge", "busy", "chatter",
                "audience", "terrace", "teahouse"));
        KEYWORDS.put("forest", Set.of("forest", "forests", "wood", "woods", "woodland", "jungle", "trees", "tree",
                "birds", "bird", "birdsong", "meadow", "garden", "park", "grove", "trail", "glade", "orchard",
                "countryside", "spring", "morning", "dawn", "leaves", "nature"));
        KEYWORDS.put("night", Set.of("night", "nights", "nighttime", "midnight", "moon", "moonlit", "moonlight",
                "stars", "starry", "crickets", "cricket", "cicadas", "insects", "dusk", "twilight", "evening", "dark",
                "fireflies", "swamp", "marsh"));
        KEYWORDS.put("wind", Set.of("wind", "winds", "windy", "breeze", "breezy", "gust", "gusts", "gusty", "gale",
                "blizzard", "desert", "dunes", "mountain", "mountains", "summit", "peak", "cliff", "cliffs",
                "moor", "moors", "prairie", "tundra", "steppe", "snowstorm", "windswept", "plains", "hilltop"));
        KEYWORDS.put("room", Set.of("room", "rooms", "office", "kitchen", "bedroom", "hall", "hallway", "library",
                "indoor", "indoors", "inside", "studio", "classroom", "house", "apartment", "flat", "corridor",
                "lobby", "interior", "attic", "basement", "living"));
    }

    static final String DEFAULT = "room";

    /** A choice and its reason. */
    static final class Choice {
        final String preset;
        final String reason;

        Choice(String preset, String reason) {
            this.preset = preset;
            this.reason = reason;
        }
    }

    /** Colour statistics of an image, as fractions of sampled pixels (mean luma 0..1). */
    record ImageCues(double luma, double foliage, double water, double fire, double grey, double sky) {
        /** Which preset the image supports and a phrase saying why; empty when it says nothing clear. */
        Map<String, String> evidence() {
            Map<String, String> e = new LinkedHashMap<>();
            if (fire > 0.03 && luma < 0.45) e.put("fire", "flame colours in " + pct(fire) + " of a dark picture");
            if (water > 0.25) e.put("ocean", "water blue in " + pct(water) + " of the lower half");
            if (foliage > 0.30) e.put("forest", pct(foliage) + " foliage green");
            if (luma < 0.22 && !e.containsKey("fire")) e.put("night", "a dark picture (mean brightness " + pct(luma) + ")");
            if (grey > 0.55 && foliage < 0.1 && water < 0.1 && luma >= 0.22) e.put("traffic", pct(grey) + " grey, unsaturated surfaces");
            return e;
        }

        private static String pct(double v) {
            return Math.round(v * 100) + " %";
        }
    }

    private PresetChooser() {
    }

    static Choice choose(String prompt) {
        return choose(prompt, null);
    }

    static Choice choose(String prompt, RgbImage image) {
        List<String> words = words(prompt == null ? "" : prompt);
        Map<String, String> imageEvidence = image == null ? Map.of() : cues(image).evidence();
        String best = null;
        double bestScore = 0;
        List<String> bestHits = List.of();
        for (Map.Entry<String, Set<String>> e : KEYWORDS.entrySet()) {
            List<String> hits = new ArrayList<>();
            for (String w : words) {
                if (e.getValue().contains(w) && !hits.contains(w)) hits.add(w);
            }
            double score = hits.size() + (imageEvidence.containsKey(e.getKey()) ? IMAGE_WEIGHT : 0);
            if (score > bestScore) { // strict: ties keep the more salient preset
                best = e.getKey();
                bestScore = score;
                bestHits = hits;
            }
        }
        if (best == null) {
            return new Choice(DEFAULT, DEFAULT + ": neither the prompt nor the image suggests a setting; quiet room tone by default");
        }
        StringBuilder reason = new StringBuilder(best).append(": ");
        if (!bestHits.isEmpty()) {
            reason.append("prompt mentions ");
            for (int i = 0; i < bestHits.size(); i++) {
                if (i > 0) reason.append(", ");
                reason.append('\'').append(bestHits.get(i)).append('\'');
            }
        }
        String cue = imageEvidence.get(best);
        if (cue != null) reason.append(bestHits.isEmpty() ? "image shows " : "; image shows ").append(cue);
        return new Choice(best, reason.toString());
    }

    /** Colour statistics over a grid of about 96 x 96 sampled pixels. */
    static ImageCues cues(RgbImage image) {
        int w = image.width(), h = image.height();
        int sx = Math.max(1, w / 96), sy = Math.max(1, h / 96);
        double luma = 0;
        int n = 0, foliage = 0, fire = 0, grey = 0, sky = 0, skyN = 0, water = 0, waterN = 0;
        byte[] px = image.rgb();
        for (int y = sy / 2; y < h; y += sy) {
            for (int x = sx / 2; x < w; x += sx) {
                int o = (y * w + x) * 3;
                int r = px[o] & 0xff, g = px[o + 1] & 0xff, b = px[o + 2] & 0xff;
                int max = Math.max(r, Math.max(g, b)), min = Math.min(r, Math.min(g, b));
                double sat = max == 0 ? 0 : (max - min) / (double) max;
                double l = (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
                luma += l;
                n++;
                boolean blue = b > r + 25 && b >= g - 10 && sat > 0.2;
                if (g > r + 10 && g > b + 10 && sat > 0.2) foliage++;
                if (r > 190 && g > 70 && g < 200 && b < 110 && r > g + 30) fire++;
                if (sat < 0.15 && l > 0.15 && l < 0.85) grey++;
                if (y < h / 3) {
                    skyN++;
                    if (blue) sky++;
                } else if (y >= h / 2) {
                    waterN++;
                    if (blue) water++;
                }
            }
        }
        return new ImageCues(luma / n, foliage / (double) n, waterN == 0 ? 0 : water / (double) waterN, fire / (double) n,
                grey / (double) n, skyN == 0 ? 0 : sky / (double) skyN);
    }

    static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        String lower = text.toLowerCase(Locale.ROOT);
        for (int i = 0; i < lower.length(); i++) {
            char ch = lower.charAt(i);
            if (Character.isLetter(ch)) {
                current.append(ch);
            } else if (current.length() > 0) {
                words.add(current.toString());
                current.setLength(0);
            }
        }
        if (current.length() > 0) words.add(current.toString());
        return words;
    }
}
