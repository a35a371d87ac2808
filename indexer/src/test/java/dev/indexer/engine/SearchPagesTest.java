package dev.indexer.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.indexer.store.SearchHit;
import dev.indexer.store.SearchMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SearchPagesTest {
    /**
     * 25 hits; a search for more than 10 ranks hits 3 and 4 the other way round, as a fusion that
     * sees more candidates may: pages must neither repeat nor skip a hit for that.
     */
    private static final Function<SearchQuery, CollectionReader.Results> SEARCH = query -> {
        List<Integer> order = new ArrayList<>(IntStream.range(0, 25).boxed().toList());
        if (query.k() > 10) {
            order.set(3, 4);
            order.set(4, 3);
        }
        List<SearchHit> hits = order.stream().limit(query.k()).map(i -> new SearchHit("id" + i, "f" + i + ".java", 1, 2,
                "java", "text", 1f / (i + 1), "", "", "", "")).toList();
        return new CollectionReader.Results(hits, List.of(), 0, Set.of());
    };

    @Test
    void pagesContinueTheRankingWithoutRepeatsOrGapsToTheLast() {
        SearchQuery query = SearchQuery.of("anything").withK(5);
        List<String> seen = new ArrayList<>();
        Optional<String> cursor = Optional.empty();
        int pages = 0;
        do {
            SearchPages.Page page = SearchPages.page(SEARCH, query, cursor);
            assertTrue(page.results().hits().size() <= 5);
            page.results().hits().forEach(hit -> seen.add(hit.id()));
            cursor = page.next();
            pages++;
        } while (cursor.isPresent() && pages < 20);
        assertEquals(List.of("id0", "id1", "id2", "id3", "id4"), seen.subList(0, 5), "the first page is a plain search");
        assertEquals(25, seen.size(), "every hit once: " + seen);
        assertEquals(25, new TreeSet<>(seen).size());
        assertEquals(5, pages);
    }

    @Test
    void aHitShownAsACopyIsNotShownAgainWhenALargerSearchFoldsTheOtherWay() {
        // Two identical files: the first page shows a.js with b.js as its copy; the larger search
        // behind the next page ranks b.js first, with a.js as its copy. Neither comes back.
        SearchHit.Copy copyOfB = new SearchHit.Copy("b", "", "b.js", 1, 2);
        SearchHit.Copy copyOfA = new SearchHit.Copy("a", "", "a.js", 1, 2);
        Function<SearchQuery, CollectionReader.Results> search = query -> {
            List<SearchHit> hits = new ArrayList<>();
            hits.add(query.k() <= 2
                    ? new SearchHit("a", "a.js", 1, 2, "javascript", "same", 1f, "", "", "", "", List.of(copyOfB))
                    : new SearchHit("b", "b.js", 1, 2, "javascript", "same", 1f, "", "", "", "", List.of(copyOfA)));
            IntStream.range(0, 5).forEach(i -> hits.add(new SearchHit("id" + i, "f" + i + ".js", 1, 2, "javascript",
                    "text " + i, 0.5f / (i + 1), "", "", "", "")));
            return new CollectionReader.Results(hits.subList(0, Math.min(query.k(), hits.size())), List.of(), 0, Set.of());
        };
        SearchQuery query = SearchQuery.of("anything").withK(2);
        SearchPages.Page first = SearchPages.page(search, query, Optional.empty());
        assertEquals(List.of("a", "id0"), first.results().hits().stream().map(SearchHit::id).toList());
        SearchPages.Page second = SearchPages.page(search, query, first.next());
        assertEquals(List.of("id1", "id2"), second.results().hits().stream().map(SearchHit::id).toList());
    }

    @Test
    void aCursorOfAnotherQueryOrNoneAtAllIsRefused() {
        SearchQuery query = SearchQuery.of("anything").withK(5);
        String next = SearchPages.page(SEARCH, query, Optional.empty()).next().orElseThrow();
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SearchPages.page(SEARCH,
                SearchQuery.of("something else").withK(5), Optional.of(next))).getMessage().contains("another search"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SearchPages.page(SEARCH,
                query.withMode(SearchMode.LEXICAL), Optional.of(next))).getMessage().contains("another search"));
        for (String bad : List.of("", "!!!", "abc", next + "x")) {
            assertTrue(assertThrows(IllegalArgumentException.class, () -> SearchPages.page(SEARCH, query,
                    Optional.of(bad))).getMessage().contains("not one search_code gave"), bad);
        }
    }
}
