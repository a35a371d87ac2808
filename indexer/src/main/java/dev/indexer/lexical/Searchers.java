package dev.indexer.lexical;

import java.io.IOException;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.SearcherManager;

/**
 * Reads with a searcher of the newest commit a {@link SearcherManager} can open: the chunk index's
 * reader and the navigation index's reader see each commit as soon as it is made. When the newest
 * cannot be opened (its files deleted or damaged under a server that writes the collection), the
 * searcher held goes on answering: its files stay readable while it has them open.
 */
public final class Searchers {
    private Searchers() {}

    /** What is read with the searcher. */
    @FunctionalInterface
    public interface Read<T> {
        T apply(IndexSearcher searcher) throws IOException;
    }

    public static <T> T withNewest(SearcherManager searchers, Read<T> read) throws IOException {
        try {
            searchers.maybeRefreshBlocking();
        } catch (IOException e) {
            // the searcher held answers; opening the collection again says what is wrong
        }
        IndexSearcher searcher = searchers.acquire();
        try {
            return read.apply(searcher);
        } finally {
            searchers.release(searcher);
        }
    }
}
