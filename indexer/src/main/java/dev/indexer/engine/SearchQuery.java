package dev.indexer.engine;

import dev.indexer.config.Defaults;
import dev.indexer.store.PathGlob;
import dev.indexer.store.SearchMode;
import java.util.Optional;

/**
 * A question to a collection.
 *
 * @param text what to look for, in plain words or code
 * @param k how many hits at most
 * @param mode hybrid, vector or lexical
 * @param language only chunks of this language
 * @param path only chunks of files whose path matches this glob
 */
public record SearchQuery(String text, int k, SearchMode mode, Optional<String> language, Optional<PathGlob> path) {
    public SearchQuery {
        if (text.isBlank()) {
            throw new IllegalArgumentException("the query is empty");
        }
        if (k < 1) {
            throw new IllegalArgumentException("k must be positive, was " + k);
        }
    }

    /** A hybrid query for the default number of hits, without filters. */
    public static SearchQuery of(String text) {
        return new SearchQuery(text, Defaults.SEARCH_HITS, SearchMode.HYBRID, Optional.empty(), Optional.empty());
    }

    public SearchQuery withMode(SearchMode value) {
        return new SearchQuery(text, k, value, language, path);
    }

    public SearchQuery withK(int value) {
        return new SearchQuery(text, value, mode, language, path);
    }
}
