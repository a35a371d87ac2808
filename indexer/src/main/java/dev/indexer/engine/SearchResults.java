package dev.indexer.engine;

import dev.indexer.store.SearchHit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a search found, best first, and anything the asker should know about how it was answered
 * (nothing indexed yet, part of the collection still without vectors...).
 */
public record SearchResults(List<SearchHit> hits, List<String> notes) {
    public SearchResults {
        hits = List.copyOf(hits);
        notes = List.copyOf(notes);
    }

    /**
     * A hit as every front end gives it to programs (JSON): {@code path} below the indexed root,
     * {@code file} that root joined to the path as text (whatever the locale can name),
     * {@code startLine}, {@code endLine}, {@code score} (4 decimals), {@code language},
     * {@code symbol}, {@code kind}, {@code container}, {@code text}.
     *
     * @param root the indexed tree's absolute path; empty if not known
     */
    public static Map<String, Object> fields(SearchHit hit, String root) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("path", hit.path());
        fields.put("file", root.isEmpty() ? hit.path() : root + (root.endsWith("/") ? "" : "/") + hit.path());
        fields.put("startLine", hit.startLine());
        fields.put("endLine", hit.endLine());
        fields.put("score", Math.round(hit.score() * 10000) / 10000.0);
        fields.put("language", hit.language());
        fields.put("symbol", hit.symbol());
        fields.put("kind", hit.kind());
        fields.put("container", hit.container());
        fields.put("text", hit.text());
        return fields;
    }

    /** The hits as {@link #fields}, best first. */
    public List<Map<String, Object>> hitFields(String root) {
        return hits.stream().map(hit -> fields(hit, root)).toList();
    }
}
