package dev.indexer.text;

import java.util.Locale;

/**
 * A client's own value as an answer repeats it: cut to a readable length (a query may be a megabyte
 * and an assistant pays for every character it is sent back) and with control characters written
 * as escapes (a NUL or an escape sequence is shown, not sent: a file name or an argument holding
 * one would otherwise recolour or rewrite the terminal a command-line refusal is printed on).
 */
public final class Echo {
    /** The most characters of a value an answer repeats. */
    public static final int MAX_CHARS = 200;

    private Echo() {}

    public static String of(Object value) {
        return of(value, MAX_CHARS);
    }

    /** The value, cut after {@code maxChars} characters. */
    public static String of(Object value, int maxChars) {
        String text = String.valueOf(value);
        boolean cut = text.codePointCount(0, text.length()) > maxChars;
        StringBuilder out = new StringBuilder();
        text.codePoints().limit(maxChars).forEach(c -> {
            if (Character.isISOControl(c) || c == 0x2028 || c == 0x2029) {
                out.append(String.format(Locale.ROOT, "\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        if (cut) {
            out.append(String.format(Locale.ROOT, "... (%,d characters in all)", text.length()));
        }
        return out.toString();
    }
}
