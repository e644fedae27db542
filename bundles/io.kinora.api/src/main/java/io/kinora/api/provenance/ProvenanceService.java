package io.kinora.api.provenance;

import io.kinora.api.media.AudioBuffer;
import io.kinora.api.scene.SceneSpec;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Labels, marks and seals clips, and verifies files. The flow calls, in order: {@link #frameLabeler} and
 * {@link #labelAudio} before encoding, {@link #implicitMetadata} into the container, then {@link #seal}
 * over the final bytes. Implemented by the provenance bundle only.
 */
@org.osgi.annotation.versioning.ProviderType
public interface ProvenanceService {
    /** The label policy ids this service knows ({@code cn}, {@code eu}, {@code none}, ...). */
    List<String> policies();

    /** A labeller for frames of {@code width x height}; identity when the policy asks for no visible label. */
    FrameLabeler frameLabeler(ProvenanceRequest request, int width, int height);

    /** The master with the audio label the policy asks for (unchanged when none). */
    AudioBuffer labelAudio(ProvenanceRequest request, AudioBuffer master);

    /**
     * How many seconds at the start of a clip of {@code scene} the audio label that {@link #labelAudio} will mix in
     * takes (0 when the scene's policy asks for none), so the dialogue can begin after it instead of under it.
     * Throws {@link io.kinora.api.media.StageException} for an unknown policy, as {@link #labelAudio} would.
     *
     * @since 1.3
     */
    default double audioLabelSeconds(SceneSpec scene) {
        return 0;
    }

    /** Container metadata carrying the implicit label (key to value). */
    Map<String, String> implicitMetadata(ProvenanceRequest request);

    /** Final step over the finished file's bytes; reports each layer as applied. */
    List<LayerStatus> seal(Path file, ProvenanceRequest request);

    /** Reads every provenance layer of a file. */
    List<LayerStatus> verify(Path file);

    /**
     * Who signs the C2PA manifests and what {@link #verify} trusts, for operators (never a key or a password):
     * {@code status}, {@code subject}, {@code issuer}, {@code validFrom}, {@code validUntil}, {@code certificateSha256},
     * {@code source}, {@code publiclyTrusted} and {@code trustAnchors}, as readable text, in that order.
     */
    Map<String, String> signingIdentity();
}
