package dev.indexer.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A hit's text as answers show it: bounded in characters, one line of text per line of its span. */
class SearchHitTest {
    private static SearchHit hit(String text) {
        return new SearchHit("c1", "src/Ledger.java", 10, 10 + text.split("\n", -1).length - 1, "java", text, 0.5f,
                "settle", "method", "Ledger", "billing");
    }

    @Test
    void aHitThatFitsIsShownAsItIs() {
        SearchHit hit = hit("    long settle(long amount) {   \n        return amount;\n    }");
        assertSame(hit, hit.shownAtMost(1_000), "trailing blanks kept where nothing needs cutting");
    }

    @Test
    void blankRunsAreShownWithoutTheirBlanksAndEveryLineStays() {
        String text = "    /** Settles the ledger. */\n" + (" ".repeat(4_000) + "\n").repeat(500) + "    void settle() {}";
        SearchHit shown = hit(text).shownAtMost(4_096);
        assertEquals("    /** Settles the ledger. */\n" + "\n".repeat(500) + "    void settle() {}", shown.text());
        assertEquals(10, shown.startLine());
        assertEquals(511, shown.endLine());
        assertEquals(List.of("c1", "settle", "billing"), List.of(shown.id(), shown.symbol(), shown.repo()));
    }

    @Test
    void theLongestLinesShareWhatIsLeftAndTheCodeAfterThemIsStillShown() {
        String stars = "     " + "*".repeat(3_995);
        String text = "    /**\n" + (stars + "\n").repeat(300) + "     */\n    long settle(long total) {\n"
                + "        return total;\n    }";
        SearchHit shown = hit(text).shownAtMost(16_384);
        List<String> lines = List.of(shown.text().split("\n", -1));
        assertEquals(305, lines.size(), "a line of text for each line of the span");
        assertTrue(shown.text().length() <= 16_384, shown.text().length() + " characters");
        assertEquals(List.of("    /**", "     */", "    long settle(long total) {", "        return total;", "    }"),
                List.of(lines.get(0), lines.get(301), lines.get(302), lines.get(303), lines.get(304)), "short lines whole");
        // 16,384 less 304 line breaks and 69 characters of short lines, over 300 long lines: 53 each.
        String cut = "     " + "*".repeat(47) + "\u2026";
        assertEquals(53, cut.length());
        assertTrue(lines.subList(1, 301).stream().allMatch(cut::equals), lines.get(1));
        assertEquals(304 + 69 + 300 * 53, shown.text().length());
    }

    @Test
    void aCutNeverSplitsACharacter() {
        // Each line: 10 ASCII characters, then 3,000 characters written as surrogate pairs.
        String line = "abcdefghij" + "\uD834\uDD1E".repeat(1_500);
        String text = (line + "\n").repeat(99) + line;
        // 1,899 less 99 line breaks is 18 a line: 17 characters and the mark, but the 17th is the
        // first half of a pair, so 16.
        String shown = hit(text).shownAtMost(1_899).text();
        assertEquals(List.of("abcdefghij" + "\uD834\uDD1E".repeat(3) + "\u2026"),
                List.of(shown.split("\n", -1)).stream().distinct().toList());
    }
}
