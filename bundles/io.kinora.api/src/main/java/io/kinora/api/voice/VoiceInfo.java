package io.kinora.api.voice;

import java.util.List;

/**
 * A catalogue voice: id (stable, used in SceneSpecs), the engine that speaks it, a short description of
 * how it sounds, traits used for casting ({@code gender}: female/male/neutral; {@code age}: child/young/adult/older),
 * the languages it speaks (BCP 47 primary tags) and a line to preview it with.
 */
public record VoiceInfo(String id, String engine, String description, String gender, String age,
                        List<String> languages, String previewText) {
    public VoiceInfo {
        languages = List.copyOf(languages);
    }

    public boolean speaks(String language) {
        String primary = language.split("-")[0].toLowerCase(java.util.Locale.ROOT);
        return languages.contains(primary);
    }
}
