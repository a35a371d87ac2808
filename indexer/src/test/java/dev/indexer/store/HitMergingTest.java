package dev.indexer.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class HitMergingTest {
    private static SearchHit piece(String id, String repo, int start, int end, float score) {
        return new SearchHit(id, "java/util/HashMap.java", start, end, "java", "line " + start + "\nline " + end, score,
                "resize", "method", "HashMap", repo);
    }

    @Test
    void piecesOfOneDefinitionJoinWithinARepositoryButNotAcrossTwo() {
        List<SearchHit> joined = HitMerging.merge(List.of(piece("a1", "openjdk", 10, 20, 0.9f),
                piece("a2", "openjdk", 21, 30, 0.8f), piece("b1", "fork", 10, 20, 0.7f), piece("b2", "fork", 21, 30, 0.6f)));
        assertEquals(2, joined.size(), joined.toString());
        assertEquals(List.of("openjdk", "fork"), joined.stream().map(SearchHit::repo).toList());
        assertEquals(List.of(10, 10), joined.stream().map(SearchHit::startLine).toList());
        assertEquals(List.of(30, 30), joined.stream().map(SearchHit::endLine).toList());
        assertEquals("line 10\nline 20\nline 21\nline 30", joined.get(1).text());
    }

    @Test
    void piecesJoinUpToALengthAndNoFurther() {
        // 40 touching pieces of 100 lines of one definition: joined while the hit stays within
        // MAX_LINES lines, so a definition of thousands of lines is not one hit of all its text.
        List<SearchHit> pieces = new java.util.ArrayList<>();
        for (int i = 0; i < 40; i++) {
            pieces.add(piece("p" + i, "openjdk", 1 + 100 * i, 100 * (i + 1), 1f - i / 100f));
        }
        List<SearchHit> joined = HitMerging.merge(pieces);
        for (SearchHit hit : joined) {
            assertTrue(hit.endLine() - hit.startLine() + 1 <= HitMerging.MAX_LINES, hit.startLine() + "-" + hit.endLine());
        }
        assertEquals(1, joined.get(0).startLine());
        assertEquals(500, joined.get(0).endLine(), "five pieces of 100 lines, at most 512");
        assertEquals(4000, joined.stream().mapToInt(h -> h.endLine() - h.startLine() + 1).sum(), "every line still shown once");
        assertEquals(8, joined.size());
    }
}
