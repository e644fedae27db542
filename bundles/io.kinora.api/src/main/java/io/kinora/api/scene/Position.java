package io.kinora.api.scene;

/** A point in the frame as fractions of width and height: (0,0) top-left, (1,1) bottom-right. */
public record Position(double x, double y) {
    public static final Position CENTER = new Position(0.5, 0.5);
}
