package dev.indexer.store;

import java.util.Locale;

/** How a query finds chunks. */
public enum SearchMode {
    /** Both lists below, fused by reciprocal rank: what each misses, the other often finds. */
    HYBRID,
    /** Nearest vectors: meaning, in other words than the code's. */
    VECTOR,
    /** BM25 over code-aware words: exact names, error messages, rare terms. */
    LEXICAL;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static SearchMode byId(String id) {
        for (SearchMode mode : values()) {
            if (mode.id().equals(id.toLowerCase(Locale.ROOT))) {
                return mode;
            }
        }
        throw new IllegalArgumentException("unknown search mode '" + id + "'; use hybrid, vector or lexical");
    }
}
