package io.kinora.rest.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Kinora REST API", description = "Who may use the REST API under /kinora/api and its limits. No user, no token and no anonymous role means nobody can use it.")
public @interface RestConfig {
    String PID = "io.kinora.rest";

    @AttributeDefinition(name = "Users", description = "HTTP Basic users, one per entry: name:role:hash, role creator (own jobs) or operator (everything); "
            + "hash from 'kinora hash-password' (pbkdf2$iterations$salt$hash). Passwords are never stored in clear.")
    String[] users() default {};

    @AttributeDefinition(name = "Bearer tokens", description = "One per entry: sha256hex:name:role, where sha256hex is the hex SHA-256 of the token "
            + "(e.g. printf %s \"$TOKEN\" | sha256sum). The token itself is never stored.")
    String[] tokens() default {};

    @AttributeDefinition(name = "Anonymous role", description = "Role of requests without credentials: empty (default) refuses them with 401; creator or operator lets anyone in (only behind your own gateway).")
    String anonymous_role() default "";

    @AttributeDefinition(name = "Accept the host's users", description = "When Kinora runs inside a host (Apache Sling / AEM): accept callers the host has "
            + "authenticated (its login, session or token, through Sling's AuthenticationSupport or a remote user set by the host) whose user id is "
            + "listed below. Kinora's own users and tokens keep working. Off by default.")
    boolean host_authentication() default false;

    @AttributeDefinition(name = "Host operators", description = "Host user ids with the operator role (every job, model operations).")
    String[] host_operators() default {};

    @AttributeDefinition(name = "Host creators", description = "Host user ids with the creator role (own jobs only); '*' is every authenticated host user "
            + "except the host's anonymous user.")
    String[] host_creators() default {};

    @AttributeDefinition(name = "Password verification cache (seconds)", description = "How long a verified HTTP Basic password is remembered "
            + "(as a keyed hash in memory, per user, compared in constant time), so that polling clients do not pay the deliberately slow "
            + "PBKDF2 check on every request. 0: check the password hash on every request. A configuration change forgets every entry.")
    int auth_cache_seconds() default 300;

    @AttributeDefinition(name = "Server-Timing header", description = "Add a Server-Timing header (app;dur=milliseconds) to API responses: "
            + "the time the request spent in Kinora, from the servlet's entry to the response body, for latency monitoring.")
    boolean server_timing() default true;

    @AttributeDefinition(name = "Max upload bytes", description = "Largest multipart request (image + scene) accepted.")
    long osgi_http_whiteboard_servlet_multipart_maxRequestSize() default 64L * 1024 * 1024;

    @AttributeDefinition(name = "Max model jar bytes", description = "Largest model bundle accepted as a raw upload (POST /v1/models with the jar as the body); "
            + "a multipart upload is bounded by 'Max upload bytes'. Larger models: drop the jar into the models folder.")
    long max_model_bytes() default 4L * 1024 * 1024 * 1024;

    @AttributeDefinition(name = "Max scene bytes", description = "Largest SceneSpec JSON part accepted.")
    int max_scene_bytes() default 256 * 1024;
}
