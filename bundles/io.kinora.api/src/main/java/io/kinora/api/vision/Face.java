package io.kinora.api.vision;

/**
 * A face found in a picture: its box in the picture's pixels and how sure the detector is.
 *
 * @param x          left edge, pixels
 * @param y          top edge, pixels
 * @param width      box width, pixels
 * @param height     box height, pixels
 * @param confidence 0..1, higher is surer; comparable between faces of one detector, not between detectors
 *                   (each detector documents what it means)
 */
public record Face(int x, int y, int width, int height, double confidence) {

    /** The box's centre as a fraction of the picture's width (0 = left edge, 1 = right edge). */
    public double centerX(int pictureWidth) {
        return (x + width / 2.0) / pictureWidth;
    }

    /** The box's centre as a fraction of the picture's height (0 = top edge, 1 = bottom edge). */
    public double centerY(int pictureHeight) {
        return (y + height / 2.0) / pictureHeight;
    }
}
