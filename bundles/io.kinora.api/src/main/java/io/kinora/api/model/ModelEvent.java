package io.kinora.api.model;

/**
 * Event Admin topics and property keys the registry posts (asynchronously). Every event carries
 * {@link #MODEL_ID}, {@link #MODEL_VERSION}, {@link #FAMILY}, {@link #STATE} and, where there is one,
 * {@link #REASON}.
 */
public final class ModelEvent {
    /** Prefix of every topic: subscribe to {@code io/kinora/model/*}. */
    public static final String TOPIC_PREFIX = "io/kinora/model/";
    /** A version changed state (also posted for the more specific events below). */
    public static final String STATE_CHANGED = TOPIC_PREFIX + "STATE_CHANGED";
    /** A version became READY. */
    public static final String READY = TOPIC_PREFIX + "READY";
    /** A version was refused (verification or health check) and is FAILED. */
    public static final String REFUSED = TOPIC_PREFIX + "REFUSED";
    /** A version was rolled back (automatically or by an operator); {@link #ROLLED_BACK_TO} names the fallback. */
    public static final String ROLLED_BACK = TOPIC_PREFIX + "ROLLED_BACK";
    /** A family's routing policy changed. */
    public static final String POLICY_CHANGED = TOPIC_PREFIX + "POLICY_CHANGED";

    public static final String MODEL_ID = "model.id";
    public static final String MODEL_VERSION = "model.version";
    public static final String FAMILY = "model.family";
    public static final String STATE = "model.state";
    public static final String REASON = "reason";
    public static final String ROLLED_BACK_TO = "rolled.back.to";
    public static final String BUNDLE_ID = "bundle.id";

    private ModelEvent() {
    }
}
