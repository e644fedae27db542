package io.kinora.launcher;

import org.junit.jupiter.api.Test;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConsolePasswordTest {
    @Test
    void hashIsAcceptedByTheRealWebConsole() throws Exception {
        SecureRandom random = new SecureRandom();
        String password = ConsolePassword.generate(random);
        String hash = ConsolePassword.hash(password, random);
        assertTrue(hash.startsWith("{sha-256}"), hash);
        assertFalse(hash.contains(password));
        // the Web Console's own verifier (the webconsole bundle the distribution ships is on the test class path)
        Class<?> pw = Class.forName("org.apache.felix.webconsole.internal.servlet.Password");
        Constructor<?> c = pw.getDeclaredConstructor(String.class);
        c.setAccessible(true);
        Method matches = pw.getDeclaredMethod("matches", byte[].class);
        matches.setAccessible(true);
        Object verifier = c.newInstance(hash);
        assertEquals(true, matches.invoke(verifier, (Object) password.getBytes(StandardCharsets.UTF_8)));
        assertEquals(false, matches.invoke(verifier, (Object) (password + "x").getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void credentialsAreGeneratedOnceAndNeverDefault(@org.junit.jupiter.api.io.TempDir Path conf) throws Exception {
        String first = Main.ensureConsoleCredentials(conf);
        assertTrue(first != null && first.length() == 20);
        Properties p = new Properties();
        try (var in = Files.newInputStream(conf.resolve(Main.CONSOLE_PID + ".cfg"))) {
            p.load(in);
        }
        assertEquals("admin", p.getProperty("username"));
        assertNotEquals(first, p.getProperty("password"));
        assertFalse(Files.readString(conf.resolve(Main.CONSOLE_PID + ".cfg")).contains(first), "the password is not stored");
        assertNull(Main.ensureConsoleCredentials(conf), "an existing configuration is kept");
    }
}
