package io.kinora.provenance.internal;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class AigcLabelTest {
    @Test
    void writesAnnexEFieldsInOrderWrapped() {
        AigcLabel l = AigcLabel.generated("Kinora", "c-42");
        assertNull(l.problem());
        assertEquals("{\"AIGC\":{\"Label\":\"1\",\"ContentProducer\":\"Kinora\",\"ProduceID\":\"c-42\",\"ReservedCode1\":\"\","
                + "\"ContentPropagator\":\"Kinora\",\"PropagateID\":\"c-42\",\"ReservedCode2\":\"\"}}", l.toJson());
    }

    @Test
    void roundTripsAndReadsTheBareForm() {
        AigcLabel l = AigcLabel.generated("001191110102MAD55U9H0F10002", "0b6c7c1e-5a8e-4a8f-9b1d-2f2d0c1e9a77");
        assertEquals(l, AigcLabel.parse(l.toJson()));
        AigcLabel bare = AigcLabel.parse("{ \"Label\" : \"2\", \"ContentProducer\": \"X\" }");
        assertEquals("2", bare.label());
        assertEquals("possibly AI-generated", bare.labelMeaning());
        assertNull(bare.produceId());
    }

    @Test
    void rejectsMalformedValues() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> AigcLabel.parse("{\"AIGC\":")).getMessage().contains("not valid JSON"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> AigcLabel.parse("[1]")).getMessage().contains("not a JSON object"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> AigcLabel.parse("{\"AIGC\":{\"x\":\"1\"}}")).getMessage().contains("no \"Label\""));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> AigcLabel.parse("{\"AIGC\":{\"Label\":1}}")).getMessage().contains("not a string"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> AigcLabel.parse("{\"AIGC\":\"1\"}")).getMessage().contains("not a JSON object"));
    }

    @Test
    void enforcesTheAnnexECharacterSet() {
        assertTrue(AigcLabel.generated("Acme Corp", "c").problem().contains("a space (U+0020)"));
        assertTrue(AigcLabel.generated("Acme\\Corp", "c").problem().contains("backslash"));
        assertTrue(AigcLabel.generated("Kinora", "内容").problem().contains("ProduceID"));
        assertNull(AigcLabel.generated("Say\"Hi\"", "c").problem(), "a quotation mark is allowed escaped");
        assertTrue(AigcLabel.generated("Say\"Hi\"", "c").toJson().contains("Say\\\"Hi\\\""));
        assertTrue(new AigcLabel("4", "a", "b", "", "a", "b", "").problem().contains("not 1, 2 or 3"));
    }

    @Test
    void jsonReaderHandlesTheGrammar() {
        Object v = Json.parse(" {\"a\": [1, -2.5e3, true, false, null, \"x\\u00e9\\n\\\"\"], \"b\": {}} ");
        Map<?, ?> m = (Map<?, ?>) v;
        List<?> a = (List<?>) m.get("a");
        assertEquals(new BigDecimal("1"), a.get(0));
        assertEquals(new BigDecimal("-2.5e3"), a.get(1));
        assertEquals(Boolean.TRUE, a.get(2));
        assertNull(a.get(4));
        assertEquals("xé\n\"", a.get(5));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\":1,\"a\":2}"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\":1} x"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("\"\\q\""));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("[".repeat(100) + "]".repeat(100)));
        assertEquals("\"a\\\\b\\u0001\"", Json.quote("a\\b\u0001"));
    }
}
