package io.kinora.model.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Kinora model registry",
        description = "Verification, warm-up, leases and rollback of model bundles (header Kinora-Model).")
public @interface RegistryConfig {

    @AttributeDefinition(name = "Acquire wait (s)", min = "0", max = "3600",
            description = "How long a new job waits for a ready version of its model family (e.g. at start-up).")
    int acquire_wait_seconds() default 60;

    @AttributeDefinition(name = "Warm-up timeout (s)", min = "1", max = "3600",
            description = "Longest health-check render; slower versions are FAILED.")
    int warmup_timeout_seconds() default 120;

    @AttributeDefinition(name = "Uninstall drain timeout (s)", min = "0", max = "86400",
            description = "How long an uninstall through the registry waits for running jobs of the version before "
                    + "it uninstalls the bundle anyway (those jobs still finish on the old instance).")
    int uninstall_timeout_seconds() default 600;

    @AttributeDefinition(name = "Rollback window (jobs)", min = "0", max = "100000",
            description = "Number of first jobs of a newly READY version whose failures count for automatic rollback.")
    int rollback_window_jobs() default 20;

    @AttributeDefinition(name = "Rollback failures", min = "1", max = "100000",
            description = "Failed jobs within the window that roll a version back to the previous stable one.")
    int rollback_max_failures() default 3;

    @AttributeDefinition(name = "Trust store", required = false,
            description = "Path of a PKCS12/JKS trust store. When set, a model jar must be signed by a certificate "
                    + "that chains to it, or it is refused. Empty: signatures are not checked.")
    String trust_store() default "";

    @AttributeDefinition(name = "Trust store type", options = {
            @org.osgi.service.metatype.annotations.Option(label = "PKCS12", value = "PKCS12"),
            @org.osgi.service.metatype.annotations.Option(label = "JKS", value = "JKS")})
    String trust_store_type() default "PKCS12";

    @AttributeDefinition(name = "Trust store password", type = AttributeType.PASSWORD, required = false)
    String trust_store_password() default "";
}
