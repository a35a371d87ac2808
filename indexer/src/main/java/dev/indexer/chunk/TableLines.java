package dev.indexer.chunk;

import java.util.Set;

/**
 * Tables in code: runs of lines that hold nothing but literals and go on with a separator
 * ({@code "\u064a\u0646\u0627",}, {@code 0x0041, 0x0042,}, {@code {"empty", "", 0},},
 * {@code "\u7530\u758B" +}); a Go import block's lines, which have no separator, are not a
 * table. The model is shown such a run by its first line only: the rest adds tokens, not meaning
 * (a vector of a hundred escaped month names says what the first one says), while the lexical
 * index keeps every line. On the JDK, locale data, charset maps and Unicode tables made most of
 * such lines (docs/benchmarks.md, "Fewer tokens").
 */
public final class TableLines {
    /** A run this long or longer is cut to its first line; two literal lines are code, not a table. */
    static final int RUN = 3;

    /** The part of a line's own characters that must be literal for it to be a table row. */
    private static final double LITERAL_SHARE = 0.8;

    /**
     * Programming languages, where a line of literals is data. Data formats (JSON, YAML, CSV) and
     * prose are left whole: there every line is a literal and the literals are the meaning.
     */
    private static final Set<String> CODE = Set.of("java", "kotlin", "scala", "groovy", "python", "javascript",
            "typescript", "go", "rust", "c", "cpp", "csharp", "swift", "objective-c", "ruby", "php", "perl", "lua",
            "r", "julia", "dart", "elixir", "erlang", "haskell", "ocaml", "clojure", "zig", "nim");

    private TableLines() {}

    /**
     * {@code text} with every run of {@link #RUN} or more table rows cut to its first row (blank
     * lines inside a run go with it); {@code text} itself, the same instance, when it has none, is
     * nothing but rows, or {@code language} is not a programming language.
     */
    public static String condensed(String text, String language) {
        if (!CODE.contains(language)) {
            return text;
        }
        StringBuilder kept = null; // null while nothing was cut, so that text without tables is not copied
        int copied = 0; // text before this is in kept
        int runEnd = -1; // the end of the run's first row, newline excluded
        int runRows = 0;
        boolean other = false;
        int from = 0;
        while (true) {
            int newline = text.indexOf('\n', from);
            int end = newline < 0 ? text.length() : newline;
            Row row = row(text, from, end);
            if (row == Row.TABLE) {
                if (runRows++ == 0) {
                    runEnd = end;
                }
            } else if (row == Row.OTHER) {
                other = true;
                if (runRows >= RUN) {
                    kept = (kept == null ? new StringBuilder(text.length()) : kept).append(text, copied, runEnd)
                            .append('\n');
                    copied = from;
                }
                runRows = 0;
            }
            if (newline < 0) {
                break;
            }
            from = newline + 1;
        }
        if (!other) {
            // Nothing but rows: the middle of a long table. Shown by one row, its chunks would be
            // near copies of one another, and a thousand near copies kept a graph search from the
            // rest (a 5,000-row table's chunks hid a function from the vector search at k <= 10).
            return text;
        }
        if (runRows >= RUN) {
            return (kept == null ? new StringBuilder(text.length()) : kept).append(text, copied, runEnd).toString();
        }
        return kept == null ? text : kept.append(text, copied, text.length()).toString();
    }

    private enum Row { BLANK, TABLE, OTHER }

    /** What line {@code [from, end)} of {@code text} is. */
    private static Row row(String text, int from, int end) {
        int start = from;
        while (start < end && Character.isWhitespace(text.charAt(start))) {
            start++;
        }
        if (start == end) {
            return Row.BLANK;
        }
        if (text.startsWith("//", start) || text.startsWith("/*", start) || text.startsWith("--", start)
                || text.charAt(start) == '*' || text.charAt(start) == '#') {
            return Row.OTHER; // a comment says something about the table
        }
        int literal = 0;
        int other = 0;
        boolean separated = false; // a row of a table goes on with a ',' or a '+'; an import line does not
        int i = start;
        while (i < end) {
            char c = text.charAt(i);
            if (c == '"' || c == '\'') {
                int close = closingQuote(text, i, end);
                if (close < 0) {
                    return Row.OTHER; // a string that goes on to the next line: a text block, a docstring
                }
                literal += close + 1 - i;
                i = close + 1;
            } else if (Character.isDigit(c) && (i == start || !Character.isJavaIdentifierPart(text.charAt(i - 1)))) {
                int number = i;
                while (i < end && (Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) == '_'
                        || text.charAt(i) == '.')) {
                    i++;
                }
                literal += i - number;
            } else {
                if (!Character.isWhitespace(c) && "{}[](),;:=+-".indexOf(c) < 0) {
                    other++;
                }
                separated |= c == ',' || c == '+';
                i++;
            }
        }
        return separated && literal > 0 && literal >= LITERAL_SHARE * (literal + other) ? Row.TABLE : Row.OTHER;
    }

    /** The index of the quote that closes the one at {@code open}, or -1 if none on this line. */
    private static int closingQuote(String text, int open, int end) {
        char quote = text.charAt(open);
        for (int i = open + 1; i < end; i++) {
            char c = text.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == quote) {
                return i;
            }
        }
        return -1;
    }
}
