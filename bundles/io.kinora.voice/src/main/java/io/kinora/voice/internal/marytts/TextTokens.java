package io.kinora.voice.internal.marytts;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Kinora's own English tokenizer, standing in for JTok (jtok-core 1.9.3 is not on Maven Central): splits text
 * into word, number and punctuation tokens and marks where sentences end. Rules:
 * <ul>
 * <li>a word is a run of letters, digits and combining marks, with inner apostrophes, hyphens and ampersands
 * ("don't", "well-known", "AT&amp;T") kept inside;</li>
 * <li>digits joined by '.', ',' or ':' stay one token ("3.5", "1,000", "3:30");</li>
 * <li>an abbreviation keeps its period ("Dr.", "e.g.", a capital initial "J." before another word) and does not
 * end a sentence;</li>
 * <li>every other non-space character is a punctuation token, a run of the same mark ("...", "!!") being one;</li>
 * <li>a sentence ends after a token of '.', '!', '?' (or a run of them), plus any closing quotes or brackets
 * that follow.</li>
 * </ul>
 */
public final class TextTokens {
    /** Abbreviations (lower case, without the final period) that keep their period. */
    private static final Set<String> ABBREVIATIONS = Set.of("mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr",
            "vs", "etc", "e.g", "i.e", "mt", "no", "inc", "ltd", "co", "capt", "col", "gen", "lt", "sgt", "rev",
            "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "a.m", "p.m",
            "u.s", "u.k", "approx", "dept", "fig", "min", "max");

    /** One token: its text, its offsets in the input, whether a sentence ends after it. */
    public record Token(String text, int start, int end, boolean endsSentence) {
    }

    private TextTokens() {
    }

    public static List<Token> tokenize(String s) {
        List<Token> out = new ArrayList<>();
        int n = s.length();
        int i = 0;
        while (i < n) {
            int c = s.codePointAt(i);
            if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
                i += Character.charCount(c);
                continue;
            }
            int start = i;
            if (isWordChar(c)) {
                i = wordEnd(s, i);
                String word = s.substring(start, i);
                // abbreviation: keep the period
                if (i < n && s.charAt(i) == '.' && isAbbreviation(word, s, i)) {
                    i++;
                    out.add(new Token(s.substring(start, i), start, i, false));
                } else {
                    out.add(new Token(word, start, i, false));
                }
                continue;
            }
            // punctuation: a run of the same mark
            i += Character.charCount(c);
            while (i < n && s.codePointAt(i) == c) {
                i += Character.charCount(c);
            }
            out.add(new Token(s.substring(start, i), start, i, false));
        }
        return markSentenceEnds(out);
    }

    private static List<Token> markSentenceEnds(List<Token> tokens) {
        List<Token> out = new ArrayList<>(tokens.size());
        for (int k = 0; k < tokens.size(); k++) {
            Token t = tokens.get(k);
            if (isTerminal(t.text())) {
                // closing quotes and brackets belong to the ending sentence
                int last = k;
                while (last + 1 < tokens.size() && isCloser(tokens.get(last + 1).text())) {
                    last++;
                }
                for (int m = k; m <= last; m++) {
                    Token x = tokens.get(m);
                    out.add(new Token(x.text(), x.start(), x.end(), m == last));
                }
                k = last;
            } else {
                out.add(t);
            }
        }
        return out;
    }

    private static boolean isTerminal(String t) {
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c != '.' && c != '!' && c != '?' && c != '\u2026') return false;
        }
        return !t.isEmpty();
    }

    private static boolean isCloser(String t) {
        return t.length() >= 1 && "\"')]}\u201d\u2019\u00bb".indexOf(t.charAt(0)) >= 0;
    }

    private static boolean isWordChar(int c) {
        return Character.isLetterOrDigit(c) || Character.getType(c) == Character.NON_SPACING_MARK
                || Character.getType(c) == Character.COMBINING_SPACING_MARK;
    }

    private static int wordEnd(String s, int i) {
        int n = s.length();
        while (i < n) {
            int c = s.codePointAt(i);
            if (isWordChar(c)) {
                i += Character.charCount(c);
                continue;
            }
            // inner joiners: apostrophes, hyphens, '&' between word characters; '.', ',' and ':' between digits
            int next = i + 1 < n ? s.codePointAt(i + 1) : -1;
            int prev = s.codePointBefore(i);
            boolean joinsWords = (c == '\'' || c == '\u2019' || c == '-' || c == '&') && next >= 0
                    && isWordChar(next);
            boolean joinsDigits = (c == '.' || c == ',' || c == ':') && Character.isDigit(prev) && next >= 0
                    && Character.isDigit(next);
            boolean dottedAbbreviation = c == '.' && next >= 0 && Character.isLetter(next)
                    && i + 2 < n && s.charAt(i + 2) == '.' && Character.isLetter(prev)
                    && (i - 1 == 0 || !Character.isLetter(s.codePointBefore(i - 1)) || s.charAt(i - 2) == '.');
            if (joinsWords || joinsDigits || dottedAbbreviation) {
                i++;
                continue;
            }
            break;
        }
        return i;
    }

    private static boolean isAbbreviation(String word, String s, int periodAt) {
        String lower = word.toLowerCase(Locale.ROOT);
        if (ABBREVIATIONS.contains(lower)) {
            // "no." only before a number
            if (lower.equals("no")) {
                int j = periodAt + 1;
                while (j < s.length() && s.charAt(j) == ' ') j++;
                return j < s.length() && Character.isDigit(s.charAt(j));
            }
            return true;
        }
        // initials: a capital letter and a period before another word ("J. R. Smith", "J. R. left"); at the end
        // of the line, or before punctuation or a digit, the period ends the sentence ("plan B.")
        if (word.length() == 1 && Character.isUpperCase(word.charAt(0))) {
            int j = periodAt + 1;
            while (j < s.length() && Character.isWhitespace(s.charAt(j))) j++;
            return j < s.length() && Character.isLetter(s.charAt(j));
        }
        // dotted abbreviations made by wordEnd ("e.g", "U.S")
        return lower.indexOf('.') > 0 && lower.length() <= 6;
    }
}
