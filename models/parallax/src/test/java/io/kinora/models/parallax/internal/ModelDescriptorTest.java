package io.kinora.models.parallax.internal;

import io.kinora.json.Json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ModelDescriptorTest {

    @Test
    void theShippedDescriptorMatchesTheShippedFile() throws Exception {
        ModelDescriptor d = ModelDescriptor.load(getClass().getClassLoader());
        assertEquals("parallax", d.id());
        assertEquals("image-to-video", d.family());
        assertTrue(d.version().matches("\\d+\\.\\d+\\.\\d+.*"), "version filtered by Maven: " + d.version());
        assertEquals(3600, d.limits().maxFrames());
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("META-INF/kinora/warp.pt")) {
            assertEquals(d.sha256().get("warp.pt"), WarpHelper.sha256(in.readAllBytes()));
        }
    }

    @Test
    void rejectsBrokenDescriptors() {
        String ok = "{\"id\":\"p\",\"version\":\"1\",\"family\":\"f\",\"description\":\"d\","
                + "\"limits\":{\"minSize\":16,\"maxWidth\":4096,\"maxHeight\":4096,\"maxFrames\":10,\"maxSourcePixels\":1e6},"
                + "\"files\":[{\"path\":\"warp.pt\",\"sha256\":\"" + "ab".repeat(32) + "\"}]}";
        assertEquals(1_000_000, ModelDescriptor.parse(ok).limits().maxSourcePixels());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ModelDescriptor.parse("{\"id\":"))
                .getMessage().contains("not valid JSON"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ModelDescriptor.parse(ok.replace("ab".repeat(32), "xyz")))
                .getMessage().contains("sha256 of warp.pt must be 64 hex digits"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ModelDescriptor.parse(ok.replace("\"maxFrames\":10", "\"maxFrames\":1.5")))
                .getMessage().contains("\"maxFrames\" must be a whole number"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ModelDescriptor.parse(ok.replace("warp.pt", "../x.pt")))
                .getMessage().contains("must stay in"));
    }

    @Test
    void jsonReader() {
        Object v = Json.parse(" {\"a\": [1, -2.5e1, true, false, null, \"x\\u00e9\\n\"], \"b\": {}} ");
        assertEquals(Map.of("a", java.util.Arrays.asList(1.0, -25.0, true, false, null, "x\u00e9\n"), "b", Map.of()), v);
        assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\":1,\"a\":2}"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("[1,]"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("{} x"));
        assertEquals(List.of(), Json.parse("[]"));
    }
}
