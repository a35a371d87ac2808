package dev.indexer.mcp;

import dev.indexer.engine.CollectionReader;
import dev.indexer.engine.Engine;
import dev.indexer.engine.SearchQuery;
import dev.indexer.store.RepoScope;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Searches of a served collection's other repositories ({@code search_code}'s {@code repo}): a
 * reader per set of repositories asked for, the few most recent kept open (each holds the
 * store's files or a connection), the rest closed.
 */
final class OtherRepos implements AutoCloseable {
    /** Sets of repositories whose readers stay open. */
    private static final int KEPT = 4;

    private final Engine engine;
    private final String collection;
    private final String served;
    private final Map<RepoScope, CollectionReader> readers = new LinkedHashMap<>(8, 0.75f, true);
    private boolean closed;

    OtherRepos(Engine engine, String collection, String served) {
        this.engine = engine;
        this.collection = collection;
        this.served = served;
    }

    /** The repository the server indexes: its searches go to the live index, not here. */
    String served() {
        return served;
    }

    /**
     * Answers {@code query} over {@code scope}.
     *
     * @throws dev.indexer.IndexerException if the collection has no repository of a name in scope, naming those it has
     */
    CollectionReader.Results search(RepoScope scope, SearchQuery query) {
        return reader(scope).search(query);
    }

    private synchronized CollectionReader reader(RepoScope scope) {
        if (closed) {
            throw new IllegalStateException("the server is stopping");
        }
        CollectionReader reader = readers.get(scope);
        if (reader == null) {
            reader = engine.openReader(collection, scope);
            try {
                reader.info(); // opens the store: an unknown repository is said now, and the reader not kept
            } catch (RuntimeException e) {
                reader.close();
                throw e;
            }
            readers.put(scope, reader);
            if (readers.size() > KEPT) {
                var eldest = readers.entrySet().iterator().next();
                eldest.getValue().close();
                readers.remove(eldest.getKey());
            }
        }
        return reader;
    }

    @Override
    public synchronized void close() {
        closed = true;
        readers.values().forEach(CollectionReader::close);
        readers.clear();
    }
}
