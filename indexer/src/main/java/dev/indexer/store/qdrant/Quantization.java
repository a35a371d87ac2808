package dev.indexer.store.qdrant;

import java.util.Locale;

/**
 * How Qdrant compresses the copy of the vectors it searches in RAM; the originals stay on disk and
 * re-score the best candidates.
 */
enum Quantization implements dev.indexer.config.Identified {
    /** int8 per dimension: 4x smaller, barely any loss. The default. */
    SCALAR,
    /** Product quantization: 16x smaller, slower and lossier; for very large collections. */
    PRODUCT,
    /** One bit per dimension: 32x smaller; best with large models, rough with 384 dimensions. */
    BINARY,
    /** No quantized copy: search reads the full vectors. */
    NONE;

    @Override
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Quantization byId(String id) {
        return dev.indexer.config.Identified.byId(values(), id, "quantization");
    }
}
