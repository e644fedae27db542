package io.kinora.api.video;

/**
 * A video model version: turns one image and a timeline into frames. Registered by a model bundle; the
 * service property {@value #MODEL_ID} carries the model id and {@value #MODEL_VERSION} its version.
 * Implementations are thread-safe: several jobs may render at once.
 */
public interface VideoModel {
    String MODEL_ID = "kinora.model.id";
    String MODEL_VERSION = "kinora.model.version";
    String MODEL_FAMILY = "kinora.model.family";

    ModelInfo info();

    /**
     * Renders {@code request.timeline().frameCount()} frames of {@code width x height} into the sink.
     *
     * @throws io.kinora.api.media.StageException when the input cannot be rendered
     * @throws io.kinora.api.media.Cancellation.CancelledException when cancelled
     */
    RenderReport render(RenderRequest request, FrameSink sink);
}
