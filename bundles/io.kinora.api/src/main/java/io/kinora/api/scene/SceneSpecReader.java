package io.kinora.api.scene;

/** Reads the JSON form of a SceneSpec (see docs/scene-spec.md), reporting every problem at once. */
public interface SceneSpecReader {
    /**
     * Parses and validates a scene.
     *
     * @param json   the scene document, UTF-8
     * @param source a name for messages, e.g. the file name
     * @throws SceneSpecException listing every problem, each naming its field
     */
    SceneSpec read(byte[] json, String source) throws SceneSpecException;

    /** The JSON form of a scene; {@link #read} of the result gives an equal scene. */
    byte[] write(SceneSpec spec);
}
