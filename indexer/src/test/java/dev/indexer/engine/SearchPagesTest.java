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
