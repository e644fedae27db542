package io.kinora.voice.internal.freetts;

import io.kinora.api.media.StageException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FreeTtsTextTest {
    @Test
    void foldsAccentsAndTypography() {
        assertEquals("cafe", FreeTtsText.fold("caf\u00e9"));
        assertEquals("\"Resume\"", FreeTtsText.fold("\u201cR\u00e9sum\u00e9\u201d"));
        assertEquals("it's", FreeTtsText.fold("it\u2019s"));
        assertEquals("-", FreeTtsText.fold("\u2014"));
        assertEquals("so...", FreeTtsText.fold("so\u2026"));
        assertEquals("5", FreeTtsText.fold("\u20ac5"));
        assertEquals("", FreeTtsText.fold("\uD83D\uDE00"));
    }

    @Test
    void otherScriptsCannotBeFolded() {
        assertNull(FreeTtsText.fold("\u4f60\u597d"));
        assertNull(FreeTtsText.fold("\u043f\u0440\u0438\u0432\u0435\u0442"));
        StageException e = assertThrows(StageException.class,
                () -> FreeTtsText.spokenForms(List.of("hi", "\u4f60\u597d", "\u043c\u0438\u0440"), "kevin"));
        assertTrue(e.getMessage().contains("'\u4f60\u597d', '\u043c\u0438\u0440'") && e.getMessage().contains("'kevin'"),
                e.getMessage());
    }
}
