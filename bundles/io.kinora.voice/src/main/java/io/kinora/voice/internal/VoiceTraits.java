package io.kinora.voice.internal;

import io.kinora.api.voice.VoiceInfo;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Casting by traits: a character's voice given as {@code traits:older man, calm} picks the catalogue voice that
 * best fits the words. Gender words (man, male, boy, gentleman / woman, female, girl, lady / child, kid)
 * score 4 on a match; age words (child, kid, boy, girl, young, teen / adult / old, older, elderly, elder,
 * senior) score 2 on a match and 1 for the neighbouring age; every other word scores 1 when the voice's
 * description contains it (calm, bright, warm, low, rough, ...). A voice already in the scene loses 100, so
 * characters keep distinct voices while any fitting one is unused. Ties go to the lower id.
 */
final class VoiceTraits {
    static final String PREFIX = "traits:";
    private static final Map<String, String> GENDER = Map.ofEntries(
            Map.entry("man", "male"), Map.entry("male", "male"), Map.entry("boy", "male"), Map.entry("gentleman", "male"),
            Map.entry("he", "male"), Map.entry("woman", "female"), Map.entry("female", "female"),
            Map.entry("girl", "female"), Map.entry("lady", "female"), Map.entry("she", "female"));
    private static final Map<String, String> AGE = Map.ofEntries(
            Map.entry("child", "child"), Map.entry("kid", "child"), Map.entry("boy", "young"),
            Map.entry("girl", "young"), Map.entry("young", "young"), Map.entry("teen", "young"),
            Map.entry("teenage", "young"), Map.entry("adult", "adult"), Map.entry("old", "older"),
            Map.entry("older", "older"), Map.entry("elderly", "older"), Map.entry("elder", "older"),
            Map.entry("senior", "older"), Map.entry("aged", "older"));
    private static final Set<String> IGNORED = Set.of("a", "an", "the", "and", "with", "voice", "very", "of");

    private VoiceTraits() {
    }

    static boolean isTraits(String voice) {
        return voice != null && voice.trim().toLowerCase(Locale.ROOT).startsWith(PREFIX);
    }

    static List<String> words(String voice) {
        String body = voice.trim().substring(PREFIX.length()).toLowerCase(Locale.ROOT);
        List<String> out = new ArrayList<>();
        for (String w : body.split("[^\\p{L}\\p{N}-]+")) {
            if (!w.isEmpty() && !IGNORED.contains(w)) out.add(w);
        }
        return out;
    }

    /** The best voice for the traits among the candidates; null when there are none. */
    static VoiceInfo best(String voice, List<VoiceInfo> candidates, Set<String> inScene) {
        List<String> words = words(voice);
        VoiceInfo best = null;
        int bestScore = Integer.MIN_VALUE;
        for (VoiceInfo v : candidates) {
            int score = score(words, v) - (inScene.contains(v.id()) ? 100 : 0);
            if (score > bestScore) {
                best = v;
                bestScore = score;
            }
        }
        return best;
    }

    static int score(List<String> words, VoiceInfo v) {
        int score = 0;
        String description = v.description().toLowerCase(Locale.ROOT);
        for (String w : words) {
            boolean known = false;
            if (GENDER.containsKey(w)) {
                known = true;
                if (GENDER.get(w).equals(norm(v.gender()))) score += 4;
            }
            if (AGE.containsKey(w)) {
                known = true;
                int d = Math.abs(VoiceCasting.ageRank(AGE.get(w)) - VoiceCasting.ageRank(v.age()));
                score += d == 0 ? 2 : d == 1 ? 1 : 0;
            }
            if (!known && description.matches("(?s).*\\b" + java.util.regex.Pattern.quote(w) + "\\b.*")) {
                score += 1;
            }
        }
        return score;
    }

    private static String norm(String s) {
        return s == null ? "" : s.toLowerCase(Locale.ROOT);
    }
}
