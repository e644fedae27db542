package io.kinora.model.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

@ObjectClassDefinition(
        name = "Kinora model routing", description = "How new jobs of one model family are routed to its versions. "
        + "Versions are written 'version' or 'id:version'. A change applies to the next job.")
public @interface RoutingConfig {

    @AttributeDefinition(name = "Family", description = "Model family (e.g. image-to-video) or model id (parallax).")
    String family();

    @AttributeDefinition(name = "Mode", options = {
            @Option(label = "Latest ready version", value = "latest"),
            @Option(label = "Pinned version", value = "pinned"),
            @Option(label = "Canary: a share to a candidate", value = "canary")})
    String mode() default "latest";

    @AttributeDefinition(name = "Version", required = false,
            description = "pinned: the version; canary: the stable version (empty: latest ready other than the candidate).")
    String version() default "";

    @AttributeDefinition(name = "Canary candidate", required = false)
    String candidate() default "";

    @AttributeDefinition(name = "Canary share (%)", min = "0", max = "100",
            description = "Share of new jobs to the candidate, chosen deterministically from the job id.")
    int canary_percent() default 10;

    @AttributeDefinition(name = "Tenant pins", required = false,
            description = "tenant=version entries; a tenant's jobs go to that version while it is ready.")
    String[] tenant_pins() default {};

    @AttributeDefinition(name = "Automatic rollback",
            description = "Roll a version back when it fails its error budget over its first jobs.")
    boolean auto_rollback() default true;
}
