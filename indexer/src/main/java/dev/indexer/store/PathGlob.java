package dev.indexer.store;

import java.util.regex.Pattern;

/**
 * A glob over paths below the collection's root: {@code *} any characters but {@code /}, {@code
 * **} any characters, {@code ?} one character but {@code /}, {@code [abc]} and {@code {a,b}} as in
 * shells. A glob without {@code /} matches file names in any directory ({@code *.py}); one with
 * {@code /} matches whole paths ({@code src/**}{@code /*.java}).
 */
public final class PathGlob {
    private final String glob;
    private final Pattern pattern;
    private final String luceneRegexp;

    private PathGlob(String glob, String javaRegex, String luceneRegexp) {
        this.glob = glob;
        this.pattern = Pattern.compile(javaRegex);
        this.luceneRegexp = luceneRegexp;
    }

    /** @throws IllegalArgumentException if the glob is empty or its brackets do not close */
    public static PathGlob of(String glob) {
        if (glob.isBlank()) {
            throw new IllegalArgumentException("the path glob is empty");
        }
        String g = glob.startsWith("/") ? glob.substring(1) : glob;
        StringBuilder java = new StringBuilder();
        StringBuilder lucene = new StringBuilder();
        if (!g.contains("/")) {
            java.append("(?:.*/)?");
            lucene.append("(.*/)?");
        }
        int braces = 0;
        for (int i = 0; i < g.length(); i++) {
            char c = g.charAt(i);
            switch (c) {
                case '*' -> {
                    if (i + 1 < g.length() && g.charAt(i + 1) == '*') {
                        i++;
                        if (i + 1 < g.length() && g.charAt(i + 1) == '/') {
                            i++; // "**/" also matches no directory at all
                            java.append("(?:.*/)?");
                            lucene.append("(.*/)?");
                        } else {
                            java.append(".*");
                            lucene.append(".*");
                        }
                    } else {
                        java.append("[^/]*");
                        lucene.append("[^/]*");
                    }
                }
                case '?' -> {
                    java.append("[^/]");
                    lucene.append("[^/]");
                }
                case '[' -> {
                    int close = g.indexOf(']', i + 2);
                    if (close < 0) {
                        throw new IllegalArgumentException("'[' without ']' in path glob " + glob);
                    }
                    String set = g.substring(i + 1, close).replace("\\", "\\\\");
                    if (set.startsWith("!")) {
                        set = "^" + set.substring(1);
                    }
                    java.append('[').append(set).append(']');
                    lucene.append('[').append(set).append(']');
                    i = close;
                }
                case '{' -> {
                    braces++;
                    java.append("(?:");
                    lucene.append('(');
                }
                case '}' -> {
                    if (braces == 0) {
                        throw new IllegalArgumentException("'}' without '{' in path glob " + glob);
                    }
                    braces--;
                    java.append(')');
                    lucene.append(')');
                }
                case ',' -> {
                    java.append(braces > 0 ? "|" : ",");
                    lucene.append(braces > 0 ? "|" : "\\,");
                }
                default -> {
                    java.append(Pattern.quote(String.valueOf(c)));
                    lucene.append(Character.isLetterOrDigit(c) ? String.valueOf(c) : "\\" + c);
                }
            }
        }
        if (braces != 0) {
            throw new IllegalArgumentException("'{' without '}' in path glob " + glob);
        }
        return new PathGlob(glob, java.toString(), lucene.toString());
    }

    public boolean matches(String path) {
        return pattern.matcher(path).matches();
    }

    /** The same pattern in Lucene's regular expression syntax, for a {@code RegexpQuery}. */
    public String luceneRegexp() {
        return luceneRegexp;
    }

    @Override
    public String toString() {
        return glob;
    }
}
