package dev.indexer.config;

/** How a model's per-token outputs become one vector. */
public enum Pooling {
    /** The first token's vector ([CLS]), as BGE models are trained. */
    CLS,
    /** The attention-masked mean of all token vectors, as sentence-transformers models are trained. */
    MEAN
}
