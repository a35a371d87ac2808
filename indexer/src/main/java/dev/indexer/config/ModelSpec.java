package dev.indexer.config;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The embedding models the indexer ships. Each comes as an int8 ONNX file and a tokenizer.json
 * inside a Maven artifact on the class path, so nothing is downloaded at run time.
 */
public enum ModelSpec implements Identified {
    /** bge-small-en-v1.5, int8: the default; much better on code (CodeSearchNet-Java nDCG@10 0.83). */
    BGE_SMALL("bge-small", "bge-small-en-v1.5-q.onnx", "bge-small-en-v1.5-q-tokenizer.json", 384, 512, Pooling.CLS,
            "Represent this sentence for searching relevant passages: ", 0.6),
    /** all-MiniLM-L6-v2, int8: about twice as fast, weaker on code (nDCG@10 0.52). */
    MINILM("minilm", "all-minilm-l6-v2-q.onnx", "all-minilm-l6-v2-q-tokenizer.json", 384, 256, Pooling.MEAN, "", 0.4);

    private final String id;
    private final String onnxResource;
    private final String tokenizerResource;
    private final int dimension;
    private final int maxSequence;
    private final Pooling pooling;
    private final String queryPrefix;
    private final double hybridVectorWeight;

    ModelSpec(String id, String onnxResource, String tokenizerResource, int dimension, int maxSequence,
            Pooling pooling, String queryPrefix, double hybridVectorWeight) {
        this.id = id;
        this.onnxResource = onnxResource;
        this.tokenizerResource = tokenizerResource;
        this.dimension = dimension;
        this.maxSequence = maxSequence;
        this.pooling = pooling;
        this.queryPrefix = queryPrefix;
        this.hybridVectorWeight = hybridVectorWeight;
    }

    /**
     * The vector list's weight in hybrid search (the lexical list has the rest): chosen on the tuning
     * half of the multi-language evaluation (docs/benchmarks.md) with 128-token chunks, where
     * bge-small's list was the stronger of the two and MiniLM's the weaker.
     */
    public double hybridVectorWeight() {
        return hybridVectorWeight;
    }

    /** The name used on the command line and recorded with a collection, e.g. {@code bge-small}. */
    @Override
    public String id() {
        return id;
    }

    public String onnxResource() {
        return onnxResource;
    }

    public String tokenizerResource() {
        return tokenizerResource;
    }

    public int dimension() {
        return dimension;
    }

    /** The longest input the model was trained on, special tokens included. */
    public int maxSequence() {
        return maxSequence;
    }

    public Pooling pooling() {
        return pooling;
    }

    /** Special tokens added to every input: [CLS] and [SEP] for these BERT-style models. */
    public int specialTokens() {
        return 2;
    }

    /** Prepended to search queries (not to documents), as the model's authors recommend. */
    public String queryPrefix() {
        return queryPrefix;
    }

    /** Looks a model up by its {@link #id()}. */
    public static ModelSpec byId(String id) {
        return Identified.byId(values(), id, "model");
    }

    /** The ids of all models, for messages: {@code bge-small, minilm}. */
    public static String ids() {
        return Arrays.stream(values()).map(ModelSpec::id).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return id;
    }

    /** How a model's per-token outputs become one vector. */
    public enum Pooling {
        /** The first token's vector ([CLS]), as BGE models are trained. */
        CLS,
        /** The attention-masked mean of all token vectors, as sentence-transformers models are trained. */
        MEAN
    }
}
