package dev.indexer.store;

import java.util.List;

/** The production search path for tests that ask a store for the chunks nearest to a vector. */
public final class Nearest {
    private Nearest() {}

    /** The {@code k} chunks nearest to a unit-length vector, best first, searched as users search. */
    public static List<SearchHit> to(StoreReader store, float[] vector, int k) {
        try (HybridSearch search = new HybridSearch(1)) {
            return search.search(store, SearchRequest.vector(vector, k));
        }
    }
}
