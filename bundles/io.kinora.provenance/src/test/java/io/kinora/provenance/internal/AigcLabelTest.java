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
    void readingIsStrictAndWritingEscapes() {
        String ok = AigcLabel.generated("Kinora", "c-1").toJson();
        assertEquals("1", AigcLabel.parse(" " + ok + " ").label());
        assertThrows(IllegalArgumentException.class, () -> AigcLabel.parse("{\"Label\":\"1\",\"Label\":\"2\"}"), "duplicate key");
        assertThrows(IllegalArgumentException.class, () -> AigcLabel.parse(ok + " x"), "text after the value");
        assertThrows(IllegalArgumentException.class, () -> AigcLabel.parse("{\"Label\":\"\\q\"}"), "bad escape");
        assertThrows(IllegalArgumentException.class, () -> AigcLabel.parse("[".repeat(100) + "]".repeat(100)));
        assertTrue(new AigcLabel("1", "a\\b\u0001", "p", "", "", "", "").toJson().contains("\"a\\\\b\\u0001\""));
    }
}
