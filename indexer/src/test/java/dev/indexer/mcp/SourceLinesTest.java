package dev.indexer.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.indexer.walk.FileWalker;
import dev.indexer.walk.WalkOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code read_code}'s lines: bounded in characters as well as in lines, whatever the file holds. */
class SourceLinesTest {
    @TempDir
    Path root;

    private SourceLines lines() {
        return new SourceLines(root.toAbsolutePath().normalize(),
                new FileWalker(root, new WalkOptions(5L << 20, WalkOptions.SymlinkPolicy.SKIP), (p, r, d) -> {}));
    }

    @Test
    void longLinesStopAnExcerptBeforeItPassesItsCharactersAndTheNextCallGoesOn() throws Exception {
        // A head that reads as code, then 300 lines of 4,000 characters: 1.2 MB in 300 lines,
        // under the 400 a call may have.
        String wide = "        int[] table = {" + "7, ".repeat(1_300) + "};";
        Files.writeString(root.resolve("Tables.java"), "class Tables {\n    void fill() {\n"
                + (wide + "\n").repeat(300) + "    }\n}\n");
        SourceLines.Excerpt first = lines().read("Tables.java", 1, 400);
        assertTrue(first.truncated());
        assertEquals(first.start() + first.lines().size() - 1, first.end());
        long chars = first.lines().stream().mapToLong(l -> l.length() + 1L).sum();
        assertTrue(chars <= SourceLines.MAX_CHARS, chars + " characters");
        assertTrue(first.lines().size() > 20 && first.end() < 302, "whole lines up to the bound: " + first.end());
        assertEquals(wide, first.lines().get(first.lines().size() - 1), "no line cut");
        SourceLines.Excerpt next = lines().read("Tables.java", first.end() + 1, 400);
        assertEquals(first.end() + 1, next.start());
        assertEquals(wide, next.lines().get(0));
        assertEquals(304, next.totalLines());
    }

    @Test
    void aSingleLineLongerThanTheBoundIsCutAndSaysSo() throws Exception {
        // The file's head (what decides that a file is minified) is short lines; the long one is after it.
        String head = "a short line of notes\n".repeat(500);
        String huge = "x".repeat(3 * SourceLines.MAX_CHARS);
        Files.writeString(root.resolve("notes.txt"), head + huge + "\nthe end\n");
        SourceLines.Excerpt excerpt = lines().read("notes.txt", 501, 502);
        assertEquals(List.of(501), List.of(excerpt.end()), "the line after it does not fit");
        assertTrue(excerpt.truncated());
        String shown = excerpt.lines().get(0);
        assertTrue(shown.startsWith("x".repeat(SourceLines.MAX_CHARS) + " [indexer: "), shown.substring(0, 40));
        assertTrue(shown.endsWith(String.format(java.util.Locale.ROOT,
                "%,d more characters of this line not shown]", 2 * SourceLines.MAX_CHARS)), shown.substring(shown.length() - 80));
        assertFalse(shown.length() > SourceLines.MAX_CHARS + 100);
        assertEquals(List.of("the end"), lines().read("notes.txt", 502, 502).lines());
    }
}
