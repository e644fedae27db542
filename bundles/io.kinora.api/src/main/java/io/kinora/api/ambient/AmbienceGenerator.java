package io.kinora.api.ambient;

import java.util.List;

/** Makes the ambient sound bed of a scene. Deterministic: same request, same samples. */
public interface AmbienceGenerator {
    /** Preset names this generator can make. */
    List<String> presets();

    /** @throws io.kinora.api.media.StageException for an unknown preset */
    Ambience generate(AmbienceRequest request);
}
