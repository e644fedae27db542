package io.kinora.api.model;

import io.kinora.api.media.StageException;

/**
 * A registry operation was refused or could not be done (no ready version for a family, a jar that is not a
 * valid model bundle, an unknown version). The message names the problem and is meant for users and operators.
 */
public class ModelException extends StageException {
    private static final long serialVersionUID = 1L;

    public ModelException(String message) { super(message); }

    public ModelException(String message, Throwable cause) { super(message, cause); }
}
