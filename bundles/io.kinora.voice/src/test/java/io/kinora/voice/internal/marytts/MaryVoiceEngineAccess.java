package io.kinora.voice.internal.marytts;

import io.kinora.api.voice.VoiceEngine;

/** Test access to the MaryTTS engine from other packages. */
public final class MaryVoiceEngineAccess {
    private MaryVoiceEngineAccess() {
    }

    public static VoiceEngine create() {
        return new MaryVoiceEngine(2);
    }

    public static void stop(VoiceEngine e) {
        ((MaryVoiceEngine) e).deactivate();
    }
}
