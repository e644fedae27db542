package io.kinora.rest.internal;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.InputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class BoundedTest {
    @Test
    void passesUpToTheLimitAndFailsBeyond() throws Exception {
        byte[] data = new byte[1000];
        for (int i = 0; i < data.length; i++) data[i] = (byte) i;
        try (InputStream in = new KinoraApiServlet.Bounded(new ByteArrayInputStream(data), 1000)) {
            assertArrayEquals(data, in.readAllBytes());
        }
        try (InputStream in = new KinoraApiServlet.Bounded(new ByteArrayInputStream(data), 999)) {
            assertThrows(KinoraApiServlet.Bounded.TooLarge.class, in::readAllBytes);
        }
        try (InputStream in = new KinoraApiServlet.Bounded(new ByteArrayInputStream(data), 10)) {
            for (int i = 0; i < 10; i++) in.read();
            assertThrows(KinoraApiServlet.Bounded.TooLarge.class, in::read);
        }
    }
}
