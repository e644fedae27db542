package io.kinora.models.parallax.internal;

import java.util.Locale;

import io.kinora.api.scene.CameraMove;

/**
 * The camera of one rendition, frame by frame, in view units (see {@link Framing}).
 *
 * <p>Base framing: the cover crop with {@link #OVERSCAN} extra zoom, so small moves and parallax have picture to
 * reveal. Moves, at intensity 1 (0.5 is half of it):
 * <ul>
 *   <li>push-in: zoom from the base framing to {@code 1 + PUSH} times it; pull-out: the reverse (ends on the base);
 *   <li>pan-left / pan-right: the view centre travels {@link #PAN} view units (half the crop width per unit);
 *       the camera turns left, so the picture slides right on screen;
 *   <li>tilt-up / tilt-down: the same vertically;
 *   <li>static: no move.
 * </ul>
 * Progress follows a cosine ease (zero velocity at both ends) when easing is on, otherwise it is linear. Speaker
 * focus ({@link FocusTrack}) adds its offset and zoom on top.
 *
 * <p>Parallax: each pixel is displaced by its nearness relative to the focal plane ({@code k = depth - focal})
 * times the camera motion since the rest pose: {@code t = LATERAL * (c_move - c_rest)} sideways (pans and tilts
 * travel like a slider move; the speaker-focus re-framing turns like a head and has none), and
 * {@code dolly = -AXIAL * (1 - zoom_rest / zoom)} along the optical axis (near things grow faster in a push-in).
 *
 * <p>Borders: for every frame the window plus the largest parallax displacement must stay inside the picture's
 * outermost pixel centres; where it would not, the frame zooms in just enough. So no frame ever samples outside the
 * picture (no smeared or constant-colour edge bands).
 */
final class CameraPlan {

    /** Extra zoom of the base framing over the plain cover fit (3 %). */
    static final double OVERSCAN = 0.03;
    /** Push-in / pull-out zoom at intensity 1 (+30 %). */
    static final double PUSH = 0.30;
    /** Pan / tilt travel at intensity 1, view units (0.2 = 10 % of the crop). */
    static final double PAN = 0.20;
    /** Lateral parallax per unit of camera travel at parallax strength 1. */
    static final double LATERAL = 0.6;
    /** Axial (dolly) parallax at parallax strength 1. */
    static final double AXIAL = 0.5;
    /** Keeps samples this far (view units) inside the outermost pixel centres. */
    private static final double EDGE_GUARD = 0.002;

    /** One frame's camera. {@code zoom} is relative to the cover crop (1 = the crop fills the frame). */
    record Pose(double cx, double cy, double zoom, double tx, double ty, double dolly) {
    }

    private final CameraMove move;
    private final Pose[] poses;
    private final boolean restAtStart;

    private CameraPlan(CameraMove move, Pose[] poses, boolean restAtStart) {
        this.move = move;
        this.poses = poses;
        this.restAtStart = restAtStart;
    }

    /**
     * @param intensity        0..1, 0 = no camera move
     * @param depthSpread      largest |depth - focal| of the picture (bounds the parallax displacement)
     * @param parallaxStrength 0 = flat, 1 = default
     */
    static CameraPlan plan(CameraMove move, double intensity, boolean easing, int frames, Framing framing,
                           FocusTrack focus, double depthSpread, double parallaxStrength) {
        double s = Math.max(0, Math.min(1, intensity));
        double base = 1 + OVERSCAN;
        boolean pullOut = move == CameraMove.PULL_OUT;
        double restZoom = base; // the rest pose is the base framing: at the start, or at the end of a pull-out
        double lateral = LATERAL * parallaxStrength;
        double axial = AXIAL * parallaxStrength;
        double minX = framing.minViewX() + EDGE_GUARD;
        double maxX = framing.maxViewX() - EDGE_GUARD;
        double minY = framing.minViewY() + EDGE_GUARD;
        double maxY = framing.maxViewY() - EDGE_GUARD;

        Pose[] poses = new Pose[frames];
        for (int i = 0; i < frames; i++) {
            double t = frames == 1 ? 0 : i / (double) (frames - 1);
            double e = easing ? 0.5 - 0.5 * Math.cos(Math.PI * t) : t;
            double zoom = base;
            double cx = 0;
            double cy = 0;
            switch (move) {
                case PUSH_IN -> zoom = base * (1 + PUSH * s * e);
                case PULL_OUT -> zoom = base * (1 + PUSH * s * (1 - e));
                case PAN_LEFT -> cx = -PAN * s * e;
                case PAN_RIGHT -> cx = PAN * s * e;
                case TILT_UP -> cy = -PAN * s * e;
                case TILT_DOWN -> cy = PAN * s * e;
                default -> { }
            }
            // lateral parallax grows with the move's travel from the rest pose (a slider/truck move); the speaker
            // focus re-frames like a slight pan of the head, which shows no lateral parallax
            double tx = lateral * cx;
            double ty = lateral * cy;
            cx += focus.offsetX(i);
            cy += focus.offsetY(i);
            zoom *= 1 + FocusTrack.ZOOM * focus.weight(i);
            double dolly = -axial * (1 - restZoom / zoom);

            // keep window + parallax inside the picture: zoom in just enough where needed
            double parX = depthSpread * (Math.abs(tx) + Math.abs(dolly));
            double parY = depthSpread * (Math.abs(ty) + Math.abs(dolly));
            double roomX = Math.min(cx - minX, maxX - cx) - parX;
            double roomY = Math.min(cy - minY, maxY - cy) - parY;
            double room = Math.min(roomX, roomY);
            if (room <= 0.05) {
                throw new IllegalStateException("camera plan leaves the picture at frame " + i + " (room " + room + ")");
            }
            // half-window: 1/zoom horizontally and vertically (view units are per-axis)
            zoom = Math.max(zoom, 1 / room);
            poses[i] = new Pose(cx, cy, zoom, tx, ty, dolly);
        }
        return new CameraPlan(move, poses, !pullOut);
    }

    Pose pose(int frame) { return poses[frame]; }

    int frames() { return poses.length; }

    CameraMove move() { return move; }

    /** True when frame 0 is the base framing (every move but pull-out, which ends there). */
    boolean restAtStart() { return restAtStart; }

    double maxZoom() {
        double m = 0;
        for (Pose p : poses) m = Math.max(m, p.zoom());
        return m;
    }

    String describe(double intensity) {
        Pose first = poses[0];
        Pose last = poses[poses.length - 1];
        return String.format(Locale.ROOT, "intensity %.2f: zoom %.3f -> %.3f (max %.3f), centre (%+.3f, %+.3f) -> (%+.3f, %+.3f) view units",
                intensity, first.zoom(), last.zoom(), maxZoom(), first.cx(), first.cy(), last.cx(), last.cy());
    }
}
