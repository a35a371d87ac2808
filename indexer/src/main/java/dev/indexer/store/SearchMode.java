package dev.indexer.store;

import java.util.Locale;

/** How a query finds chunks. */
public enum SearchMode implements dev.indexer.config.Identified {
    /** Both lists below, fused by reciprocal rank: what each misses, the other often finds. */
    HYBRID,
    /** Nearest vectors: meaning, in other words than the code's. */
    VECTOR,
    /** BM25 over code-aware words: exact names, error messages, rare terms. */
    LEXICAL;

    @Override
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static SearchMode byId(String id) {
        return dev.indexer.config.Identified.byId(values(), id, "search mode");
    }
}
