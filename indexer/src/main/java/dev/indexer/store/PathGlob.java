package dev.indexer.store;

import java.util.function.BiConsumer;
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
        BiConsumer<String, String> add = (inJava, inLucene) -> {
            java.append(inJava);
            lucene.append(inLucene);
        };
        if (!g.contains("/")) {
            add.accept("(?:.*/)?", "(.*/)?");
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
                            add.accept("(?:.*/)?", "(.*/)?");
                        } else {
                            add.accept(".*", ".*");
                        }
                    } else {
                        add.accept("[^/]*", "[^/]*");
                    }
                }
                case '?' -> add.accept("[^/]", "[^/]");
                case '[' -> {
                    int close = g.indexOf(']', i + 2);
                    if (close < 0) {
                        throw new IllegalArgumentException("'[' without ']' in path glob " + glob);
                    }
                    String set = g.substring(i + 1, close).replace("\\", "\\\\");
                    set = "[" + (set.startsWith("!") ? "^" + set.substring(1) : set) + "]";
                    add.accept(set, set);
                    i = close;
                }
                case '{' -> {
                    braces++;
                    add.accept("(?:", "(");
                }
                case '}' -> {
                    if (braces == 0) {
                        throw new IllegalArgumentException("'}' without '{' in path glob " + glob);
                    }
                    braces--;
                    add.accept(")", ")");
                }
                case ',' -> add.accept(braces > 0 ? "|" : ",", braces > 0 ? "|" : "\\,");
                default -> add.accept(Pattern.quote(String.valueOf(c)),
                        Character.isLetterOrDigit(c) ? String.valueOf(c) : "\\" + c);
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
