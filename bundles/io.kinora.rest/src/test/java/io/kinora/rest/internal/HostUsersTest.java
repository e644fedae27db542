package io.kinora.rest.internal;

import org.junit.jupiter.api.Test;

import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HostUsersTest {
    /** A request with attributes and an optional remote user. */
    static HttpServletRequest request(Map<String, Object> attributes, String remoteUser) {
        return (HttpServletRequest) Proxy.newProxyInstance(HostUsersTest.class.getClassLoader(), new Class<?>[]{HttpServletRequest.class},
                (proxy, m, args) -> switch (m.getName()) {
                    case "getAttribute" -> attributes.get((String) args[0]);
                    case "setAttribute" -> attributes.put((String) args[0], args[1]);
                    case "removeAttribute" -> attributes.remove((String) args[0]);
                    case "getRemoteUser" -> remoteUser;
                    default -> null;
                });
    }

    static final HttpServletResponse RESPONSE = (HttpServletResponse) Proxy.newProxyInstance(HostUsersTest.class.getClassLoader(),
            new Class<?>[]{HttpServletResponse.class}, (proxy, m, args) -> null);

    /** Stands in for Sling's AuthenticationSupport: sets the remote user (or challenges) like SlingAuthenticator does. */
    public static final class FakeSlingAuthentication {
        final String user;
        final AtomicBoolean called = new AtomicBoolean();

        FakeSlingAuthentication(String user) { this.user = user; }

        public boolean handleSecurity(HttpServletRequest req, HttpServletResponse resp) {
            called.set(true);
            if (user == null) return false; // the host answered: login challenge
            req.setAttribute(HostUsers.REMOTE_USER, user);
            req.setAttribute(HostUsers.SLING_RESOLVER, new Resolver());
            return true;
        }
    }

    public static final class Resolver {
        boolean closed;

        public void close() { closed = true; }
    }

    @Test
    void offUnlessConfigured() {
        HostUsers h = new HostUsers(false, new String[]{"olga"}, new String[]{"*"});
        FakeSlingAuthentication sling = new FakeSlingAuthentication("olga");
        HostUsers.Outcome o = h.authenticate(request(new HashMap<>(), "olga"), RESPONSE, sling);
        assertTrue(o.principal().isEmpty());
        assertFalse(sling.called.get(), "the host is not even asked when host authentication is off");
    }

    @Test
    void mapsHostUserIdsToRoles() {
        HostUsers h = new HostUsers(true, new String[]{" olga "}, new String[]{"mia"});
        assertEquals(new Principal("olga", Principal.OPERATOR), h.map("olga").orElseThrow());
        assertEquals(new Principal("mia", Principal.CREATOR), h.map("mia").orElseThrow());
        assertTrue(h.map("ben").isEmpty(), "an unlisted user has no role");
        HostUsers any = new HostUsers(true, new String[0], new String[]{"*"});
        assertEquals(Principal.CREATOR, any.map("ben").orElseThrow().role());
        assertTrue(any.map("anonymous").isEmpty(), "the host's anonymous user never gets a role, not even with *");
        assertTrue(new HostUsers(true, null, null).problem().isPresent(), "on without any user mapped is reported");
        assertTrue(any.problem().isEmpty());
    }

    @Test
    void remoteUserSetByTheHostsContextIsUsedFirst() {
        HostUsers h = new HostUsers(true, new String[]{"olga"}, new String[0]);
        FakeSlingAuthentication sling = new FakeSlingAuthentication("someone-else");
        Map<String, Object> attributes = new HashMap<>(Map.of(HostUsers.REMOTE_USER, "olga"));
        HostUsers.Outcome o = h.authenticate(request(attributes, null), RESPONSE, sling);
        assertEquals("olga", o.principal().orElseThrow().name());
        assertFalse(sling.called.get());
        assertEquals("olga", h.authenticate(request(new HashMap<>(), "olga"), RESPONSE, null).principal().orElseThrow().name(),
                "getRemoteUser() counts too");
    }

    @Test
    void asksSlingsAuthenticationSupportAndReleasesItsResolver() {
        HostUsers h = new HostUsers(true, new String[0], new String[]{"mia"});
        Map<String, Object> attributes = new HashMap<>();
        HttpServletRequest req = request(attributes, null);
        HostUsers.Outcome o = h.authenticate(req, RESPONSE, new FakeSlingAuthentication("mia"));
        assertEquals(new Principal("mia", Principal.CREATOR), o.principal().orElseThrow());
        Resolver r = (Resolver) attributes.get(HostUsers.SLING_RESOLVER);
        HostUsers.release(req);
        assertTrue(r.closed, "the resource resolver Sling opened for the request is closed");

        HostUsers.Outcome unmapped = h.authenticate(request(new HashMap<>(), null), RESPONSE, new FakeSlingAuthentication("ben"));
        assertTrue(unmapped.principal().isEmpty());
        assertEquals("ben", unmapped.unmappedUser(), "authenticated by the host but without a Kinora role: 403, not 401");

        HostUsers.Outcome anonymous = h.authenticate(request(new HashMap<>(), null), RESPONSE, new FakeSlingAuthentication("anonymous"));
        assertTrue(anonymous.principal().isEmpty());
        assertNull(anonymous.unmappedUser(), "anonymous is not an authenticated user: 401");

        HostUsers.Outcome challenged = h.authenticate(request(new HashMap<>(), null), RESPONSE, new FakeSlingAuthentication(null));
        assertTrue(challenged.responded(), "when the host answered (login challenge) Kinora writes nothing");
    }

    @Test
    void aServiceWithoutHandleSecurityIsIgnored() {
        HostUsers h = new HostUsers(true, new String[]{"olga"}, new String[0]);
        HostUsers.Outcome o = h.authenticate(request(new HashMap<>(), null), RESPONSE, new Object());
        assertTrue(o.principal().isEmpty());
        assertFalse(o.responded());
    }
}
