package io.kinora.voice.internal;

import io.kinora.api.voice.VoiceInfo;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Chooses voices for characters who did not ask for one: deterministic (depends only on the candidate list,
 * the voices already taken and the order of the characters), never repeats a voice while unused candidates
 * remain, and prefers the candidate most unlike every voice already in the scene: a different gender counts
 * most, then the distance between ages, then a different engine (a different synthesis method sounds
 * different even at the same traits).
 */
final class VoiceCasting {
    private static final int GENDER_WEIGHT = 4;
    private static final int ENGINE_WEIGHT = 1;

    private VoiceCasting() {
    }

    /**
     * @param candidates voices that speak the scene's language, in catalogue (id) order
     * @param taken      voices already in the scene (requested by characters), may repeat
     * @param count      how many voices to choose
     * @return the chosen voice ids, one per character in order
     */
    static List<String> choose(List<VoiceInfo> candidates, List<VoiceInfo> taken, int count) {
        List<VoiceInfo> inScene = new ArrayList<>(taken);
        Map<String, Integer> uses = new HashMap<>();
        for (VoiceInfo v : taken) uses.merge(v.id(), 1, Integer::sum);
        List<String> chosen = new ArrayList<>(count);
        for (int c = 0; c < count; c++) {
            VoiceInfo best = null;
            long bestScore = Long.MIN_VALUE;
            for (VoiceInfo candidate : candidates) {
                long score = -1_000_000L * uses.getOrDefault(candidate.id(), 0) + nearest(candidate, inScene);
                if (score > bestScore) { // strict: ties keep the earlier (lower id) candidate
                    best = candidate;
                    bestScore = score;
                }
            }
            if (best == null) {
                throw new IllegalArgumentException("no candidate voices");
            }
            chosen.add(best.id());
            inScene.add(best);
            uses.merge(best.id(), 1, Integer::sum);
        }
        return chosen;
    }

    /** Distance to the most similar voice in the scene (large when the scene is empty). */
    private static int nearest(VoiceInfo v, List<VoiceInfo> scene) {
        int min = 1000;
        for (VoiceInfo other : scene) {
            min = Math.min(min, distance(v, other));
        }
        return min;
    }

    static int distance(VoiceInfo a, VoiceInfo b) {
        int d = 0;
        if (!norm(a.gender()).equals(norm(b.gender()))) d += GENDER_WEIGHT;
        d += Math.abs(ageRank(a.age()) - ageRank(b.age()));
        if (!norm(a.engine()).equals(norm(b.engine()))) d += ENGINE_WEIGHT;
        return d;
    }

    static int ageRank(String age) {
        switch (norm(age)) {
            case "child": return 0;
            case "young": return 1;
            case "older": return 3;
            default: return 2; // adult or unknown
        }
    }

    private static String norm(String s) {
        return s == null ? "" : s.toLowerCase(Locale.ROOT);
    }
}
