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
 *   <li>arc-left / arc-right (orbit): the subject (focal plane) stays, near and far parts slide opposite ways
 *       ({@link #ARC} lateral parallax) with a slight push;
 *   <li>dolly-zoom: the zoom holds while the axial parallax grows ({@link #DOLLY_ZOOM}): the background looms
 *       and the foreground recedes around a subject that keeps its size;
 *   <li>crane-up / crane-down: vertical travel ({@link #CRANE}) with {@link #CRANE_PARALLAX} times a tilt's parallax;
 *   <li>handheld: a seeded sum of slow sines (0.1–1.3 Hz) in position and zoom, {@link #HANDHELD} view units at
 *       intensity 1, easing in over {@link #HANDHELD_RAMP} s;
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
    /** Arc (orbit): lateral parallax at intensity 1 (near and far slide opposite ways around the focal plane). */
    static final double ARC = 0.22;
    /** Arc: the slight push that goes with an orbit at intensity 1. */
    static final double ARC_PUSH = 0.06;
    /** Dolly zoom: axial parallax at intensity 1, with the zoom held (the background looms, the subject stays). */
    static final double DOLLY_ZOOM = 0.25;
    /** Crane: vertical travel at intensity 1 (view units) and its parallax relative to a tilt's. */
    static final double CRANE = 0.16;
    static final double CRANE_PARALLAX = 1.6;
    /** Hand-held drift amplitude at intensity 1, view units (0.016 = 0.8 % of the frame). */
    static final double HANDHELD = 0.016;
    /** Hand-held drift eases in over this many seconds from the rest pose. */
    static final double HANDHELD_RAMP = 0.6;
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
        return plan(move, intensity, easing, frames, 24, 0L, framing, focus, depthSpread, parallaxStrength, 0, 0);
    }

    /**
     * @param fps     frames per second (the hand-held drift is timed in seconds)
     * @param seed    the scene's seed (the hand-held drift's phases)
     * @param motionX largest horizontal displacement scene motion adds, view units (kept inside the picture too)
     * @param motionY largest vertical displacement scene motion adds
     */
    static CameraPlan plan(CameraMove move, double intensity, boolean easing, int frames, double fps, long seed,
                           Framing framing, FocusTrack focus, double depthSpread, double parallaxStrength,
                           double motionX, double motionY) {
        double[] hand = new double[8];
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(seed ^ 0x4A4D4E44L);
        for (int k = 0; k < hand.length; k++) hand[k] = rnd.nextDouble() * 2 * Math.PI;
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
                case CRANE_UP -> cy = -CRANE * s * e;
                case CRANE_DOWN -> cy = CRANE * s * e;
                case ARC_LEFT, ARC_RIGHT -> zoom = base * (1 + ARC_PUSH * s * e);
                default -> { }
            }
            // lateral parallax grows with the move's travel from the rest pose (a slider/truck move); the speaker
            // focus re-frames like a slight pan of the head, which shows no lateral parallax
            double tx = lateral * cx;
            double ty = lateral * cy;
            double extraDolly = 0;
            switch (move) {
                case CRANE_UP, CRANE_DOWN -> ty *= CRANE_PARALLAX;
                // the camera travels left around the subject: near things slide right on screen, far things left
                case ARC_LEFT -> tx = -ARC * s * e * parallaxStrength;
                case ARC_RIGHT -> tx = ARC * s * e * parallaxStrength;
                case DOLLY_ZOOM -> extraDolly = DOLLY_ZOOM * s * e * parallaxStrength;
                case HANDHELD -> {
                    double sec = i / fps;
                    double ramp = sec >= HANDHELD_RAMP ? 1 : Math.sin(0.5 * Math.PI * sec / HANDHELD_RAMP);
                    ramp *= ramp;
                    double a = HANDHELD * s * ramp;
                    double hx = 0.55 * Math.sin(2 * Math.PI * 0.19 * sec + hand[0]) + 0.3 * Math.sin(2 * Math.PI * 0.47 * sec + hand[1])
                            + 0.15 * Math.sin(2 * Math.PI * 1.07 * sec + hand[2]);
                    double hy = 0.55 * Math.sin(2 * Math.PI * 0.23 * sec + hand[3]) + 0.3 * Math.sin(2 * Math.PI * 0.53 * sec + hand[4])
                            + 0.15 * Math.sin(2 * Math.PI * 1.31 * sec + hand[5]);
                    double hz = Math.sin(2 * Math.PI * 0.11 * sec + hand[6]);
                    // the amplitude eases in from 0, so the clip starts on the rest pose and the drift never jumps
                    cx = a * hx;
                    cy = a * 0.7 * hy;
                    zoom = base * (1 + 0.25 * a * (1 + hz));
                    tx = 0.5 * lateral * cx;
                    ty = 0.5 * lateral * cy;
                }
                default -> { }
            }
            cx += focus.offsetX(i);
            cy += focus.offsetY(i);
            zoom *= 1 + FocusTrack.ZOOM * focus.weight(i);
            double dolly = move == CameraMove.HANDHELD ? 0 : -axial * (1 - restZoom / zoom);
            dolly += extraDolly;

            // keep window + parallax + scene motion inside the picture: zoom in just enough where needed
            double parX = depthSpread * (Math.abs(tx) + Math.abs(dolly)) + motionX;
            double parY = depthSpread * (Math.abs(ty) + Math.abs(dolly)) + motionY;
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
