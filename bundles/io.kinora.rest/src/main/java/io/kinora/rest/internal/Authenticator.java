package io.kinora.rest.internal;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Checks {@code Authorization} headers against configured users (PBKDF2 hashes) and bearer tokens (SHA-256 of the
 * token). Secrets are compared in constant time and never logged. Entries that do not parse are reported once.
 */
final class Authenticator {
    private record User(String role, int iterations, byte[] salt, byte[] hash) {
    }

    private record Token(String name, String role) {
    }

    private final Map<String, User> users = new HashMap<>();
    private final Map<String, Token> tokens = new HashMap<>();
    private final String anonymousRole;
    private final List<String> problems = new java.util.ArrayList<>();
    /**
     * Users whose Basic password was verified with PBKDF2 lately (PBKDF2 is slow on purpose: ~10 ms per request would
     * dominate a status poll), by user name: an HMAC-SHA256 of the presented password under a key that lives only in
     * this object, compared in constant time. A memory dump of the cache gives no fast way to test passwords (unlike a
     * plain digest). At most one entry per configured user; a new configuration makes a new Authenticator, so
     * changed passwords or removed users never hit an old entry.
     */
    private final Map<String, Verified> verified = new java.util.concurrent.ConcurrentHashMap<>();
    private final long cacheNanos;
    private final javax.crypto.spec.SecretKeySpec cacheKey;

    private record Verified(byte[] mac, Principal principal, long until) {
    }

    Authenticator(String[] userEntries, String[] tokenEntries, String anonymousRole) {
        this(userEntries, tokenEntries, anonymousRole, 300);
    }

    /** @param cacheSeconds how long a verified Basic password is remembered; 0: PBKDF2 on every request */
    Authenticator(String[] userEntries, String[] tokenEntries, String anonymousRole, int cacheSeconds) {
        this.cacheNanos = Math.max(0, cacheSeconds) * 1_000_000_000L;
        byte[] k = new byte[32];
        new java.security.SecureRandom().nextBytes(k);
        this.cacheKey = new javax.crypto.spec.SecretKeySpec(k, "HmacSHA256");
        for (String e : userEntries == null ? new String[0] : userEntries) {
            String[] p = e.split(":", 3);
            String[] h = p.length == 3 ? p[2].split("\\$") : new String[0];
            if (p.length != 3 || !validRole(p[1]) || h.length != 4 || !h[0].equals("pbkdf2")) {
                problems.add("users: an entry for '" + (p.length > 0 ? p[0] : "") + "' is not name:role:pbkdf2$iterations$salt$hash with role creator or operator");
                continue;
            }
            try {
                users.put(p[0], new User(p[1], Integer.parseInt(h[1]), Base64.getDecoder().decode(h[2]), Base64.getDecoder().decode(h[3])));
            } catch (IllegalArgumentException ex) {
                problems.add("users: the hash of '" + p[0] + "' does not decode");
            }
        }
        for (String e : tokenEntries == null ? new String[0] : tokenEntries) {
            String[] p = e.split(":", 3);
            if (p.length != 3 || !p[0].matches("[0-9a-fA-F]{64}") || !validRole(p[2])) {
                problems.add("tokens: an entry is not sha256hex:name:role with role creator or operator");
                continue;
            }
            tokens.put(p[0].toLowerCase(Locale.ROOT), new Token(p[1], p[2]));
        }
        if (anonymousRole != null && !anonymousRole.isBlank() && !validRole(anonymousRole)) {
            problems.add("anonymous.role: must be empty, creator or operator");
            anonymousRole = "";
        }
        this.anonymousRole = anonymousRole == null ? "" : anonymousRole.trim();
    }

    List<String> problems() { return problems; }

    boolean anyoneConfigured() { return !users.isEmpty() || !tokens.isEmpty() || !anonymousRole.isEmpty(); }

    private static boolean validRole(String r) { return Principal.CREATOR.equals(r) || Principal.OPERATOR.equals(r); }

    /** The caller, or empty when the credentials are missing or wrong. */
    Optional<Principal> authenticate(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            return anonymousRole.isEmpty() ? Optional.empty() : Optional.of(new Principal("anonymous", anonymousRole));
        }
        if (authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String hex = HexFormat.of().formatHex(sha256(authorization.substring(7).trim().getBytes(StandardCharsets.UTF_8)));
            Token t = tokens.get(hex);
            return t == null ? Optional.empty() : Optional.of(new Principal(t.name(), t.role()));
        }
        if (authorization.regionMatches(true, 0, "Basic ", 0, 6)) return basic(authorization);
        return Optional.empty();
    }

    private Optional<Principal> basic(String authorization) {
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) return Optional.empty();
        String name = decoded.substring(0, colon);
        String password = decoded.substring(colon + 1);
        User u = users.get(name);
        if (u == null) {
            hash("dummy-password-for-timing", new byte[16], 10_000); // same work whether or not the user exists
            return Optional.empty();
        }
        byte[] mac = cacheNanos > 0 ? mac(name, password) : null;
        if (mac != null) {
            Verified v = verified.get(name);
            if (v != null && v.until() - System.nanoTime() > 0 && MessageDigest.isEqual(mac, v.mac())) return Optional.of(v.principal());
        }
        byte[] candidate = hash(password, u.salt(), u.iterations());
        if (!MessageDigest.isEqual(candidate, u.hash())) return Optional.empty();
        Principal p = new Principal(name, u.role());
        if (mac != null) verified.put(name, new Verified(mac, p, System.nanoTime() + cacheNanos));
        return Optional.of(p);
    }

    /** How many users have a remembered verification (for tests). */
    int cachedUsers() { return verified.size(); }

    private byte[] mac(String name, String password) {
        try {
            javax.crypto.Mac m = javax.crypto.Mac.getInstance("HmacSHA256");
            m.init(cacheKey);
            m.update(name.getBytes(StandardCharsets.UTF_8));
            m.update((byte) 0);
            return m.doFinal(password.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /** A password hash for the users setting: {@code pbkdf2$iterations$salt$hash} (PBKDF2-HMAC-SHA256, 256 bits). */
    static String hashPassword(String password, byte[] salt, int iterations) {
        return "pbkdf2$" + iterations + "$" + Base64.getEncoder().encodeToString(salt) + "$"
                + Base64.getEncoder().encodeToString(hash(password, salt, iterations));
    }

    static byte[] hash(String password, byte[] salt, int iterations) {
        try {
            PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, 256);
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is not available", e);
        }
    }

    static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
