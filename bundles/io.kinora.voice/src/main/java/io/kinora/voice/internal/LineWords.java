package io.kinora.voice.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a line of dialogue into words.
 * <ul>
 * <li>{@link #split}: maximal runs of non-whitespace characters (the English engines' words, and the words
 * their error messages name).</li>
 * <li>{@link #spans}: the words a caption shows and a word timing covers for an engine that speaks every script
 * (espeak-ng): the same runs, except that scripts written without spaces between words (Han, hiragana, katakana)
 * give one word per character: punctuation that follows such a character stays with it ("好，"), opening
 * punctuation before it goes with it ("「我"), and letters or digits of other scripts next to it ("AI生成") are
 * words of their own.</li>
 * </ul>
 */
public final class LineWords {
    private LineWords() {
    }

    /** A word and where it is in the text: {@code [start, end)} in UTF-16 units. */
    public record Span(String word, int start, int end) {
    }

    public static List<String> split(String text) {
        List<String> words = new ArrayList<>();
        int i = 0;
        int n = text.length();
        while (i < n) {
            while (i < n && isSpace(text.charAt(i))) i++;
            int start = i;
            while (i < n && !isSpace(text.charAt(i))) i++;
            if (i > start) words.add(text.substring(start, i));
        }
        return words;
    }

    public static List<Span> spans(String text) {
        List<Span> out = new ArrayList<>();
        int i = 0;
        int n = text.length();
        while (i < n) {
            while (i < n && isSpace(text.charAt(i))) i++;
            int start = i;
            while (i < n && !isSpace(text.charAt(i))) i++;
            if (i > start) splitRun(text, start, i, out);
        }
        return out;
    }

    /** Cuts one whitespace-free run at every character of a script written without spaces. */
    private static void splitRun(String text, int from, int to, List<Span> out) {
        boolean any = false;
        for (int k = from; k < to; ) {
            int c = text.codePointAt(k);
            if (unspaced(c)) {
                any = true;
                break;
            }
            k += Character.charCount(c);
        }
        if (!any) {
            out.add(new Span(text.substring(from, to), from, to));
            return;
        }
        int start = from;
        int k = from;
        boolean open = false; // the current piece already holds a letter, digit or unspaced character
        boolean lastUnspaced = false;
        while (k < to) {
            int c = text.codePointAt(k);
            int len = Character.charCount(c);
            boolean u = unspaced(c);
            boolean wordChar = u || Character.isLetterOrDigit(c);
            if (wordChar && open && (u || lastUnspaced)) {
                out.add(new Span(text.substring(start, k), start, k));
                start = k;
            }
            if (wordChar) {
                open = true;
                lastUnspaced = u;
            }
            k += len;
        }
        out.add(new Span(text.substring(start, to), start, to));
    }

    /** Han, hiragana and katakana: written without spaces, one word per character. */
    public static boolean unspaced(int c) {
        Character.UnicodeScript s = Character.UnicodeScript.of(c);
        return (s == Character.UnicodeScript.HAN || s == Character.UnicodeScript.HIRAGANA
                || s == Character.UnicodeScript.KATAKANA) && Character.isLetter(c);
    }

    private static boolean isSpace(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c);
    }
}
