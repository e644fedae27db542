package io.kinora.api.generation;

import io.kinora.api.media.Cancellation;

/**
 * Runs the main job: plan (voices, timeline), ambience, mix, video (render, label, encode) and sign.
 * Outputs are written under a temporary name and moved into place only when complete.
 */
public interface GenerationService {
    /**
     * Makes the clip(s) of a request, blocking until done.
     *
     * @throws GenerationException with a message naming the problem; no partial output remains
     * @throws io.kinora.api.media.Cancellation.CancelledException when cancelled
     */
    GenerationResult generate(GenerationRequest request, GenerationListener listener, Cancellation cancellation)
            throws GenerationException;
}
