package dev.indexer.chunk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Data is told from words on the shapes the JDK's sources have, and code and prose of any script are kept. */
class DataTextTest {
    @Test
    void tablesOfEscapesNumbersAndPunctuationAreData() {
        for (String table : List.of(
                // a charset's mapping table (sun/nio/cs)
                "        \"\\u90D2\\u90D4\\u90D5\\u90D6\\u90D8\\u90D9\\u90DA\\u90DE\" +\n"
                        + "        \"\\u90DF\\u90E0\\u90E3\\u90E4\\u90E5\\u90E9\\u90EA\\u90EC\" +",
                // locale data whose keys are codes
                "            { \"JO\", \"\\u7ea6\\u65e6\" },\n            { \"JP\", \"\\u65e5\\u672c\" },\n"
                        + "            { \"KE\", \"\\u80af\\u5c3c\\u4e9a\" },",
                // a table of hex literals with a comment of offsets
                "            0x0EAD, 0x0EAE, 0x0EB2, 0x0EB3, 0x0EC0, 0x0EC4, 0x0F40, 0x0F47,\n"
                        + "            0x0F49, 0x0F69, 0x10A0, 0x10C5, 0x10D0, 0x10F6, 0x1102, 0x1103,",
                "        0x510B_93ED_9C65_8017L, 0x6E2B_6803_9694_1AA0L, //  176",
                "    -1, 10, 11, 12, 13, 14, 15, -1, -1, -1, -1, -1, -1, -1, -1,",
                // escapes of every kind: octal, \x, \\uuuu
                "\"\\101\\102\\x41\\x42\\uuuu00e9\\t\\n\" +",
                // separator lines and closing braces: nothing to read
                "    //----------------------------------------------------------",
                "        }\n    }\n}")) {
            assertTrue(DataText.isData(table), DataText.letterShare(table) + ": " + table);
        }
    }

    @Test
    void codeProseAndTextOfOtherScriptsAreNotData() {
        for (String text : List.of(
                "    public int compare(Object left, Object right) {\n        return left.compareTo(right);\n    }",
                // short names and arithmetic still read as code
                "        m = m1 * 10 + m2;\n        pos += 3;",
                "        x = a * b + c;",
                "for (int i = 0; i < n; i++) {",
                // messages in strings are words
                "    throw new IllegalArgumentException(\"the zone id has an invalid format: \" + id);",
                // a key in words and a value in escapes: kept (the key says what it is)
                "            { \"timezone.excity.America/Danmarkshavn\", \"\\u4e39\\u99ac\" },",
                // text written in its own script is letters (Chinese, Cyrillic, Greek)
                "返回指定键所映射的值；如果此映射不包含该键的映射关系，则返回 null。",
                "Возвращает значение, которому сопоставлен указанный ключ.",
                "Επιστρέφει την τιμή στην οποία αντιστοιχίζεται το κλειδί.",
                // a table of words
                "| option | what it does |\n|---|---|\n| --batch-size | files per batch |",
                "Obtains an instance of LocalDate from a year, month and day.")) {
            assertFalse(DataText.isData(text), DataText.letterShare(text) + ": " + text);
        }
    }

    @Test
    void blankTextIsNotDataAndTheShareCountsLettersOfNonBlankCharacters() {
        assertFalse(DataText.isData(""));
        assertFalse(DataText.isData(" \n\t \n"));
        assertEquals(1.0, DataText.letterShare("   "));
        assertEquals(1.0, DataText.letterShare("abc def"));
        assertEquals(0.0, DataText.letterShare("0x1F, 42, 3.5e10"));
        // "ab" letters, "(1)" three more characters: 2 of 5
        assertEquals(0.4, DataText.letterShare("ab (1)"), 1e-9);
        // a digit that ends a name is not a number literal: "utf8" is 3 letters and 1 digit
        assertEquals(0.75, DataText.letterShare("utf8"), 1e-9);
        // a lone backslash at the end, an escape with no digits
        assertEquals(0.0, DataText.letterShare("\\"));
        assertEquals(0.0, DataText.letterShare("\\u"));
    }

    @Test
    void aChunkIsJudgedByItsTextAsTheModelReadsItNotByItsHeader() {
        String table = "        \"\\u90D2\\u90D4\\u90D5\\u90D6\\u90D8\\u90D9\\u90DA\\u90DE\" +";
        Chunk chunk = new Chunk("src/sun/nio/cs/GBK.java", 3, 10, 10, "java", table, 40,
                new Chunk.Context("src/sun/nio/cs/GBK.java\nclass GBK > static final String b2cTable", "b2cTable",
                        "field", "GBK"));
        assertTrue(chunk.isData());
        // Javadoc's markup is not read: a comment of words between rows of stars is words.
        Chunk documented = new Chunk("src/A.java", 0, 1, 5, "java",
                "    /**\n     * ****************************************\n     * Returns the sum.\n"
                        + "     * ****************************************\n     */", 12);
        assertFalse(documented.isData());
    }
}
