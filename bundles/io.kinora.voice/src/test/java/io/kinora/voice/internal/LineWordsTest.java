package io.kinora.voice.internal;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertFalse;

class LineWordsTest {
    static List<String> words(String s) {
        return LineWords.spans(s).stream().map(LineWords.Span::word).toList();
    }

    @Test
    void spacedScriptsAreCutAtWhitespaceOnly() {
        assertEquals(List.of("Call", "me", "at", "3:30,", "OK?"), words(" Call me\tat 3:30,  OK? "));
        assertEquals(LineWords.split("שלום עולם, מה שלומך?"), words("שלום עולם, מה שלומך?"));
    }

    @Test
    void hanAndKanaAreOneWordPerCharacterWithTheirPunctuation() {
        assertEquals(List.of("你", "好，", "世", "界。"), words("你好，世界。"));
        assertEquals(List.of("「我", "们」"), words("「我们」"));
        assertEquals(List.of("AI", "生", "成", "ok"), words("AI生成 ok"));
        assertEquals(List.of("こ", "ん", "に", "ち", "は"), words("こんにちは"));
        assertEquals(List.of("你好，世界。"), LineWords.split("你好，世界。"), "split keeps whitespace runs");
        // offsets point into the text
        String t = "Hi 你好";
        for (LineWords.Span s : LineWords.spans(t)) assertEquals(s.word(), t.substring(s.start(), s.end()));
    }

    @Test
    void emoji() {
        assertTrue(Emoji.only("🎉"));
        assertTrue(Emoji.only("👍🏽"));
        assertTrue(Emoji.only("👨‍👩‍👧"));
        assertTrue(Emoji.only("🇫🇷"));
        assertTrue(Emoji.only("❤️"));
        assertEquals("Great news !", Emoji.strip("Great news 🎉!"));
        assertFalse(Emoji.only("©"));
        assertEquals("café 3°C € ©", Emoji.strip("café 3°C € ©"));
        assertEquals("क्‍ष", Emoji.strip("क्‍ष"), "a joiner outside emoji stays");
    }
}
