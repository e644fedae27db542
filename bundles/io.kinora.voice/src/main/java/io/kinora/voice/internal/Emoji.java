package io.kinora.voice.internal;

/**
 * Emoji and the characters that build emoji sequences. A speech engine reads an emoji by its Unicode name
 * ("party popper"), which is not what a line of dialogue means, so engines leave them out of what they say.
 * Covered: pictographs and symbols of the emoji blocks (U+1F000-1FAFF, U+2600-27BF, U+2B00-2BFF, U+2300-23FF
 * when they are symbols), regional-indicator flags, and, right after an emoji, the joiner (U+200D), variation
 * selectors, skin-tone modifiers, the keycap mark and tag characters. Letters, digits, punctuation, currency
 * and symbols such as © or ° are not emoji.
 */
public final class Emoji {
    private Emoji() {
    }

    /** Whether the code point is an emoji picture by itself. */
    public static boolean picture(int c) {
        if (c >= 0x1F1E6 && c <= 0x1F1FF) return true; // regional indicators (flags)
        if (Character.getType(c) != Character.OTHER_SYMBOL) return false;
        return (c >= 0x1F000 && c <= 0x1FAFF) || (c >= 0x2600 && c <= 0x27BF) || (c >= 0x2B00 && c <= 0x2BFF)
                || (c >= 0x2300 && c <= 0x23FF) || c == 0x3030 || c == 0x303D || c == 0x3297 || c == 0x3299;
    }

    /** Whether the code point only continues an emoji sequence (meaningless without the emoji before it). */
    public static boolean continuation(int c) {
        return c == 0x200D || c == 0xFE0F || c == 0xFE0E || c == 0x20E3 || (c >= 0x1F3FB && c <= 0x1F3FF)
                || (c >= 0xE0020 && c <= 0xE007F);
    }

    /** The text without its emoji (and their sequence characters). */
    public static String strip(String s) {
        StringBuilder b = new StringBuilder(s.length());
        boolean after = false;
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            i += Character.charCount(c);
            if (picture(c) || (after && continuation(c))) {
                after = true;
                continue;
            }
            after = false;
            b.appendCodePoint(c);
        }
        return b.toString();
    }

    /** Whether the text holds nothing but emoji. */
    public static boolean only(String s) {
        return !s.isEmpty() && strip(s).isEmpty();
    }
}
