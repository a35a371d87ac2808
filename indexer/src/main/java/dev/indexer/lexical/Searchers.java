package dev.indexer.lexical;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.attribute.BasicFileAttributes;
import org.apache.lucene.index.IndexFileNames;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.FilterDirectory;

/**
 * Reads with a searcher of the newest commit a {@link SearcherManager} can open: the chunk index's
 * reader and the navigation index's reader see each commit as soon as it is made. When the newest
 * cannot be opened (its files deleted or damaged under a server that writes the collection), the
 * searcher held goes on answering: its files stay readable while it has them open.
 *
 * <p>Whether there is a newer commit is told from the directory's listing and its commit file's
 * identity, not by {@link SearcherManager#maybeRefreshBlocking}, which reads every segment's info
 * to find out: that took 0.45-0.75 ms a call on the JDK's navigation index, and a search makes
 * several calls (landing one per file). Thread-safe.
 */
public final class Searchers implements Closeable {
    private final SearcherManager manager;
    private final Directory directory;
    /** The newest commit a refresh has opened (or found current), null until the first. */
    private volatile Commit seen;

    /** What is read with the searcher. */
    @FunctionalInterface
    public interface Read<T> {
        T apply(IndexSearcher searcher) throws IOException;
    }

    /** A commit by its generation and its file's identity: an index deleted and built again reuses names. */
    private record Commit(long generation, Object file) {}

    public Searchers(Directory directory) throws IOException {
        this.directory = directory;
        this.manager = new SearcherManager(directory, null);
    }

    /** {@code read} with a searcher of the newest commit. */
    public <T> T withNewest(Read<T> read) throws IOException {
        Commit newest = newestCommit();
        if (newest == null || !newest.equals(seen)) {
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

    /** The directory's newest commit; null when that cannot be told (not a file-system directory, no commit). */
    private Commit newestCommit() {
        Directory unwrapped = FilterDirectory.unwrap(directory);
        if (!(unwrapped instanceof FSDirectory fs)) {
            return null;
        }
        try {
            long generation = SegmentInfos.getLastCommitGeneration(directory.listAll());
            if (generation < 0) {
                return null;
            }
            Object file = Files.readAttributes(fs.getDirectory().resolve(IndexFileNames.fileNameFromGeneration(
                    IndexFileNames.SEGMENTS, "", generation)), BasicFileAttributes.class).fileKey();
            return file == null ? null : new Commit(generation, file);
        } catch (IOException e) {
            return null; // replaced between the listing and the look, or unreadable: refresh as before
        }
    }

    @Override
    public void close() throws IOException {
        manager.close();
    }
}
