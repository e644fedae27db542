package io.kinora.rest.internal;

import org.junit.jupiter.api.Test;

import javax.servlet.ServletException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A multipart body the container could not parse is the client's error (413 or 400 naming why), never a 500. */
class UnreadableUploadTest {
    @Test
    void aSizeLimitTheContainerReportsIs413NamingTheLimit() {
        // Jetty: an IllegalStateException, as it is, or wrapped in a ServletException by the container or a bridge
        for (Exception e : new Exception[]{new IllegalStateException("Request exceeds maxRequestSize (300000)"),
                new ServletException("Unable to parse form content", new IllegalStateException("Request exceeds maxRequestSize (300000)")),
                new ServletException("Unable to parse form content", new RuntimeException("400: bad multipart", new IllegalStateException("max file size exceeded")))}) {
            KinoraApiServlet.BadRequest b = KinoraApiServlet.unreadableUpload(e, 300_000);
            assertEquals(413, b.status, e.toString());
            assertTrue(b.getMessage().startsWith("the upload is larger than the limit of 300000 bytes (io.kinora.rest, "), b.getMessage());
        }
    }

    @Test
    void aMalformedBodyIs400SayingWhy() {
        KinoraApiServlet.BadRequest b = KinoraApiServlet.unreadableUpload(
                new ServletException("Unable to parse form content", new java.io.IOException("Missing initial multi part boundary")), 300_000);
        assertEquals(400, b.status);
        assertEquals("the multipart/form-data body could not be read: Unable to parse form content: Missing initial multi part boundary", b.getMessage());
    }
}
