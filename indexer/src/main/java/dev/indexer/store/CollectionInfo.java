package dev.indexer.store;

import java.util.Map;

/**
 * What a collection was built with; a collection only ever holds vectors of one model. Every store
 * keeps it with the collection (Lucene in its commit data, Qdrant in the collection's metadata)
 * under the same keys, so any machine that can read the store can search it.
 *
 * @param model the embedding model id, e.g. {@code bge-small}
 * @param root the absolute path of the indexed tree
 */
public record CollectionInfo(String name, String model, int dimension, String root) {
    public static final String MODEL_KEY = "indexer.model";
    public static final String DIMENSION_KEY = "indexer.dimension";
    public static final String ROOT_KEY = "indexer.root";

    /** The keys and values a store keeps with the collection. */
    public Map<String, String> metadata() {
        return Map.of(MODEL_KEY, model, DIMENSION_KEY, Integer.toString(dimension), ROOT_KEY, root);
    }
}
