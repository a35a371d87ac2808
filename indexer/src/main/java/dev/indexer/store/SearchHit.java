package dev.indexer.store;

/**
 * One search result.
 *
 * @param path file path below the collection's root
 * @param startLine first line of the chunk, 1-based
 * @param endLine last line of the chunk
 * @param language the file's language
 * @param text the chunk's text
 * @param score cosine similarity to the query, from -1 to 1
 */
public record SearchHit(String path, int startLine, int endLine, String language, String text, float score) {}
