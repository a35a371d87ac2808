package dev.indexer.engine;

/**
 * One line of the list of an index home's collections, from its manifest alone.
 *
 * @param name the collection's name
 * @param store the kind of store it was built in ({@code embedded}, {@code qdrant})
 * @param model the embedding model
 * @param root the tree it follows
 * @param files files indexed
 * @param chunks chunks listed
 * @param lastRunOutcome how its last run ended
 */
public record CollectionSummary(String name, String store, String model, String root, long files, long chunks,
        String lastRunOutcome) {}
