package io.kinora.rest.internal;

import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The host's users, when Kinora is embedded (Apache Sling / AEM): a caller the host has authenticated is accepted
 * when configuration maps its user id to a Kinora role. Off unless {@code host.authentication} is set.
 *
 * <p>Who the caller is comes from, in order: the OSGi HTTP remote-user request attribute or
 * {@link HttpServletRequest#getRemoteUser()} (set by a host's authenticating context or filter), then the host's
 * authentication service when there is one — Sling's {@code org.apache.sling.auth.core.AuthenticationSupport}, called
 * by name so that this bundle does not depend on Sling. The host's anonymous user never gets a role.
 */
final class HostUsers {
    /** {@code org.osgi.service.http.HttpContext.REMOTE_USER} / {@code ServletContextHelper.REMOTE_USER}. */
    static final String REMOTE_USER = "org.osgi.service.http.authentication.remote.user";
    /** Sling's authentication service (its objectClass). */
    static final String SLING_AUTHENTICATION_SUPPORT = "org.apache.sling.auth.core.AuthenticationSupport";
    /** The request attribute where Sling's authentication leaves the caller's resource resolver. */
    static final String SLING_RESOLVER = "org.apache.sling.auth.core.ResourceResolver";
    static final String ANONYMOUS = "anonymous";

    /** What the host said: a caller with a role, an authenticated user without one, or that it answered itself. */
    record Outcome(Optional<Principal> principal, String unmappedUser, boolean responded) {
        static final Outcome NONE = new Outcome(Optional.empty(), null, false);
    }

    private final boolean enabled;
    private final Set<String> operators;
    private final Set<String> creators;

    HostUsers(boolean enabled, String[] operators, String[] creators) {
        this.enabled = enabled;
        this.operators = ids(operators);
        this.creators = ids(creators);
    }

    private static Set<String> ids(String[] entries) {
        Set<String> s = new TreeSet<>();
        if (entries != null) Arrays.stream(entries).map(String::trim).filter(e -> !e.isEmpty()).forEach(s::add);
        return s;
    }

    boolean enabled() { return enabled; }

    /** A problem with the settings, or empty. */
    Optional<String> problem() {
        if (enabled && operators.isEmpty() && creators.isEmpty()) {
            return Optional.of("host.authentication is on but neither host.operators nor host.creators names a host user: every host user is refused with 403");
        }
        return Optional.empty();
    }

    /** The Kinora role of a host user id: operator, creator ({@code *} in host.creators: any user but anonymous), or none. */
    Optional<Principal> map(String user) {
        if (user == null || user.isBlank() || user.toLowerCase(Locale.ROOT).equals(ANONYMOUS)) return Optional.empty();
        if (operators.contains(user)) return Optional.of(new Principal(user, Principal.OPERATOR));
        if (creators.contains(user) || creators.contains("*")) return Optional.of(new Principal(user, Principal.CREATOR));
        return Optional.empty();
    }

    /**
     * Asks the host who the caller is. {@code hostAuthentication} is the host's authentication service or null.
     * When the host's service answers the request itself (a login challenge or redirect), {@code responded} is true
     * and the caller must not write a response.
     */
    Outcome authenticate(HttpServletRequest req, HttpServletResponse resp, Object hostAuthentication) {
        if (!enabled) return Outcome.NONE;
        String user = remoteUser(req);
        if (user == null && hostAuthentication != null) {
            Boolean proceed = handleSecurity(hostAuthentication, req, resp);
            if (proceed == null) return Outcome.NONE;
            if (!proceed) return new Outcome(Optional.empty(), null, true);
            user = remoteUser(req);
        }
        if (user == null) return Outcome.NONE;
        Optional<Principal> p = map(user);
        return p.isPresent() || user.equalsIgnoreCase(ANONYMOUS) ? new Outcome(p, null, false) : new Outcome(p, user, false);
    }

    static String remoteUser(HttpServletRequest req) {
        Object a = req.getAttribute(REMOTE_USER);
        if (a instanceof String s && !s.isBlank()) return s;
        String r = req.getRemoteUser();
        return r == null || r.isBlank() ? null : r;
    }

    /** {@code handleSecurity(HttpServletRequest, HttpServletResponse)} of the host's service: its answer, or null when it has none. */
    static Boolean handleSecurity(Object service, HttpServletRequest req, HttpServletResponse resp) {
        try {
            Method m = null;
            for (Class<?> c = service.getClass(); c != null && m == null; c = c.getSuperclass()) {
                for (Class<?> i : c.getInterfaces()) {
                    if (i.getName().equals(SLING_AUTHENTICATION_SUPPORT)) m = i.getMethod("handleSecurity", HttpServletRequest.class, HttpServletResponse.class);
                }
            }
            if (m == null) m = service.getClass().getMethod("handleSecurity", HttpServletRequest.class, HttpServletResponse.class);
            Object r = m.invoke(service, req, resp);
            return r instanceof Boolean b ? b : null;
        } catch (NoSuchMethodException | IllegalAccessException e) {
            return null;
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("the host's authentication failed: " + e.getCause(), e.getCause());
        }
    }

    /** Closes what the host's authentication left on the request (Sling: the caller's resource resolver). */
    static void release(HttpServletRequest req) {
        Object resolver = req.getAttribute(SLING_RESOLVER);
        if (resolver == null) return;
        try {
            resolver.getClass().getMethod("close").invoke(resolver);
        } catch (ReflectiveOperationException | RuntimeException ignored) {
            // already closed by the host
        }
    }
}
