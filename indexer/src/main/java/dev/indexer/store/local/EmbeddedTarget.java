package dev.indexer.store.local;

import dev.indexer.config.IndexHome;
import dev.indexer.state.CollectionFiles;
import dev.indexer.store.CollectionInfo;
import dev.indexer.store.StoreReader;
import dev.indexer.store.StoreTarget;
import dev.indexer.store.StoreWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The embedded store: a Lucene index in each collection's directory of the index home.
 *
 * @param bufferMB the indexing buffer of a store opened for writing (from the memory budget)
 */
public record EmbeddedTarget(IndexHome home, int bufferMB) implements StoreTarget {
    /** Lucene's smallest sensible indexing buffer: for commands that only read, it is never used. */
    private static final int MIN_BUFFER_MB = 4;

    /** For commands that only read: search, status, drop. */
    public static EmbeddedTarget forReading(IndexHome home) {
        return new EmbeddedTarget(home, MIN_BUFFER_MB);
    }

    @Override
    public String kind() {
        return "embedded";
    }

    @Override
    public String describe(String collection) {
        return "embedded store at " + home.luceneDir(collection);
    }

    @Override
    public String storeName() {
        return "embedded (Lucene)";
    }

    @Override
    public String location(String collection) {
        return home.collectionDir(collection).toString();
    }

    @Override
    public boolean local() {
        return true;
    }

    @Override
    public void check(String collection) {
        // nothing to reach: the index home is checked when the collection's directory is made
    }

    @Override
    public boolean exists(String collection) {
        return Files.isDirectory(home.luceneDir(collection));
    }

    @Override
    public StoreReader openReader(String collection) {
        return LuceneReader.open(home.luceneDir(collection), collection, Optional.empty());
    }

    @Override
    public StoreWriter openWriter(CollectionInfo info, Contents contents) {
        Path dir = home.luceneDir(info.name());
        if (contents == Contents.DELETE) {
            try {
                CollectionFiles.deleteContents(dir);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return LuceneWriter.open(dir, info, bufferMB, LuceneIndex.Merging.AS_THE_POLICY_SAYS);
    }

    @Override
    public boolean drop(String collection) {
        Path dir = home.luceneDir(collection);
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try {
            CollectionFiles.deleteContents(dir);
            Files.deleteIfExists(dir);
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
