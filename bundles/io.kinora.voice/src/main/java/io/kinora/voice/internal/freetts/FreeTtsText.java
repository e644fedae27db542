package io.kinora.voice.internal.freetts;

import io.kinora.api.media.StageException;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns one caption word into what FreeTTS (ASCII English) can read: accents are folded (café to cafe),
 * typographic quotes, dashes and ellipses become their ASCII forms, and other symbols it cannot say (emoji,
 * currency signs outside ASCII, ...) are dropped. Letters and digits of other scripts cannot be folded;
 * they are reported instead of being skipped in silence.
 */
final class FreeTtsText {
    private FreeTtsText() {
    }

    /** The spoken form of each word; "" for a word with nothing FreeTTS can say. */
    static List<String> spokenForms(List<String> words, String voice) {
        List<String> spoken = new ArrayList<>(words.size());
        List<String> foreign = new ArrayList<>();
        for (String w : words) {
            String s = fold(w);
            if (s == null) {
                foreign.add(w);
                s = "";
            }
            spoken.add(s);
        }
        if (!foreign.isEmpty()) {
            throw new StageException("voice '" + voice + "' speaks English only and cannot pronounce "
                    + quoteAll(foreign) + "; choose a voice for that language or write the word in Latin letters");
        }
        return spoken;
    }

    /** @return the ASCII form, or null when the word has letters or digits that cannot be folded to ASCII */
    static String fold(String word) {
        String decomposed = Normalizer.normalize(word, Normalizer.Form.NFKD);
        StringBuilder out = new StringBuilder(decomposed.length());
        for (int i = 0; i < decomposed.length(); ) {
            int cp = decomposed.codePointAt(i);
            i += Character.charCount(cp);
            if (cp < 0x80) {
                if (cp >= 0x20 && cp != 0x7f) out.append((char) cp);
                continue;
            }
            int type = Character.getType(cp);
            if (type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK
                    || type == Character.ENCLOSING_MARK) {
                continue; // accents left over from decomposition
            }
            String mapped = punctuation(cp);
            if (mapped != null) {
                out.append(mapped);
            } else if (Character.isLetterOrDigit(cp)) {
                return null;
            }
            // any other symbol (emoji, non-ASCII currency, ...): nothing FreeTTS can say
        }
        return out.toString();
    }

    private static String punctuation(int cp) {
        switch (cp) {
            case 0x2018: case 0x2019: case 0x201A: case 0x201B: case 0x2032: case 0x02BC:
                return "'";
            case 0x201C: case 0x201D: case 0x201E: case 0x201F: case 0x2033: case 0x00AB: case 0x00BB:
                return "\"";
            case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2014: case 0x2015: case 0x2212:
                return "-";
            case 0x2026:
                return "...";
            case 0x2044: case 0x2215:
                return "/";
            case 0x00A1:
                return "!";
            case 0x00BF:
                return "?";
            default:
                return null;
        }
    }

    private static String quoteAll(List<String> words) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < words.size() && i < 5; i++) {
            if (i > 0) sb.append(", ");
            sb.append('\'').append(words.get(i)).append('\'');
        }
        if (words.size() > 5) sb.append(" and ").append(words.size() - 5).append(" more");
        return sb.toString();
    }
}
