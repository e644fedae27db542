package io.kinora.json;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonTest {

    @Test
    void readsADescriptorWithItsOrderAndTypes() {
        Object v = Json.parse(" {\"id\":\"parallax\",\"version\":\"1.0.0\",\"files\":[{\"path\":\"warp.pt\",\"size\":12}],"
                + "\"ok\":true,\"none\":null,\"text\":\"a\\u00e9\\n\\\"\"} ");
        Map<?, ?> m = (Map<?, ?>) v;
        assertEquals(List.of("id", "version", "files", "ok", "none", "text"), List.copyOf(m.keySet()));
        assertEquals(12.0, ((Map<?, ?>) ((List<?>) m.get("files")).get(0)).get("size"));
        assertEquals(Boolean.TRUE, m.get("ok"));
        assertTrue(m.containsKey("none") && m.get("none") == null);
        assertEquals("a\u00e9\n\"", m.get("text"));
    }

    @Test
    void refusesWhatIsNotStrictJsonAndSaysWhere() {
        assertEquals("duplicate member \"a\" at character 11",
                assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\":1,\"a\":2}")).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Json.parse("{} x")).getMessage().startsWith("unexpected text after the value"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\":\"x"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("[1,]"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("\"tab\there\""));
        assertThrows(IllegalArgumentException.class, () -> Json.parse(""));
    }
}
