package io.kinora.provenance.internal;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What one jurisdiction policy asks for. The implicit (metadata) label is written under every policy:
 * it is invisible and both GB 45438 and EU AI Act Art. 50(2) expect a machine-readable marking.
 * The three built-ins ({@link #cn}, {@link #eu}, {@link #none}) are joined by operator-defined policies
 * (factory configuration {@value LabelPolicyConfig#FACTORY_PID}, parsed by {@link CustomPolicy#parse}).
 *
 * @param id                  policy id as used in {@code SceneSpec.labels.policy}
 * @param description         one line for logs and the console
 * @param visible             whether a visible label is burned into the frames
 * @param chineseText         whether the label text is always {@code AI生成} (GB 45438) instead of the scene language's
 * @param openingSeconds      the visible label is on every frame of at least this opening
 * @param persistAfterOpening whether it then stays in its corner until the end
 * @param audio               the audio label mixed over the start of the master
 * @param texts               custom policies: visible text per language (lower-case BCP 47 tag or primary subtag); null for built-ins
 * @param fallbackText        custom policies: the text for languages {@code texts} does not name
 * @param corner              custom policies: the corner, or null for the service's {@code labelCorner}
 * @param heightPercent       custom policies: letter height in % of the short side (5-20), or NaN for the service's
 * @param noticeTexts         spoken notice per language (as {@code texts}); empty unless {@code audio} is {@link Audio#SPOKEN_NOTICE}
 * @param noticeFallback      spoken notice for other languages
 * @param noticeVoice         voice id for the notice, or empty for the first catalogue voice that speaks the language
 * @param source              {@code built-in}, or the configuration that defines the policy
 */
public record LabelPolicy(String id, String description, boolean visible, boolean chineseText, double openingSeconds,
                          boolean persistAfterOpening, Audio audio, Map<String, String> texts, String fallbackText,
                          io.kinora.provenance.internal.visible.Corner corner, double heightPercent,
                          Map<String, String> noticeTexts, String noticeFallback, String noticeVoice, String source) {

    /** The audio label a policy asks for. */
    public enum Audio {
        NONE("none"), RHYTHM_CUE("rhythm-cue"), SPOKEN_NOTICE("spoken-notice");

        private final String id;

        Audio(String id) { this.id = id; }

        public String id() { return id; }

        /** The option with this id (case and spaces ignored), or null. */
        public static Audio fromId(String id) {
            if (id == null) return null;
            for (Audio a : values()) if (a.id.equalsIgnoreCase(id.trim())) return a;
            return null;
        }
    }

    public LabelPolicy {
        texts = texts == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(texts));
        noticeTexts = noticeTexts == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(noticeTexts));
        if (audio == null) audio = Audio.NONE;
    }

    /** Built-in policies: texts from {@link #NOTICE} (or {@code AI生成}), the service's corner and height. */
    private static LabelPolicy builtIn(String id, String description, boolean visible, boolean chineseText, double openingSeconds,
                                       boolean persistAfterOpening, Audio audio) {
        return new LabelPolicy(id, description, visible, chineseText, openingSeconds, persistAfterOpening, audio, null, null, null,
                Double.NaN, null, null, "", BUILT_IN);
    }

    public static final String CN = "cn";
    public static final String EU = "eu";
    public static final String NONE = "none";
    public static final String BUILT_IN = "built-in";

    /** GB 45438-2025 §5.4: a video's explicit label lasts at least 2 s at normal speed. */
    public static final double GB45438_MIN_SECONDS = 2.0;

    /** Whether the GB 45438 rhythm cue is mixed over the start of the master. */
    public boolean audioCue() {
        return audio == Audio.RHYTHM_CUE;
    }

    /** Whether this is one of {@code cn}, {@code eu}, {@code none}. */
    public boolean builtInPolicy() {
        return BUILT_IN.equals(source);
    }

    /** China: "AI生成" ≥ 5 % of the short side for the first 2 s (optionally kept in the corner) + rhythm cue. */
    public static LabelPolicy cn(boolean persist) {
        return builtIn(CN, "China GB 45438-2025: visible \"AI生成\" for at least the first 2 s"
                + (persist ? " then in the corner" : "") + ", audio rhythm cue, implicit metadata", true, true,
                GB45438_MIN_SECONDS, persist, Audio.RHYTHM_CUE);
    }

    /** EU AI Act Art. 50: an "AI-generated" notice in the scene's language for the whole clip, implicit metadata. */
    public static LabelPolicy eu() {
        return builtIn(EU, "EU AI Act Art. 50: visible \"AI-generated\" notice (scene language) for the whole clip, implicit metadata",
                true, false, GB45438_MIN_SECONDS, true, Audio.NONE);
    }

    /** No perceptible label; the implicit metadata is still written. */
    public static LabelPolicy none() {
        return builtIn(NONE, "no visible or audio label; implicit metadata only", false, false, 0, false, Audio.NONE);
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
        if (texts != null) return lookup(texts, fallbackText, language);
        String primary = language == null ? "en" : language.split("[-_]", 2)[0].toLowerCase(Locale.ROOT);
        return NOTICE.getOrDefault(primary, NOTICE.get("en"));
    }

    /** The spoken notice for a scene language. */
    public String noticeText(String language) {
        return lookup(noticeTexts, noticeFallback, language);
    }

    /** Every visible text this policy can burn in (custom policies: all their texts and the fallback). */
    public java.util.List<String> visibleTexts() {
        if (!visible) return java.util.List.of();
        if (chineseText) return java.util.List.of(CN_TEXT);
        if (texts == null) return allTexts().subList(1, allTexts().size());
        java.util.LinkedHashSet<String> all = new java.util.LinkedHashSet<>(texts.values());
        if (fallbackText != null && !fallbackText.isBlank()) all.add(fallbackText);
        return java.util.List.copyOf(all);
    }

    /** The full tag (lower case, {@code _} read as {@code -}), then its primary subtag, then the fallback. */
    private static String lookup(Map<String, String> byLanguage, String fallback, String language) {
        if (language != null && !language.isBlank()) {
            String tag = language.trim().toLowerCase(Locale.ROOT).replace('_', '-');
            String t = byLanguage.get(tag);
            if (t == null) t = byLanguage.get(tag.split("-", 2)[0]);
            if (t != null) return t;
        }
        return fallback;
    }
}
