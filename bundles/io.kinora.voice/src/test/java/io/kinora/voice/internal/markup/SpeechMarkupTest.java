package io.kinora.voice.internal.markup;

import io.kinora.api.media.StageException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class SpeechMarkupTest {
    @Test
    void plainTextWithAngleBracketsStaysText() {
        for (String s : List.of("x < y and y > z", "I <3 you", "<b>bold</b> &amp; more", "a<breakfast>")) {
            SpeechMarkup m = SpeechMarkup.parse(s);
            assertFalse(m.marked(), s);
            assertEquals(s, m.plainText());
            assertFalse(m.expressive());
        }
    }

    @Test
    void breaksEmphasisProsodyAndStyles() {
        SpeechMarkup m = SpeechMarkup.parse("Wait.<break time=\"500ms\"/> <emphasis level=\"strong\">Now</emphasis>"
                + " <prosody rate=\"slow\" pitch=\"+10%\" volume=\"-6dB\">softly <prosody kinora:style='shout'>loud</prosody></prosody>"
                + " &lt;ok&gt;<break strength=\"strong\"/>");
        assertTrue(m.marked());
        assertTrue(m.expressive());
        assertEquals("Wait.  Now softly loud <ok> ", m.plainText()); // a break adds a space
        List<SpeechMarkup.Item> items = m.items();
        assertEquals(new SpeechMarkup.Pause(0.5), items.get(1));
        SpeechMarkup.Text now = (SpeechMarkup.Text) items.stream()
                .filter(i -> i instanceof SpeechMarkup.Text t && t.text().equals("Now")).findFirst().orElseThrow();
        assertEquals(2, now.style().emphasis());
        SpeechMarkup.Text loud = (SpeechMarkup.Text) items.stream()
                .filter(i -> i instanceof SpeechMarkup.Text t && t.text().equals("loud")).findFirst().orElseThrow();
        assertEquals(0.8, loud.style().rate(), 1e-9);
        assertEquals(1.1, loud.style().pitch(), 1e-9);
        assertEquals(-6, loud.style().volumeDb(), 1e-9);
        assertEquals(SpeechMarkup.Quality.SHOUT, loud.style().quality());
        assertEquals(new SpeechMarkup.Pause(0.7), items.get(items.size() - 1));
        // offsets point into the plain text
        assertEquals("loud", m.plainText().substring(loud.offset(), loud.offset() + 4));
    }

    @Test
    void malformedMarkupIsRefusedWithItsName() {
        assertMessage("<prosody rate=\"fast\">never closed", "<prosody> open");
        assertMessage("<prosody rate=fast>x</prosody>", "malformed markup tag <prosody rate=fast>");
        assertMessage("<prosody speed=\"1\">x</prosody>", "unknown attribute 'speed'");
        assertMessage("<break time=\"soon\"/>", "<break time=\"soon\">");
        assertMessage("<break time=\"20s\"/>", "longer than 10 s");
        assertMessage("x</emphasis>", "no tag is open");
        assertMessage("<prosody kinora:style=\"sing\">x</prosody>", "kinora:style=\"sing\"");
        assertMessage("<emphasis>a<prosody rate=\"slow\">b</emphasis></prosody>", "</emphasis>");
    }

    @Test
    void semitonesAndLimits() {
        SpeechMarkup m = SpeechMarkup.parse("<prosody pitch=\"-12st\" rate=\"400%\">x</prosody>");
        SpeechMarkup.Text t = (SpeechMarkup.Text) m.items().get(0);
        assertEquals(0.5, t.style().pitch(), 1e-9);
        assertEquals(2.0, t.style().rate(), 1e-9, "rate clamped to 2x");
    }

    private static void assertMessage(String line, String part) {
        StageException e = assertThrows(StageException.class, () -> SpeechMarkup.parse(line), line);
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }
}
