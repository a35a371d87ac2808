package dev.indexer.chunk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** What the model reads of block comments: the words, without leaders, HTML tags or inline tags. */
class CommentMarkupTest {
    @Test
    void entitiesAreDecodedOnceFromTheLeftWhateverTheOrderOfTheirTable() {
        // "&amp;lt;" is the text "&lt;": decoded twice or not by the table's order, which
        // differs between JVMs, one file was cut differently by two runs.
        assertEquals("Occurrences of '<' and '&' are replaced by &lt; and &amp;; also &apos;, &quot; and &gt;",
                CommentMarkup.line(" * Occurrences of '&lt;' and '&amp;' are replaced by &amp;lt; and &amp;amp;; also"
                        + " &amp;apos;, &amp;quot; and &amp;gt;"));
        assertEquals("a & b, &unknown; & c, tom&jerry; at @ * / \" x' y", CommentMarkup.line(
                " * a &amp; b, &unknown; & c, tom&jerry; at &#64; &#42; &#47; &quot; x&apos; y"));
        assertEquals("ends with &amp", CommentMarkup.line(" * ends with &amp"));
    }

    @Test
    void javadocIsReadAsItsWords() {
        String javadoc = String.join("\n",
                "    /**",
                "     * Obtains a {@code Duration} from a text string such as {@code PnDTnHnMn.nS}.",
                "     * <p>",
                "     * See {@link #parse(CharSequence)} and {@link java.time.Period#between(LocalDate, LocalDate) the",
                "     * period's}; {@linkplain Duration#ZERO zero} is &lt;= every &quot;duration&quot;.",
                "     *",
                "     * @param text  the text to parse, not null",
                "     * @return the parsed duration, not null",
                "     */",
                "    public static Duration parse(CharSequence text) {");
        assertEquals(String.join("\n",
                "/** ",
                "Obtains a Duration from a text string such as PnDTnHnMn.nS.",
                "",
                "See parse(CharSequence) and {@link java.time.Period#between(LocalDate, LocalDate) the",
                "period's}; Duration.ZERO zero is <= every \"duration\".",
                "",
                "@param text the text to parse, not null",
                "@return the parsed duration, not null",
                "",
                "    public static Duration parse(CharSequence text) {").replace("/** ", "/**"),
                CommentMarkup.plain("java", javadoc));
    }

    @Test
    void codeIsLeftAsWritten() {
        String code = String.join("\n",
                "    Map<String, List<Integer>> byName = new HashMap<>(); // <p> stays: a line comment after code",
                "    int area = width",
                "        *height;",
                "    *p = 0;",
                "    if (a < b && c > d) { return x /* half */ * 2; }",
                "    String s = \"{@code x}\";");
        assertEquals(code, CommentMarkup.plain("java", code));
        assertEquals(code, CommentMarkup.plain("c", code));
    }

    @Test
    void genericsInsideCommentsAreKeptAndOnlyHtmlTagsGo() {
        assertEquals("Returns a List<String> of names, a < b, x> y, see <T> and caf\u00e9 bold.",
                CommentMarkup.line(" * Returns a <code>List&lt;String&gt;</code> of names, a < b, x> y, see <T> and"
                        + " caf\u00e9 <b>bold</b>.<br/>"));
        assertEquals("Links: here and Map.Entry and compareTo(Object) and LinkedHashMap(int,float,boolean) the"
                + " constructor.",
                CommentMarkup.line(" * Links: <a href=\"https://example.com/x\">here</a> and {@link Map.Entry} and"
                        + " {@link #compareTo(Object)} and {@link #LinkedHashMap(int,float,boolean) the constructor}."));
    }

    @Test
    void oneLineCommentsAndClosersAndCodeAfterThem() {
        assertEquals("/** Returns the x.", CommentMarkup.line("    /** Returns the {@code x}. */"));
        assertEquals("/* a note int y = 2;", CommentMarkup.line("/* a <em>note</em> */ int y = 2;"));
        assertEquals("", CommentMarkup.line("     */"));
        assertEquals("int z = 3;", CommentMarkup.line("  */ int z = 3;"));
        assertEquals("{@code unclosed", CommentMarkup.line(" * {@code unclosed"));
        assertEquals("{@ not a tag}", CommentMarkup.line(" * {@ not a tag}"));
        assertEquals("nested {braces} inside", CommentMarkup.line(" * nested {@code {braces} inside}"));
    }

    @Test
    void hostileLinesKeepEveryWordAndTakeNoLongerThanTheirLength() {
        String brackets = "<".repeat(3000) + "b>";
        assertEquals("<".repeat(2999), CommentMarkup.line(" * " + brackets));
        String tags = "{@".repeat(1500) + "code x}";
        assertEquals(tags, CommentMarkup.line(" * " + tags));
        String unclosed = "{@code " + "{".repeat(2000);
        assertEquals(unclosed, CommentMarkup.line(" * " + unclosed));
        assertEquals("", CommentMarkup.line(" * <p><p><p></p>"));
        assertEquals("", CommentMarkup.line("*"));
        assertEquals("", CommentMarkup.plain("java", ""));
    }

    @Test
    void theTokensALineLosesAreKnownWithoutCountingOnlyForALeaderOrACloser() {
        assertEquals(1, CommentMarkup.markupTokens("     * Settles the   account.", "Settles the account."));
        assertEquals(1, CommentMarkup.markupTokens("     *", ""));
        assertEquals(2, CommentMarkup.markupTokens("     */", ""));
        assertEquals(-1, CommentMarkup.markupTokens("     * Settles the {@code Account}.", "Settles the Account."));
        assertEquals(-1, CommentMarkup.markupTokens("     * a &lt; b", "a < b"));
        assertEquals(-1, CommentMarkup.markupTokens("    /** Settles. */", "/** Settles."));
        assertEquals(-1, CommentMarkup.markupTokens("     */ int x;", "int x;"));
    }

    @Test
    void otherLanguagesAreLeftAlone() {
        String python = "def f():\n    \"\"\"Returns <b>x</b>.\n    * bullet\n    \"\"\"\n    return x * 2";
        assertEquals(python, CommentMarkup.plain("python", python));
        String markdown = "* a list item with <b>bold</b>\n* another";
        assertEquals(markdown, CommentMarkup.plain("markdown", markdown));
        assertTrue(CommentMarkup.appliesTo("typescript"));
        assertFalse(CommentMarkup.appliesTo("text"));
    }

    @Test
    void jsdocAndDoxygenToo() {
        String jsdoc = "/**\n * Sums the values.\n * @param {number[]} values the values\n * @returns {number}\n */";
        assertEquals("/**\nSums the values.\n@param {number[]} values the values\n@returns {number}\n",
                CommentMarkup.plain("javascript", jsdoc));
        assertEquals("/*!\nbrief Frees the <i>buffer</i>? no: Frees the buffer.",
                CommentMarkup.plain("cpp", "/*!\n * brief Frees the &lt;i&gt;buffer&lt;/i&gt;? no: Frees the <i>buffer</i>."));
    }
}
