package dev.indexer.chunk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TableLinesTest {
    private static String lines(String... lines) {
        return String.join("\n", lines);
    }

    @Test
    void aRunOfStringRowsIsShownByItsFirstRowAndTheCodeAroundItStays() {
        String text = lines(
                "    protected final Object[][] getContents() {",
                "        final String[] monthNames = new String[] {",
                "            \"\\u064a\\u0646\\u0627\\u064a\\u0631\",",
                "            \"\\u0641\\u0628\\u0631\\u0627\\u064a\\u0631\",",
                "",
                "            \"\\u0645\\u0627\\u0631\\u0633\",",
                "            \"\",",
                "        };",
                "        return new Object[][] { { \"MonthNames\", monthNames } };");
        assertEquals(lines(
                "    protected final Object[][] getContents() {",
                "        final String[] monthNames = new String[] {",
                "            \"\\u064a\\u0646\\u0627\\u064a\\u0631\",",
                "        };",
                "        return new Object[][] { { \"MonthNames\", monthNames } };"),
                TableLines.condensed(text, "java"));
    }

    @Test
    void numbersAndTestTablesAreTablesToo() {
        String hex = lines("static final char[] MAP = {", "    0x0041, 0x0042, 0x0043,", "    0x0044, 0x0045,",
                "    -1, 2.5f, 1_000L,", "};");
        assertEquals(lines("static final char[] MAP = {", "    0x0041, 0x0042, 0x0043,", "};"),
                TableLines.condensed(hex, "java"));
        String go = lines("tests := []struct{ name, in string; want int }{", "\t{\"empty\", \"\", 0},",
                "\t{\"one\", \"a\", 1},", "\t{\"two\", \"ab\", 2},", "}", "for _, tt := range tests {");
        assertEquals(lines("tests := []struct{ name, in string; want int }{", "\t{\"empty\", \"\", 0},", "}",
                "for _, tt := range tests {"), TableLines.condensed(go, "go"));
        String concatenated = lines("        \"\\u7530\\u758B\\u7592\" +", "        \"\\u77DB\\u77E2\\u77F3\" +",
                "        \"\\u7AF9\\u7C73\\u7CF8\" +", "        \"\\u800C\\u8012\\u8033\";");
        // The last line has no separator: it ends the table and stays.
        assertEquals(lines("        \"\\u7530\\u758B\\u7592\" +", "        \"\\u800C\\u8012\\u8033\";"),
                TableLines.condensed(concatenated, "java"));
    }

    @Test
    void aChunkThatIsNothingButRowsStaysWhole() {
        // The middle of a long table: shown by one row, every such chunk would be a near copy of
        // the others, and many near copies in the vector graph hide the rest from a search.
        StringBuilder rows = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            rows.append("        \"\\u04").append(10 + i).append("\\u0431\",\n");
        }
        String text = rows.toString().stripTrailing();
        assertSame(text, TableLines.condensed(text, "java"));
        String two = lines("    \"a\", \"b\",", "    \"c\", \"d\",");
        assertSame(two, TableLines.condensed(two, "javascript"));
    }

    @Test
    void codeDocstringsCommentsImportsAndShortRunsAreLeftWhole() {
        List<String> whole = List.of(
                lines("if (x < 0) {", "    throw new IllegalArgumentException(\"negative: \" + x);",
                        "    log.warn(\"x was {}\", x);", "    return fallback(\"none\", 0);", "}"),
                lines("def parse(text):", "    \"\"\"Parses the text.", "", "    Returns \"a\" or \"b\".", "    \"\"\"",
                        "    return \"a\""),
                lines("x = [", "    \"a\",", "    \"b\",", "    # the rest are upper case", "    \"C\",", "    \"D\",",
                        "]"),
                lines("String block = \"\"\"", "    \"quoted\" line", "    \"another\" line", "    \"third\" line",
                        "    \"\"\";"),
                lines("switch (c) {", "    case 'a': return 1;", "    case 'b': return 2;", "    case 'c': return 3;",
                        "}"),
                lines("import (", "\t\"errors\"", "\t\"fmt\"", "\t\"regexp\"", "", "\t\"github.com/stretchr/objx\"",
                        ")"));
        for (String text : whole) {
            String language = text.startsWith("def") || text.startsWith("x =") ? "python"
                    : text.startsWith("import") ? "go" : "java";
            assertSame(text, TableLines.condensed(text, language), text);
        }
    }

    @Test
    void dataFormatsAndProseAreNotCut() {
        String json = lines("{", "  \"name\": \"indexer\",", "  \"version\": \"1.0\",", "  \"main\": \"index.js\",",
                "  \"license\": \"MIT\"", "}");
        for (String language : List.of("json", "yaml", "csv", "markdown", "text", "properties")) {
            assertSame(json, TableLines.condensed(json, language));
        }
        assertFalse(TableLines.condensed(json, "javascript").contains("version"));
    }

    @Test
    void aChunkShowsTheModelItsTableByTheFirstRowWhileItsHashAndTextStayWhole() {
        String text = lines("final String[] names = {", "    \"alpha\",", "    \"beta\",", "    \"gamma\",", "};");
        Chunk chunk = new Chunk("src/Names.java", 0, 1, 5, "java", text, 20,
                new Chunk.Context("src/Names.java\nclass Names", "Names", "class", ""));
        assertTrue(chunk.showsLessText());
        assertEquals(List.of("src/Names.java\nfinal String[] names = {\n    \"alpha\",\n};", "class Names"),
                chunk.embedParts());
        assertEquals("src/Names.java\nclass Names\n" + text, chunk.embedText());
        Chunk plain = new Chunk("src/Names.java", 0, 1, 1, "java", "int x = 1;", 5);
        assertFalse(plain.showsLessText());
        assertEquals(List.of("int x = 1;"), plain.embedParts());
    }
}
