package io.kinora.voice.internal.marytts;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TextTokensTest {
    private static List<String> texts(String s) {
        return TextTokens.tokenize(s).stream().map(TextTokens.Token::text).toList();
    }

    private static List<Boolean> ends(String s) {
        return TextTokens.tokenize(s).stream().map(TextTokens.Token::endsSentence).toList();
    }

    @Test
    void wordsNumbersAndPunctuation() {
        assertEquals(List.of("Dr.", "Smith", "didn't", "see", "the", "well-known", "AT&T", "office", "at", "3:30", ",",
                "paid", "$", "1,000.50", "...", "and", "left", "!"),
                texts("Dr. Smith didn't see the well-known AT&T office at 3:30, paid $1,000.50... and left!"));
    }

    @Test
    void sentenceEndsSkipAbbreviationsAndTakeClosingQuotes() {
        String s = "He said \"Go home.\" Then J. R. left, e.g. quickly. No. 5 stayed?";
        List<String> t = texts(s);
        List<Boolean> e = ends(s);
        assertEquals(List.of("He", "said", "\"", "Go", "home", ".", "\"", "Then", "J.", "R.", "left", ",", "e.g.",
                "quickly", ".", "No.", "5", "stayed", "?"), t);
        // ends after the closing quote, after "quickly ." and after "?", nowhere else
        for (int i = 0; i < t.size(); i++) {
            boolean expected = i == 6 || i == 14 || i == t.size() - 1;
            assertEquals(expected, e.get(i), "token " + i + " '" + t.get(i) + "'");
        }
    }

    @Test
    void offsetsPointIntoTheInput() {
        String s = "  Hello,  wörld — ok? ";
        for (TextTokens.Token tok : TextTokens.tokenize(s)) {
            assertEquals(tok.text(), s.substring(tok.start(), tok.end()));
        }
        assertEquals(List.of("Hello", ",", "wörld", "—", "ok", "?"), texts(s));
    }
}
