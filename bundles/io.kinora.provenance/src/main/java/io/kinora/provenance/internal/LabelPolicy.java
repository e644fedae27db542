package io.kinora.provenance.internal;

import java.util.Locale;
import java.util.Map;

/**
 * What one jurisdiction policy asks for. The implicit (metadata) label is written under every policy:
 * it is invisible and both GB 45438 and EU AI Act Art. 50(2) expect a machine-readable marking.
 *
 * @param id                  policy id as used in {@code SceneSpec.labels.policy}
 * @param description         one line for logs and the console
 * @param visible             whether a visible label is burned into the frames
 * @param chineseText         whether the label text is always {@code AI生成} (GB 45438) instead of the scene language's
 * @param openingSeconds      the visible label is on every frame of at least this opening
 * @param persistAfterOpening whether it then stays in its corner until the end
 * @param audioCue            whether the GB 45438 rhythm cue is mixed over the start of the master
 */
public record LabelPolicy(String id, String description, boolean visible, boolean chineseText, double openingSeconds,
                          boolean persistAfterOpening, boolean audioCue) {

    public static final String CN = "cn";
    public static final String EU = "eu";
    public static final String NONE = "none";

    /** GB 45438-2025 §5.4: a video's explicit label lasts at least 2 s at normal speed. */
    public static final double GB45438_MIN_SECONDS = 2.0;

    /** China: "AI生成" ≥ 5 % of the short side for the first 2 s (optionally kept in the corner) + rhythm cue. */
    public static LabelPolicy cn(boolean persist) {
        return new LabelPolicy(CN, "China GB 45438-2025: visible \"AI生成\" for at least the first 2 s"
                + (persist ? " then in the corner" : "") + ", audio rhythm cue, implicit metadata", true, true,
                GB45438_MIN_SECONDS, persist, true);
    }

    /** EU AI Act Art. 50: an "AI-generated" notice in the scene's language for the whole clip, implicit metadata. */
    public static LabelPolicy eu() {
        return new LabelPolicy(EU, "EU AI Act Art. 50: visible \"AI-generated\" notice (scene language) for the whole clip, implicit metadata",
                true, false, GB45438_MIN_SECONDS, true, false);
    }

    /** No perceptible label; the implicit metadata is still written. */
    public static LabelPolicy none() {
        return new LabelPolicy(NONE, "no visible or audio label; implicit metadata only", false, false, 0, false, false);
    }

    /** The 24 official languages of the EU (ISO 639-1): every one has a notice. */
    public static final java.util.List<String> EU_LANGUAGES = java.util.List.of("bg", "cs", "da", "de", "el", "en", "es", "et", "fi", "fr", "ga",
            "hr", "hu", "it", "lt", "lv", "mt", "nl", "pl", "pt", "ro", "sk", "sl", "sv");

    /** "AI-generated" in the 24 EU languages, Chinese, Japanese and Korean; other languages get English. */
    private static final Map<String, String> NOTICE = Map.ofEntries(
            Map.entry("bg", "Генерирано от ИИ"),
            Map.entry("el", "Δημιουργία ΤΝ"),
            Map.entry("et", "Loodud TI-ga"),
            Map.entry("fi", "Tekoälyn luoma"),
            Map.entry("ga", "Ginte ag IS"),
            Map.entry("hr", "Generirano s UI"),
            Map.entry("hu", "MI által generált"),
            Map.entry("lt", "Sugeneruota DI"),
            Map.entry("lv", "MI ģenerēts"),
            Map.entry("mt", "Iġġenerat mill-IA"),
            Map.entry("ro", "Generat de IA"),
            Map.entry("sk", "Vytvorené AI"),
            Map.entry("sl", "Ustvarjeno z UI"),
            Map.entry("en", "AI-generated"),
            Map.entry("de", "KI-generiert"),
            Map.entry("fr", "Généré par IA"),
            Map.entry("es", "Generado por IA"),
            Map.entry("it", "Generato con IA"),
            Map.entry("pt", "Gerado por IA"),
            Map.entry("nl", "AI-gegenereerd"),
            Map.entry("pl", "Utworzone przez AI"),
            Map.entry("sv", "AI-genererad"),
            Map.entry("da", "AI-genereret"),
            Map.entry("cs", "Vytvořeno AI"),
            Map.entry("zh", "AI生成"),
            Map.entry("ja", "AI生成"),
            Map.entry("ko", "AI 생성"));

    /** GB 45438: the label must carry "AI" together with 生成 or 合成. */
    public static final String CN_TEXT = "AI生成";

    /** Every text a built-in policy can burn in: {@link #CN_TEXT} and the notices, without repeats. */
    public static java.util.List<String> allTexts() {
        java.util.LinkedHashSet<String> all = new java.util.LinkedHashSet<>();
        all.add(CN_TEXT);
        all.add(NOTICE.get("en"));
        new java.util.TreeMap<>(NOTICE).values().forEach(all::add);
        return java.util.List.copyOf(all);
    }

    /** Whether {@code language}'s primary subtag has its own notice (otherwise {@link #text} gives English). */
    public static boolean hasNotice(String language) {
        return language != null && NOTICE.containsKey(language.split("[-_]", 2)[0].toLowerCase(Locale.ROOT));
    }

    /** The visible label text for a scene language (BCP 47, e.g. {@code de-AT}). */
    public String text(String language) {
        if (chineseText) return CN_TEXT;
        String primary = language == null ? "en" : language.split("[-_]", 2)[0].toLowerCase(Locale.ROOT);
        return NOTICE.getOrDefault(primary, NOTICE.get("en"));
    }
}
