package dev.indexer.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
