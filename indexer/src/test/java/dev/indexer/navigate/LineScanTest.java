package dev.indexer.navigate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.indexer.navigate.Navigation.Reference;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whole identifiers in a file's bytes, as rg -w sees them, whether the file is read whole or streamed. */
class LineScanTest {
    @TempDir
    Path dir;

    /** Lines 1-8; the name "size" is whole on lines 1, 3, 6 and 8 only, as rg 13.0.0 -w -F finds it. */
    private static byte[] sample() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write("int size = 0; size++;\n".getBytes(StandardCharsets.UTF_8)); // twice, one line
        out.write("sizes resize size_t\n".getBytes(StandardCharsets.UTF_8)); // never whole
        out.write("a$size.size()\r\n".getBytes(StandardCharsets.UTF_8)); // '$' and '.' are no word characters
        out.write("\u00e9size size\u00e9 \u65e5size\n".getBytes(StandardCharsets.UTF_8)); // letters of any script touch it
        out.write(new byte[] {(byte) 0xFF, 's', 'i', 'z', 'e', '\n'}); // not UTF-8 before it: rg finds no word there
        out.write("x\rsize\n".getBytes(StandardCharsets.UTF_8)); // a lone '\r' ends no line
        out.write("\n".getBytes(StandardCharsets.UTF_8));
        out.write("size".getBytes(StandardCharsets.UTF_8)); // the last line, without a newline
        return out.toByteArray();
    }

    private static List<Integer> lines(Path file, int startAfter, int room) {
        List<Reference> found = new ArrayList<>();
        LineScan.scan(file, "a.txt", "size", startAfter, room, found, new int[1]);
        return found.stream().map(Reference::line).toList();
    }

    @Test
    void aRealReplacementCharacterIsNoWordCharacterButBytesThatAreNotUtf8Block() throws IOException {
        Path file = Files.write(dir.resolve("r.txt"), ("size\uFFFD\n\uFFFDsize\n").getBytes(StandardCharsets.UTF_8));
        assertEquals(List.of(1, 2), lines(file, 0, 10), "as rg 13.0.0 -w -F finds it");
        Path bad = Files.write(dir.resolve("b.txt"), new byte[] {'s', 'i', 'z', 'e', (byte) 0xC3, '\n'});
        assertEquals(List.of(), lines(bad, 0, 10));
    }

    @Test
    void wholeIdentifiersByLineAsRgFindsThem() throws IOException {
        Path file = Files.write(dir.resolve("a.txt"), sample());
        assertEquals(List.of(1, 3, 6, 8), lines(file, 0, 100));
        assertEquals(List.of(6, 8), lines(file, 3, 100), "after line 3");
        List<Reference> page = new ArrayList<>();
        int[] last = new int[1];
        assertTrue(LineScan.scan(file, "a.txt", "size", 0, 2, page, last), "the page filled before the file's end");
        assertEquals(3, last[0]);
        assertEquals("int size = 0; size++;", page.get(0).text());
        assertFalse(LineScan.scan(dir.resolve("gone.txt"), "gone.txt", "size", 0, 10, new ArrayList<>(), last), "a file that is gone");
    }

    @Test
    void aFileTooLargeToReadWholeGivesTheSameLines() throws IOException {
        Path file = dir.resolve("large.txt");
        byte[] filler = ("sizes ".repeat(20) + "\n").getBytes(StandardCharsets.UTF_8);
        long lines = 0;
        try (OutputStream out = Files.newOutputStream(file)) {
            while (lines * filler.length <= 33L << 20) {
                out.write(filler);
                lines++;
            }
            out.write(sample());
        }
        long before = lines;
        List<Integer> expected = List.of(1, 3, 6, 8).stream().map(n -> (int) (n + before)).toList();
        assertEquals(expected, lines(file, 0, 100));
    }
}
