package io.kinora.api.compositor;

import java.util.Map;

/**
 * Captions of one MP4, made from the timeline's word timings.
 *
 * @param track        add a captions track (MP4 timed text, {@code mov_text}) to the file
 * @param burnIn       draw the captions into the picture (bottom safe area)
 * @param language     BCP 47 language of the captions (tags the track), e.g. {@code en}, {@code zh}; {@code null} = und
 * @param speakerNames character id to display name (voice spans and burned-in speaker labels); a missing id is
 *                     shown as the id itself
 * @since 1.1.0
 */
public record CaptionOptions(boolean track, boolean burnIn, String language, Map<String, String> speakerNames) {
    /** A captions track, nothing burned in, language unknown, speakers shown by id. */
    public static final CaptionOptions DEFAULT = new CaptionOptions(true, false, null, Map.of());
    /** No captions in the file at all. */
    public static final CaptionOptions NONE = new CaptionOptions(false, false, null, Map.of());

    public CaptionOptions {
        speakerNames = speakerNames == null ? Map.of() : io.kinora.api.media.Ordered.copy(speakerNames);
    }
}
