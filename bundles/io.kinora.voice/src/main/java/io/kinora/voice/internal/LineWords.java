package io.kinora.voice.internal;

import java.util.ArrayList;
import java.util.List;

/** Splits a line of dialogue into the words a caption shows: maximal runs of non-whitespace characters. */
public final class LineWords {
    private LineWords() {
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

    private static boolean isSpace(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c);
    }
}
