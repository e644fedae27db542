package io.kinora.api.scene;

import java.util.Objects;

/**
 * The requested camera: a move, its strength (0 = none, 1 = strongest the model allows; 0.5 is a
 * gentle, publishable move) and whether it eases in and out.
 */
public record CameraSpec(CameraMove move, double intensity, boolean easing) {
    public static final CameraSpec DEFAULT = new CameraSpec(CameraMove.AUTO, 0.5, true);

    public CameraSpec {
        Objects.requireNonNull(move, "move");
    }
}
