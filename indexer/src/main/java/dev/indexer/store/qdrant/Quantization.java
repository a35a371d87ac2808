package dev.indexer.store.qdrant;

import java.util.Locale;

/**
 * How Qdrant compresses the copy of the vectors it searches in RAM; the originals stay on disk and
 * re-score the best candidates.
 */
public enum Quantization {
    /** int8 per dimension: 4x smaller, barely any loss. The default. */
    SCALAR,
    /** Product quantization: 16x smaller, slower and lossier; for very large collections. */
    PRODUCT,
    /** One bit per dimension: 32x smaller; best with large models, rough with 384 dimensions. */
    BINARY,
    /** No quantized copy: search reads the full vectors. */
    NONE;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Quantization byId(String id) {
        for (Quantization q : values()) {
            if (q.id().equals(id.toLowerCase(Locale.ROOT))) {
                return q;
            }
        }
        throw new IllegalArgumentException("unknown quantization '" + id + "'; use scalar, product, binary or none");
    }
}
