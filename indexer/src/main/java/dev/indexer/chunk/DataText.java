package dev.indexer.chunk;

/**
 * Tells apart text the model can read for meaning from data it cannot: tables of character codes
 * written as Unicode escapes, numbers and hex literals, text of other scripts written as escapes,
 * lines of punctuation. The model reads such a chunk as a string of code points and digits and
 * makes a vector that answers no question, yet it costs as many tokens as any other chunk: on the
 * JDK's sources about a fifth of the chunks (charset tables, locale data, Unicode tables), all of
 * them still found by their words. Such a chunk is indexed for words only and gets no vector.
 *
 * <p>The measure is the share of a text's non-blank characters that are letters (of any script),
 * once escape sequences and number literals are set aside and a run of one character ({@code
 * -----}, {@code *****}) is taken as one: code and prose are mostly letters
 * ({@code return left.compareTo(right);} is 0.86, {@code m = m1 * 10 + m2;} 0.27, a Javadoc
 * sentence about 0.85), a table of escapes, numbers or a line of dashes nearly none. Letters
 * inside string literals count, so messages and documentation in strings are read as any text.
 */
public final class DataText {
    /**
     * Below this share of letters a text is data. On the JDK's chunks the shares fall in two groups:
     * code and prose above 0.5 (most between 0.7 and 0.95), tables below 0.2; between them mostly
     * locale tables whose keys are words, kept. docs/benchmarks.md has the counts.
     */
    public static final double MIN_LETTER_SHARE = 0.2;

    private DataText() {}

    /**
     * Whether {@code text}, as the model reads it (comments' markup left out: {@link CommentMarkup}),
     * is data rather than words: see the class comment. A blank text is not data.
     */
    public static boolean isData(String text) {
        return letterShare(text) < MIN_LETTER_SHARE;
    }

    /** The share of {@code text}'s non-blank characters that are letters; 1 for a blank text. */
    public static double letterShare(String text) {
        int nonBlank = 0;
        int letters = 0;
        int i = 0;
        int n = text.length();
        while (i < n) {
            int c = text.codePointAt(i);
            int width = Character.charCount(c);
            if (Character.isLetter(c)) {
                letters++;
                nonBlank++;
            } else if (!Character.isWhitespace(c) && !Character.isSpaceChar(c)) {
                if (c == '\\') {
                    width = escape(text, i);
                } else if (isDigit(c) && startsToken(text, i)) {
                    width = number(text, i);
                } else {
                    width = repeated(text, i, c); // a rule of dashes or stars weighs as one character
                    nonBlank++;
                    i += width;
                    continue;
                }
                nonBlank += countNonBlank(text, i, i + width);
            }
            i += width;
        }
        return nonBlank == 0 ? 1 : (double) letters / nonBlank;
    }

    /** The length of the escape sequence at {@code at} (a backslash): {@code \u00e9}, {@code \x41}, {@code \101}. */
    private static int escape(String text, int at) {
        int i = at + 1;
        if (i >= text.length()) {
            return 1;
        }
        char kind = text.charAt(i);
        if (kind == 'u' || kind == 'U' || kind == 'x') {
            while (i < text.length() && (text.charAt(i) == 'u' || text.charAt(i) == 'U')) {
                i++; // Java allows \\uuuu00e9
            }
            if (kind == 'x') {
                i = at + 2;
            }
            int digits = 0;
            while (i < text.length() && digits < 8 && Character.digit(text.charAt(i), 16) >= 0) {
                i++;
                digits++;
            }
            return digits == 0 ? 2 : i - at;
        }
        if (kind >= '0' && kind <= '7') {
            while (i < text.length() && i - at <= 3 && text.charAt(i) >= '0' && text.charAt(i) <= '7') {
                i++;
            }
            return i - at;
        }
        return 2; // \n, \t, \\: an escaped character, no letters of a word
    }

    /** The length of the number literal at {@code at}: digits, then letters, digits, {@code _} and {@code .} ({@code 0x1F_A0L}, {@code 1.5e10}). */
    private static int number(String text, int at) {
        int i = at + 1;
        while (i < text.length()) {
            char ch = text.charAt(i);
            if (!(Character.isLetterOrDigit(ch) || ch == '_' || ch == '.')) {
                break;
            }
            i++;
        }
        return i - at;
    }

    /** The length of the run of {@code c} at {@code at}. */
    private static int repeated(String text, int at, int c) {
        int i = at + Character.charCount(c);
        while (i < text.length() && text.codePointAt(i) == c) {
            i += Character.charCount(c);
        }
        return i - at;
    }

    private static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }

    /** Whether the digit at {@code at} starts a token rather than ending a name such as {@code utf8}. */
    private static boolean startsToken(String text, int at) {
        if (at == 0) {
            return true;
        }
        char before = text.charAt(at - 1);
        return !(Character.isLetterOrDigit(before) || before == '_');
    }

    private static int countNonBlank(String text, int from, int to) {
        int count = 0;
        for (int i = from; i < to; i++) {
            if (!Character.isWhitespace(text.charAt(i))) {
                count++;
            }
        }
        return count;
    }
}
