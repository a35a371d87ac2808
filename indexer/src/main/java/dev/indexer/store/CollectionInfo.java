package dev.indexer.store;

/**
 * What a collection was built with; a collection only ever holds vectors of one model.
 *
 * @param name the collection's name
 * @param model the embedding model id, e.g. {@code bge-small}
 * @param dimension the vector size
 * @param root the absolute path of the indexed tree
 */
public record CollectionInfo(String name, String model, int dimension, String root) {}
