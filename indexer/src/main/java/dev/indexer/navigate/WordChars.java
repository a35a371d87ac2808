package dev.indexer.navigate;

import java.util.ArrayList;
import java.util.List;

/**
 * What a whole identifier is, the way {@code rg -w} sees one: a run of word characters (Unicode
 * letters, marks, decimal digits, connector punctuation such as {@code _}, and the two joiners)
 * with no word character right before or after it. References are found, and their files indexed,
 * by this one rule, so that a reference search and {@code rg -w -F NAME} agree line for line.
 */
final class WordChars {
    private WordChars() {}

    static boolean isWordChar(int cp) {
        if (Character.isAlphabetic(cp) || cp == 0x200C || cp == 0x200D) {
            return true;
        }
        return switch (Character.getType(cp)) {
            case Character.NON_SPACING_MARK, Character.ENCLOSING_MARK, Character.COMBINING_SPACING_MARK,
                    Character.DECIMAL_DIGIT_NUMBER, Character.CONNECTOR_PUNCTUATION -> true;
            default -> false;
        };
    }

    /**
     * Whether {@code cp} next to a name keeps it from being a whole identifier there: a word
     * character, or U+FFFD, which stands for bytes that are not UTF-8 (rg 13's {@code -w} takes
     * them for neither word nor non-word, so a name beside them is no match; a real U+FFFD in a
     * file is taken the same way).
     */
    static boolean blocks(int cp) {
        return cp == 0xFFFD || isWordChar(cp);
    }

    /** Whether {@code name} is one identifier: only word characters, at least one. */
    static boolean isIdentifier(String name) {
        return !name.isEmpty() && name.codePoints().allMatch(WordChars::isWordChar);
    }

    /**
     * The columns (0-based, in chars) where {@code name} occurs in {@code line} as a whole
     * identifier; empty if it does not.
     */
    static List<Integer> occurrences(String line, String name) {
        List<Integer> found = new ArrayList<>(1);
        for (int at = line.indexOf(name); at >= 0; at = line.indexOf(name, at + 1)) {
            int end = at + name.length();
            boolean before = at > 0 && blocks(line.codePointBefore(at));
            boolean after = end < line.length() && blocks(line.codePointAt(end));
            if (!before && !after) {
                found.add(at);
            }
        }
        return found;
    }
}
