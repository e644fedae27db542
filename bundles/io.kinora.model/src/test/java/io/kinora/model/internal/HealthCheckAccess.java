package io.kinora.model.internal;

import io.kinora.api.media.RgbImage;

/** Lets tests in other packages use the health-check picture. */
public final class HealthCheckAccess {
    private HealthCheckAccess() {
    }

    public static RgbImage picture() { return HealthCheck.picture(); }
}
