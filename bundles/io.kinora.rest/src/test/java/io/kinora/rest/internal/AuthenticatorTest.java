package io.kinora.rest.internal;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AuthenticatorTest {
    static final String[] USERS = {
            "alice:creator:" + Authenticator.hashPassword("alice-secret", "0123456789abcdef".getBytes(StandardCharsets.UTF_8), 20_000),
            "olga:operator:" + Authenticator.hashPassword("olga-secret", "fedcba9876543210".getBytes(StandardCharsets.UTF_8), 20_000)};

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aVerifiedPasswordIsRememberedPerUserAndAWrongOneNeverPassesTheCache() {
        Authenticator a = new Authenticator(USERS, new String[0], "", 300);
        assertEquals(Optional.of(new Principal("alice", "creator")), a.authenticate(basic("alice", "alice-secret")));
        assertEquals(1, a.cachedUsers());
        for (int i = 0; i < 3; i++) {
            assertEquals(Optional.of(new Principal("alice", "creator")), a.authenticate(basic("alice", "alice-secret")));
        }
        assertEquals(Optional.empty(), a.authenticate(basic("alice", "alice-secreT")), "a wrong password with a cached right one");
        assertEquals(Optional.empty(), a.authenticate(basic("alice", "")));
        assertEquals(Optional.empty(), a.authenticate(basic("olga", "alice-secret")), "another user's password");
        assertEquals(Optional.empty(), a.authenticate(basic("mallory", "alice-secret")), "an unknown user");
        assertEquals(1, a.cachedUsers(), "failures are not remembered");
        assertEquals(Optional.of(new Principal("olga", "operator")), a.authenticate(basic("olga", "olga-secret")));
        assertEquals(2, a.cachedUsers(), "at most one entry per configured user");
        assertEquals(Optional.of(new Principal("alice", "creator")), a.authenticate(basic("alice", "alice-secret")));
    }

    @Test
    void theCacheMakesRepeatedRequestsCheapWithoutStoringTheSecret() {
        Authenticator a = new Authenticator(USERS, new String[0], "", 300);
        String header = basic("olga", "olga-secret");
        long t0 = System.nanoTime();
        assertTrue(a.authenticate(header).isPresent());
        long first = System.nanoTime() - t0;
        t0 = System.nanoTime();
        for (int i = 0; i < 20; i++) assertTrue(a.authenticate(header).isPresent());
        long cached = (System.nanoTime() - t0) / 20;
        // PBKDF2 with 20,000 iterations takes milliseconds; a keyed hash and a compare take microseconds
        assertTrue(cached * 5 < first, "cached " + cached + " ns vs first " + first + " ns");
    }

    @Test
    void cacheOffChecksTheHashEveryTimeAndANewConfigurationForgetsEverything() {
        Authenticator off = new Authenticator(USERS, new String[0], "", 0);
        assertTrue(off.authenticate(basic("alice", "alice-secret")).isPresent());
        assertEquals(0, off.cachedUsers());
        Authenticator before = new Authenticator(USERS, new String[0], "", 300);
        assertTrue(before.authenticate(basic("alice", "alice-secret")).isPresent());
        String[] changed = {"alice:creator:" + Authenticator.hashPassword("new-secret", new byte[16], 20_000)};
        Authenticator after = new Authenticator(changed, new String[0], "", 300);
        assertEquals(Optional.empty(), after.authenticate(basic("alice", "alice-secret")), "the old password after a change");
        assertTrue(after.authenticate(basic("alice", "new-secret")).isPresent());
    }
}
