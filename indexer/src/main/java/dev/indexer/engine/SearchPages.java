package dev.indexer.engine;

import dev.indexer.chunk.Chunk;
import dev.indexer.store.SearchHit;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Search results in pages, for front ends that page ({@code search_code}'s cursor). A page after
 * the first asks for as many more hits as were shown and leaves those out: a larger search may
 * rank the first ones a little differently (its fusion sees more candidates), and this way a hit
 * is never shown twice nor skipped for that. The cursor names the query it belongs to and the
 * hits shown so far (8 hex digits each), so it is bounded by {@link #MAX_PAGED}.
 */
public final class SearchPages {
    /** How deep paging goes: the best this many hits of a query. */
    public static final int MAX_PAGED = 200;
    private static final int SHORT_ID = 8;

    private SearchPages() {}

    /**
     * A page of results and, if more may follow, the cursor of the next.
     *
     * @param next empty on the last page
     */
    public record Page(CollectionReader.Results results, Optional<String> next) {}

    /**
     * The page of {@code query} (its {@code k} hits) after {@code cursor}: the first page without one.
     *
     * @throws IllegalArgumentException if the cursor is not one this query's pages gave
     */
    public static Page page(Function<SearchQuery, CollectionReader.Results> search, SearchQuery query,
            Optional<String> cursor) {
        Set<String> shown = cursor.map(c -> decode(c, query)).orElse(Set.of());
        // The first page is the plain search (what the command line answers for the same k); later
        // ones ask for one hit more than they need: whether it exists says whether a next page does.
        int window = shown.isEmpty() ? query.k() : Math.min(MAX_PAGED, shown.size() + query.k()) + 1;
        CollectionReader.Results all = search.apply(query.withK(window));
        List<SearchHit> page = new ArrayList<>();
        boolean more = false;
        for (SearchHit hit : all.hits()) {
            // A hit shown before, or shown as a copy of another (a larger search may fold them the other way round).
            if (!shown.contains(shortId(hit)) && hit.copies().stream().noneMatch(c -> shown.contains(shortId(c.id())))) {
                if (page.size() < query.k()) {
                    page.add(hit);
                } else {
                    more = true;
                }
            }
        }
        Set<String> after = new LinkedHashSet<>(shown);
        page.forEach(hit -> {
            after.add(shortId(hit));
            hit.copies().forEach(c -> after.add(shortId(c.id())));
        });
        more = (more || shown.isEmpty() && all.hits().size() >= window) && after.size() < MAX_PAGED;
        return new Page(all.withHits(page), more ? Optional.of(encode(query, after)) : Optional.empty());
    }

    private static String shortId(SearchHit hit) {
        return shortId(hit.id());
    }

    private static String shortId(String id) {
        return Chunk.hashOf(id).substring(0, SHORT_ID);
    }

    /** What the cursor's query must be: its text, mode, filters and page size. */
    private static String fingerprint(SearchQuery query) {
        return Chunk.hashOf(String.join("\u0000", query.text(), query.mode().name(), query.language().orElse(""),
                query.path().map(Object::toString).orElse(""), Integer.toString(query.k()))).substring(0, SHORT_ID);
    }

    private static String encode(SearchQuery query, Set<String> shown) {
        String text = fingerprint(query) + ":" + String.join("", shown);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static Set<String> decode(String cursor, SearchQuery query) {
        String text;
        try {
            text = new String(Base64.getUrlDecoder().decode(cursor.strip()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            text = "";
        }
        int colon = text.indexOf(':');
        String ids = colon < 0 ? "" : text.substring(colon + 1);
        if (colon != SHORT_ID || ids.length() % SHORT_ID != 0 || !ids.matches("[0-9a-f]*")) {
            throw new IllegalArgumentException("the cursor is not one search_code gave; pass the 'next' of the"
                    + " previous page, or none for the first");
        }
        if (!text.substring(0, colon).equals(fingerprint(query))) {
            throw new IllegalArgumentException("the cursor belongs to another search: ask again with the same query,"
                    + " mode, language, path and limit as the page that gave it");
        }
        Set<String> shown = new LinkedHashSet<>();
        for (int i = 0; i < ids.length(); i += SHORT_ID) {
            shown.add(ids.substring(i, i + SHORT_ID));
        }
        return shown;
    }
}
