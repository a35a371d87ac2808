package dev.indexer.engine;

import dev.indexer.config.Defaults;
import dev.indexer.store.PathGlob;
import dev.indexer.store.SearchMode;
import java.util.Locale;
import java.util.Optional;

/**
 * A question to a collection: what every front end (the command line, the MCP tools, the
 * evaluation) builds from what it was given, checked the same way.
 *
 * @param text what to look for, in plain words or code
 * @param k how many hits at most
 * @param mode hybrid, vector or lexical
 * @param language only chunks of this language, in lower case as languages are stored ({@code Java} is {@code java})
 * @param path only chunks of files whose path matches this glob
 */
public record SearchQuery(String text, int k, SearchMode mode, Optional<String> language, Optional<PathGlob> path) {
    /** The most hits any query asks for. */
    public static final int MAX_HITS = 1000;

    public SearchQuery {
        if (text.isBlank()) {
            throw new IllegalArgumentException("the query is empty");
        }
        if (k < 1 || k > MAX_HITS) {
            throw new IllegalArgumentException("k must be from 1 to " + MAX_HITS + ", was " + k);
        }
        language = language.map(String::strip).filter(l -> !l.isEmpty()).map(l -> l.toLowerCase(Locale.ROOT));
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

    /**
     * How a front end names what it is given, for its messages, and the most hits it allows.
     *
     * @param query the query's name ({@code QUERY}, {@code query})
     * @param hits the hit count's name ({@code -k}, {@code limit})
     * @param maxHits the most hits a query may ask for, at most {@link #MAX_HITS}
     */
    public record Names(String query, String hits, int maxHits) {}

    /**
     * A query from what a front end was given as text: absent or blank filters are none, the mode
     * and the language any case, the hits {@link Defaults#SEARCH_HITS} when not given.
     *
     * @throws IllegalArgumentException saying, in the front end's names, which rule was broken
     */
    public static SearchQuery parse(Names names, String text, Optional<Integer> hits, Optional<String> mode,
            Optional<String> language, Optional<String> path) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException(names.query() + " is empty: say what to look for");
        }
        int k = hits.orElse(Defaults.SEARCH_HITS);
        if (k < 1 || k > names.maxHits()) {
            throw new IllegalArgumentException(names.hits() + " must be from 1 to " + names.maxHits() + ", was " + k);
        }
        SearchMode searchMode = mode.filter(m -> !m.isBlank()).map(SearchMode::byId).orElse(SearchMode.HYBRID);
        Optional<PathGlob> glob = path.filter(p -> !p.isBlank()).map(PathGlob::of);
        return new SearchQuery(text, k, searchMode, language, glob);
    }
}
