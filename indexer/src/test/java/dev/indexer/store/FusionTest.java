package dev.indexer.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class FusionTest {
    private static SearchHit hit(String id, float score) {
        return new SearchHit(id, id + ".java", 1, 2, "java", "text of " + id, score, "", "", "", "");
    }

    private static List<String> ids(List<SearchHit> hits) {
        return hits.stream().map(SearchHit::id).toList();
    }

    @Test
    void minMaxFusionScalesEachListAndWeighsThem() {
        List<SearchHit> vector = List.of(hit("a", 0.9f), hit("b", 0.7f), hit("c", 0.5f));
        List<SearchHit> lexical = List.of(hit("c", 10f), hit("d", 6f), hit("a", 2f));
        // Scaled: vector a 1, b 0.5, c 0; lexical c 1, d 0.5, a 0.
        List<SearchHit> strongVector = Fusion.minMax(vector, lexical, 0.6, SearchHit::id);
        assertEquals(List.of("a", "c", "b", "d"), ids(strongVector));
        assertEquals(0.6, strongVector.get(0).score(), 1e-6);
        assertEquals(0.4, strongVector.get(1).score(), 1e-6);
        assertEquals(0.3, strongVector.get(2).score(), 1e-6);
        assertEquals(0.2, strongVector.get(3).score(), 1e-6);
        assertEquals("a.java", strongVector.get(0).path(), "the hit keeps its fields");
        // The same lists with the lexical one trusted more: its leader and runner-up come first.
        assertEquals(List.of("c", "d", "a", "b"), ids(Fusion.minMax(vector, lexical, 0.3, SearchHit::id)));
        // Agreement counts: a hit near the top of both beats each list's leader alone.
        List<SearchHit> agree = Fusion.minMax(List.of(hit("x", 0.9f), hit("y", 0.85f), hit("z", 0.1f)),
                List.of(hit("w", 9f), hit("y", 8f), hit("z", 1f)), 0.5, SearchHit::id);
        assertEquals("y", agree.get(0).id());
    }

    @Test
    void minMaxFusionOfOneListKeepsItsOrderAndAListOfEqualScoresCountsFully() {
        List<SearchHit> vector = List.of(hit("x", 0.5f), hit("y", 0.4f));
        assertEquals(List.of("x", "y"), ids(Fusion.minMax(vector, List.of(), 0.6, SearchHit::id)));
        List<SearchHit> single = Fusion.minMax(List.of(), List.of(hit("only", 3f)), 0.6, SearchHit::id);
        assertEquals(0.4, single.get(0).score(), 1e-6);
        assertTrue(Fusion.minMax(List.of(), List.of(), 0.6, SearchHit::id).isEmpty());
    }

    @Test
    void pathGlobsMatchLikeAShell() {
        PathGlob java = PathGlob.of("*.java");
        assertTrue(java.matches("Main.java") && java.matches("src/a/B.java"));
        assertTrue(!java.matches("src/a/B.javax") && !java.matches("B.py"));
        PathGlob tree = PathGlob.of("src/**/*Test.java");
        assertTrue(tree.matches("src/FooTest.java") && tree.matches("src/a/b/FooTest.java"));
        assertTrue(!tree.matches("test/FooTest.java") && !tree.matches("src/Foo.java"));
        PathGlob under = PathGlob.of("docs/**");
        assertTrue(under.matches("docs/a.md") && under.matches("docs/x/y.md") && !under.matches("src/docs/a.md"));
        PathGlob alternatives = PathGlob.of("{src,lib}/*.{ts,js}");
        assertTrue(alternatives.matches("src/a.ts") && alternatives.matches("lib/b.js") && !alternatives.matches("src/a.py"));
        PathGlob oneChar = PathGlob.of("v?/[ab]*.go");
        assertTrue(oneChar.matches("v1/api.go") && !oneChar.matches("v12/api.go") && !oneChar.matches("v1/cli.go"));
        assertThrows(IllegalArgumentException.class, () -> PathGlob.of("src/[ab"));
        assertThrows(IllegalArgumentException.class, () -> PathGlob.of("{a,b"));
    }
}
