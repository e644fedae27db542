package io.kinora.launcher;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Credentials for the Felix Web Console. There is no default password: at first start a random one is
 * generated, shown once, and only its salted, iterated hash is stored, in the form the Web Console verifies
 * ({@code {sha-256}<hex salt>-<iterations>-<base64 digest>}, digest = SHA-256 applied n times to salt + password).
 */
final class ConsolePassword {
    private static final int ITERATIONS = 1000;
    private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

    private ConsolePassword() {
    }

    /** A random password of 20 characters from an unambiguous alphabet (about 116 bits). */
    static String generate(SecureRandom random) {
        StringBuilder b = new StringBuilder(20);
        for (int i = 0; i < 20; i++) b.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        return b.toString();
    }

    static String hash(String password, SecureRandom random) {
        byte[] saltBytes = new byte[8];
        random.nextBytes(saltBytes);
        return hash(password, HexFormat.of().formatHex(saltBytes), ITERATIONS);
    }

    static String hash(String password, String salt, int iterations) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] bytes = (salt + password).getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < iterations; i++) {
                md.reset();
                bytes = md.digest(bytes);
            }
            return "{sha-256}" + salt + "-" + iterations + "-" + Base64.getEncoder().encodeToString(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
