package io.kinora.ambient.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Picks a soundscape for {@code auto} from the words of the prompt: the preset whose keywords the prompt
 * mentions most wins; ties go to the more salient sound (rain, then ocean, then wind, then room); with no
 * keyword at all, room tone. The reason names the words that decided.
 */
final class PresetChooser {
    /** Keywords per preset, in order of salience. Whole words, lower case. */
    static final Map<String, Set<String>> KEYWORDS = new LinkedHashMap<>();

    static {
        KEYWORDS.put("rain", Set.of("rain", "rains", "raining", "rainy", "rainfall", "rainstorm", "drizzle",
                "drizzling", "downpour", "shower", "showers", "storm", "storms", "stormy", "thunder",
                "thunderstorm", "monsoon", "umbrella", "umbrellas", "puddle", "puddles", "raindrops", "wet"));
        KEYWORDS.put("ocean", Set.of("ocean", "oceans", "sea", "seas", "seaside", "beach", "beaches", "surf",
                "surfing", "wave", "waves", "shore", "shoreline", "coast", "coastal", "harbour", "harbor", "pier",
                "tide", "tides", "bay", "lighthouse", "sailing", "sailboat", "seashore", "lagoon", "reef"));
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

    private PresetChooser() {
    }

    static Choice choose(String prompt) {
        List<String> words = words(prompt == null ? "" : prompt);
        String best = null;
        List<String> bestHits = List.of();
        for (Map.Entry<String, Set<String>> e : KEYWORDS.entrySet()) {
            List<String> hits = new ArrayList<>();
            for (String w : words) {
                if (e.getValue().contains(w) && !hits.contains(w)) hits.add(w);
            }
            if (hits.size() > bestHits.size()) { // strict: ties keep the more salient preset
                best = e.getKey();
                bestHits = hits;
            }
        }
        if (best == null) {
            return new Choice(DEFAULT, DEFAULT + ": the prompt names no rain, sea, wind or indoor setting; "
                    + "quiet room tone by default");
        }
        StringBuilder reason = new StringBuilder(best).append(": prompt mentions ");
        for (int i = 0; i < bestHits.size(); i++) {
            if (i > 0) reason.append(", ");
            reason.append('\'').append(bestHits.get(i)).append('\'');
        }
        return new Choice(best, reason.toString());
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
