package io.kinora.voice.internal.espeak;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * The languages espeak-ng speaks, read from {@code espeak-ng --voices}, and the choice of espeak voice for a
 * BCP 47 language: Chinese ({@code zh}, {@code zh-CN}, {@code cmn}) is Mandarin read from Hanzi through
 * {@code cmn-latn-pinyin} (plain {@code cmn} reads Hanzi as English letter names), {@code zh-HK}/{@code yue}
 * Cantonese; otherwise the exact tag, then the first voice of the primary language.
 */
public final class EspeakLanguages {
    /** espeak voice names in listing order. */
    private final List<String> voices;
    /** Primary language subtag (BCP 47) to the espeak voice used for it. */
    private final Map<String, String> byPrimary = new LinkedHashMap<>();

    private EspeakLanguages(List<String> voices) {
        this.voices = List.copyOf(voices);
        for (String v : voices) {
            String primary = v.split("-")[0].toLowerCase(Locale.ROOT);
            byPrimary.putIfAbsent(primary, v);
        }
        if (voices.contains("cmn-latn-pinyin")) {
            byPrimary.put("cmn", "cmn-latn-pinyin");
            byPrimary.put("zh", "cmn-latn-pinyin");
        }
        if (voices.contains("en-us")) byPrimary.put("en", "en-us");
        if (voices.contains("fr-fr")) byPrimary.put("fr", "fr-fr");
        if (voices.contains("pt")) byPrimary.put("pt", "pt");
    }

    /** Parses the output of {@code espeak-ng --voices}: a header line, then "Pty Language Age/Gender VoiceName File ...". */
    public static EspeakLanguages parse(String listing) {
        List<String> voices = new ArrayList<>();
        String[] lines = listing.split("\\R");
        for (int i = 1; i < lines.length; i++) {
            String[] cols = lines[i].trim().split("\\s+");
            if (cols.length >= 2 && !cols[1].isEmpty() && !voices.contains(cols[1])) {
                voices.add(cols[1]);
            }
        }
        return new EspeakLanguages(voices);
    }

    public List<String> voices() {
        return voices;
    }

    /** BCP 47 primary subtags spoken, sorted (zh included when Mandarin is). */
    public List<String> languages() {
        return new ArrayList<>(new TreeSet<>(byPrimary.keySet()));
    }

    /** The espeak voice for a BCP 47 language, or null when none speaks it. */
    public String voiceFor(String bcp47) {
        String tag = bcp47.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        if (tag.equals("zh-hk") || tag.equals("zh-yue") || tag.startsWith("zh-hant-hk")) {
            return voices.contains("yue") ? "yue" : null;
        }
        if (voices.contains(tag) && !tag.equals("cmn")) return tag;
        return byPrimary.get(tag.split("-")[0]);
    }
}
