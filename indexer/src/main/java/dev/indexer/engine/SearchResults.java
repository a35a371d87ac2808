package dev.indexer.engine;

import dev.indexer.store.SearchHit;
import java.util.List;

/**
 * What a search found, best first, and anything the asker should know about how it was answered
 * (nothing indexed yet, part of the collection still without vectors...).
 */
public record SearchResults(List<SearchHit> hits, List<String> notes) {
    public SearchResults {
        hits = List.copyOf(hits);
        notes = List.copyOf(notes);
    }
}
