package io.kinora.model.internal;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import io.kinora.api.model.ModelState;
import io.kinora.api.model.ModelVersion;
import io.kinora.api.video.ModelInfo;
import io.kinora.api.video.VideoModel;

/** One model version in the registry. Mutable; every field is guarded by the registry's lock. */
final class Entry implements Router.Candidate {

    private static final Map<ModelState, Set<ModelState>> ALLOWED = new EnumMap<>(ModelState.class);

    static {
        ALLOWED.put(ModelState.INSTALLED, EnumSet.of(ModelState.VERIFYING, ModelState.WARMING, ModelState.FAILED,
                ModelState.RETIRED));
        ALLOWED.put(ModelState.VERIFYING, EnumSet.of(ModelState.INSTALLED, ModelState.WARMING, ModelState.FAILED,
                ModelState.RETIRED));
        ALLOWED.put(ModelState.WARMING, EnumSet.of(ModelState.READY, ModelState.FAILED, ModelState.INSTALLED,
                ModelState.RETIRED));
        ALLOWED.put(ModelState.READY, EnumSet.of(ModelState.DRAINING, ModelState.FAILED, ModelState.RETIRED));
        ALLOWED.put(ModelState.DRAINING, EnumSet.of(ModelState.RETIRED, ModelState.FAILED));
        ALLOWED.put(ModelState.FAILED, EnumSet.of(ModelState.READY, ModelState.RETIRED, ModelState.VERIFYING,
                ModelState.INSTALLED));
        ALLOWED.put(ModelState.RETIRED, EnumSet.of(ModelState.INSTALLED, ModelState.VERIFYING));
    }

    final long bundleId;
    final String location;
    final String id;
    final String version;
    final long seenNanos;
    String family;
    String description = "";
    volatile ModelState state = ModelState.INSTALLED;
    String reason;
    long installToReadyMillis = -1;
    int leases;
    long completed;
    long failed;
    /** Jobs ended / failed since the version became READY (the rollback window). */
    long windowJobs;
    long windowFailures;
    /** FAILED because it was rolled back (it could serve): an operator may re-activate it. */
    boolean rolledBack;
    /** FAILED by verification: its bundle must change before it is tried again. */
    boolean refused;
    VideoModel model;
    Descriptor descriptor;

    Entry(long bundleId, String location, String id, String version, String family, long seenNanos) {
        this.bundleId = bundleId;
        this.location = location;
        this.id = id;
        this.version = version;
        this.family = family == null ? id : family;
        this.seenNanos = seenNanos;
    }

    static boolean allowed(ModelState from, ModelState to) {
        return from == to || ALLOWED.get(from).contains(to);
    }

    @Override
    public String id() { return id; }

    @Override
    public String version() { return version; }

    String key() { return id + ":" + version; }

    boolean live() { return state != ModelState.RETIRED; }

    boolean inFamily(String familyOrId) {
        return familyOrId.equals(family) || familyOrId.equals(id);
    }

    ModelInfo info() {
        return new ModelInfo(id, version, family, description);
    }

    ModelVersion snapshot() {
        return new ModelVersion(info(), state, reason, bundleId, location, leases, completed, failed,
                installToReadyMillis);
    }
}
