package io.kinora.api.provenance;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/**
 * Something a clip was made from, recorded as a C2PA ingredient ({@code c2pa.ingredient.v3}).
 *
 * @param title        a name for it (the source image's file name, "voice line 3", "ambient bed")
 * @param format       its media type ({@code image/png}, {@code audio/wav}, ...), or null
 * @param relationship {@link #INPUT_TO} (fed to the model: the source image) or {@link #COMPONENT_OF} (mixed in:
 *                     an audio stem)
 * @param sha256       the SHA-256 of its bytes as 64 lowercase hex digits, or null when not hashed
 * @param description  free text (e.g. the voice and words of a stem), or null
 * @since 1.1
 */
public record ProvenanceIngredient(String title, String format, String relationship, String sha256, String description) {
    public static final String INPUT_TO = "inputTo";
    public static final String COMPONENT_OF = "componentOf";

    public ProvenanceIngredient {
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(relationship, "relationship");
        if (sha256 != null && !sha256.matches("[0-9a-f]{64}")) throw new IllegalArgumentException("sha256 must be 64 lowercase hex digits: " + sha256);
    }

    /** The source image given to the video model ({@code inputTo}); {@code sha256} as 64 lowercase hex digits. */
    public static ProvenanceIngredient sourceImage(Path image, String sha256) {
        String name = image.getFileName() == null ? image.toString() : image.getFileName().toString();
        String lower = name.toLowerCase(Locale.ROOT);
        String format = lower.endsWith(".png") ? "image/png" : lower.endsWith(".jpg") || lower.endsWith(".jpeg") ? "image/jpeg"
                : lower.endsWith(".webp") ? "image/webp" : lower.endsWith(".gif") ? "image/gif" : lower.endsWith(".bmp") ? "image/bmp" : null;
        return new ProvenanceIngredient(name, format, INPUT_TO, sha256, "source image animated by the video model");
    }

    /** An audio stem mixed into the sound track ({@code componentOf}): a voice line, the ambient bed. */
    public static ProvenanceIngredient audioStem(String title, String description) {
        return new ProvenanceIngredient(title, "audio/wav", COMPONENT_OF, null, description);
    }
}
