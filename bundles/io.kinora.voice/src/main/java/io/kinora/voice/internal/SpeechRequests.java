package io.kinora.voice.internal;

import io.kinora.api.media.StageException;
import io.kinora.api.voice.SpeechRequest;
import io.kinora.api.voice.VoiceInfo;
import io.kinora.voice.internal.markup.SpeechMarkup;

import java.util.Map;

/** The checks every engine makes on a speech request before synthesizing, with the same user-facing messages. */
public final class SpeechRequests {
    private SpeechRequests() {
    }

    /** The profile of the requested voice. */
    public static <P> P profile(SpeechRequest request, Map<String, P> profiles, String engine) {
        P profile = profileOrNull(request, profiles);
        if (profile == null) {
            throw new StageException("unknown voice '" + request.voice() + "' for engine " + engine
                    + "; its voices: " + String.join(", ", profiles.keySet()));
        }
        return profile;
    }

    /** The profile of the requested voice, or null when the engine has no such voice. */
    public static <P> P profileOrNull(SpeechRequest request, Map<String, P> profiles) {
        if (request == null) {
            throw new StageException("nothing to speak: the speech request is missing");
        }
        return request.voice() == null ? null : profiles.get(request.voice());
    }

    /** Refuses a language the voice does not speak (no language given: the voice's own). */
    public static void requireLanguage(SpeechRequest request, VoiceInfo voice, String engine) {
        String language = request.language();
        if (language != null && !language.isBlank() && !voice.speaks(language.trim())) {
            throw new StageException("voice '" + voice.id() + "' (" + engine + ") cannot speak language '"
                    + language + "'; it speaks " + String.join(", ", voice.languages()));
        }
    }

    /** The parsed line; refuses an empty line or one that holds only markup. */
    public static SpeechMarkup markup(SpeechRequest request, VoiceInfo voice) {
        if (request.text() == null || request.text().isBlank()) {
            throw new StageException("nothing to speak for voice '" + voice.id() + "': the text is empty");
        }
        SpeechMarkup markup = SpeechMarkup.parse(request.text());
        if (markup.plainText().isBlank()) {
            throw new StageException("nothing to speak for voice '" + voice.id() + "': the line holds only markup");
        }
        return markup;
    }
}
