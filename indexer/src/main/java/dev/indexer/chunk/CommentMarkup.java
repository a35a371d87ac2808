package dev.indexer.chunk;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What the model reads of a chunk's block comments: their words without their markup. Javadoc,
 * JSDoc and Doxygen comments put a {@code *} before every line and wrap words in HTML tags and
 * inline tags ({@code {@code x}}, {@code {@link Foo#bar}}); the model's tokenizer makes tokens of
 * each ({@code <p>} is three, a line's {@code *} one, {@code {@code x}} four besides x): about a
 * tenth of the tokens of the JDK's {@code java/time} and {@code java/util}, and nothing in them
 * that a search asks for. The index of words keeps the text as written, and hits show it so; only
 * the model's input is plain.
 *
 * <p>Each line is made plain on its own, so that a chunk's plain text is its lines' plain texts
 * and the chunker can count a file's tokens line by line as the model will read them. A line is
 * a comment line when it opens a block comment ({@code /*}), closes one ({@code *}{@code /}), or
 * starts with a {@code *} followed by a space or nothing (a leader; {@code *p = 0;} is C code). A
 * comment's opener is kept, so the model still reads where a comment begins; code lines, and
 * comments after code on a line, are left as written.
 */
public final class CommentMarkup {
    /** The languages whose block comments are written this way (file languages, {@link Language}). */
    private static final Set<String> LANGUAGES = Set.of("java", "kotlin", "scala", "groovy", "javascript",
            "typescript", "go", "rust", "c", "cpp", "csharp", "swift", "objective-c", "php", "dart");
    /** Tags of HTML that documentation comments use; anything else in angle brackets is kept ({@code List<String>}). */
    private static final Set<String> HTML = Set.of("a", "abbr", "b", "big", "blockquote", "br", "caption", "center",
            "cite", "code", "dd", "del", "dfn", "div", "dl", "dt", "em", "font", "h1", "h2", "h3", "h4", "h5", "h6", "hr",
            "i", "img", "ins", "kbd", "li", "ol", "p", "pre", "q", "s", "samp", "small", "span", "strike", "strong",
            "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "tt", "u", "ul", "var");
    private static final Map<String, String> ENTITIES = Map.of("&lt;", "<", "&gt;", ">", "&amp;", "&", "&quot;", "\"",
            "&nbsp;", " ", "&#64;", "@", "&#42;", "*", "&#47;", "/", "&apos;", "'");

    private CommentMarkup() {}

    /** Whether the comments of files of {@code language} are made plain for the model. */
    public static boolean appliesTo(String language) {
        return LANGUAGES.contains(language);
    }

    /** {@code text} (lines joined with {@code \n}) as the model reads it: see the class comment. */
    public static String plain(String language, String text) {
        if (!appliesTo(language) || text.indexOf('*') < 0) {
            return text; // no comment line without a star
        }
        StringBuilder out = new StringBuilder(text.length());
        int from = 0;
        while (true) {
            int end = text.indexOf('\n', from);
            String line = text.substring(from, end < 0 ? text.length() : end);
            out.append(line(line));
            if (end < 0) {
                return out.toString();
            }
            out.append('\n');
            from = end + 1;
        }
    }

    /** One line as the model reads it: a comment line's words, any other line as it is. */
    public static String line(String line) {
        int i = 0;
        while (i < line.length() && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) {
            i++;
        }
        String opener;
        int body;
        if (line.startsWith("*/", i)) {
            return line.substring(i + 2).strip(); // a closer, or code after one
        } else if (line.startsWith("/*", i)) {
            int length = line.startsWith("/**", i) || line.startsWith("/*!", i) ? 3 : 2;
            opener = line.substring(i, i + length);
            body = i + length;
        } else if (line.startsWith("*", i) && (i + 1 == line.length() || line.charAt(i + 1) == ' '
                || line.charAt(i + 1) == '\t')) {
            opener = "";
            body = i + 1;
        } else {
            return line;
        }
        String words = line.substring(body);
        int close = words.indexOf("*/");
        String after = "";
        if (close >= 0) {
            after = words.substring(close + 2).strip(); // code after the comment: kept as written
            words = words.substring(0, close);
        }
        words = spaced(entities(tags(inlineTags(words))));
        String plain = opener.isEmpty() ? words : words.isEmpty() ? opener : opener + " " + words;
        return after.isEmpty() ? plain : plain + " " + after;
    }

    /**
     * The tokens a comment line loses as the model reads it ({@code plain}, its {@link #line}), where
     * that is known without counting: 1 for a line whose only markup is its leading {@code *} (the
     * tokenizer makes a token of every punctuation mark and none of spaces), 2 for a line that is
     * only a closing {@code *}{@code /}; -1 for any other line, which has to be counted.
     */
    static int markupTokens(String line, String plain) {
        String t = line.strip();
        if (t.equals("*/")) {
            return plain.isEmpty() ? 2 : -1;
        }
        if (t.startsWith("*") && !t.startsWith("*/") && plain.equals(spaced(t.substring(1)))) {
            return 1;
        }
        return -1;
    }

    /** {@code {@code x}} as x, {@code {@link Foo#bar(int) the bar}} as Foo.bar(int) the bar. */
    private static String inlineTags(String s) {
        int at = s.indexOf("{@");
        if (at < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        int from = 0;
        while (at >= 0) {
            int nameEnd = at + 2;
            while (nameEnd < s.length() && Character.isLetter(s.charAt(nameEnd))) {
                nameEnd++;
            }
            int close = matchingBrace(s, at);
            if (nameEnd == at + 2 || close < 0) {
                break; // not a tag, or one that goes on past this line: the rest as written
            }
            String name = s.substring(at + 2, nameEnd).toLowerCase(Locale.ROOT);
            String content = s.substring(nameEnd, close).strip();
            out.append(s, from, at).append(name.startsWith("link") || name.equals("see") ? reference(content) : content);
            from = close + 1;
            at = s.indexOf("{@", from);
        }
        return out.append(s, from, s.length()).toString();
    }

    /** The index of the brace that closes the one at {@code open}, braces inside counted; -1 if none on the line. */
    private static int matchingBrace(String s, int open) {
        int depth = 0;
        for (int j = open; j < s.length(); j++) {
            char c = s.charAt(j);
            if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return j;
            }
        }
        return -1;
    }

    /**
     * A link's target, {@code #} read as a member's dot, then its label if it has one: the target
     * names the code that the label only describes ({@code {@link #LinkedHashMap(int,float,boolean)
     * constructor}} is read as "LinkedHashMap(int,float,boolean) constructor").
     */
    private static String reference(String content) {
        int depth = 0;
        int end = content.length();
        for (int j = 0; j < content.length() && end == content.length(); j++) {
            char c = content.charAt(j);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (Character.isWhitespace(c) && depth == 0) {
                end = j;
            }
        }
        String target = content.substring(0, end);
        target = (target.startsWith("#") ? target.substring(1) : target).replace('#', '.');
        String label = content.substring(end).strip();
        return label.isEmpty() ? target : target + " " + label;
    }

    /** Without the HTML tags of {@link #HTML}; other angle brackets (generics, comparisons) kept. */
    private static String tags(String s) {
        int lt = s.indexOf('<');
        if (lt < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        int from = 0;
        int gt = -1;
        while (lt >= 0) {
            if (gt <= lt) { // the next '>' is found once for every '<' before it: linear in the line
                gt = s.indexOf('>', lt + 1);
            }
            if (gt < 0) {
                break;
            }
            int nameStart = lt + 1 < s.length() && s.charAt(lt + 1) == '/' ? lt + 2 : lt + 1;
            int nameEnd = nameStart;
            while (nameEnd < gt && Character.isLetterOrDigit(s.charAt(nameEnd))) {
                nameEnd++;
            }
            boolean tag = nameEnd > nameStart && HTML.contains(s.substring(nameStart, nameEnd).toLowerCase(Locale.ROOT))
                    && (nameEnd == gt || s.charAt(nameEnd) == ' ' || s.charAt(nameEnd) == '/');
            if (tag) {
                out.append(s, from, lt);
                // "a<p>b" keeps its words apart; "<b>bold</b>." loses no space it did not have.
                if (lt > 0 && gt + 1 < s.length() && Character.isLetterOrDigit(s.charAt(lt - 1))
                        && Character.isLetterOrDigit(s.charAt(gt + 1))) {
                    out.append(' ');
                }
                from = gt + 1;
            }
            lt = s.indexOf('<', tag ? gt + 1 : lt + 1);
        }
        return out.append(s, from, s.length()).toString();
    }

    /**
     * The entities decoded in one pass from the left, each once: {@code &amp;lt;} is the text
     * {@code &lt;}. (Replacing one entity after another over the whole line decoded it twice or
     * not, by the order the map gave, which differs from one JVM to the next: the same file was
     * read, counted and cut differently by two runs.)
     */
    private static String entities(String s) {
        int amp = s.indexOf('&');
        if (amp < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        int from = 0;
        for (; amp >= 0; amp = s.indexOf('&', amp + 1)) {
            int semi = s.indexOf(';', amp);
            String decoded = semi < 0 || semi - amp > 6 ? null : ENTITIES.get(s.substring(amp, semi + 1));
            if (decoded != null) {
                out.append(s, from, amp).append(decoded);
                from = semi + 1;
                amp = semi;
            }
        }
        return out.append(s, from, s.length()).toString();
    }

    /** Runs of spaces as one, none at the ends: the tokenizer reads none of them, the text is shorter. */
    private static String spaced(String s) {
        StringBuilder out = new StringBuilder(s.length());
        boolean space = false;
        for (int j = 0; j < s.length(); j++) {
            char c = s.charAt(j);
            if (c == ' ' || c == '\t') {
                space = out.length() > 0;
            } else {
                if (space) {
                    out.append(' ');
                    space = false;
                }
                out.append(c);
            }
        }
        return out.toString();
    }
}
