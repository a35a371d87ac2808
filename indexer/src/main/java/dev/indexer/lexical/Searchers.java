package dev.indexer.lexical;

import java.io.Closeable;
import java.io.IOException;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.store.Directory;

/**
 * Reads with a searcher of the newest commit a {@link SearcherManager} can open: the chunk index's
 * reader and the navigation index's reader see each commit as soon as it is made. When the newest
 * cannot be opened (its files deleted or damaged under a server that writes the collection), the
 * searcher held goes on answering: its files stay readable while it has them open.
 *
 * <p>Whether there is a newer commit is told from the directory's listing (the newest {@code
 * segments_N}), not by {@link SearcherManager#maybeRefreshBlocking} alone, which reads every
 * segment's info to find out: that took 0.45-0.75 ms a call on the JDK's navigation index, and a
 * search makes several calls (landing one per file). Thread-safe.
 */
public final class Searchers implements Closeable {
    private final SearcherManager manager;
    private final Directory directory;
    /** The generation of the newest commit a refresh has opened (or found current); -1 until the first. */
    private volatile long seen = -1;

    /** What is read with the searcher. */
    @FunctionalInterface
    public interface Read<T> {
        T apply(IndexSearcher searcher) throws IOException;
    }

    public Searchers(Directory directory) throws IOException {
        this.directory = directory;
        this.manager = new SearcherManager(directory, null);
    }

    /** {@code read} with a searcher of the newest commit. */
    public <T> T withNewest(Read<T> read) throws IOException {
        long newest = newestCommit();
        if (newest < 0 || newest != seen) {
            try {
                manager.maybeRefreshBlocking();
                seen = newest;
            } catch (IOException e) {
                // the searcher held answers; opening the collection again says what is wrong
            }
        }
        IndexSearcher searcher = manager.acquire();
        try {
            return read.apply(searcher);
        } finally {
            manager.release(searcher);
        }
    }

    /**
     * The generation of the directory's newest commit (each commit writes the next {@code
     * segments_N}); -1 when that cannot be told: no commit, or the listing failed.
     */
    private long newestCommit() {
        try {
            return SegmentInfos.getLastCommitGeneration(directory.listAll());
        } catch (IOException e) {
            return -1; // refresh as before, which says what is wrong
        }
    }

    @Override
    public void close() throws IOException {
        manager.close();
    }
}
