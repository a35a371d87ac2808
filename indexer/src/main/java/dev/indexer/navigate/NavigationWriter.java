package dev.indexer.navigate;

import dev.indexer.IndexerException;
import dev.indexer.chunk.Symbol;
import dev.indexer.redact.SecretRedactor;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.lucene.index.ConcurrentMergeScheduler;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;

/**
 * Writes a collection's navigation index: for each indexed file its identifiers and its
 * definitions (see {@link NavigationDocs}). The index run calls it beside the store, file by file,
 * and commits it with the store and before the manifest, so the manifest never claims a file
 * whose definitions are not here. A small buffer: its documents are small, and memory is the
 * store's and the model's.
 */
public final class NavigationWriter implements AutoCloseable {
    /** Where it lives in a collection's directory. */
    public static final String DIR_NAME = "navigation";
    private static final double RAM_BUFFER_MB = 8;
    /** rg's rule: a NUL in the first bytes makes a file binary, and it is not searched. */
    private static final int BINARY_PROBE_BYTES = 8192;

    private final Path dir;
    private final Directory directory;
    private final IndexWriter writer;
    private final boolean fresh;

    private NavigationWriter(Path dir, Directory directory, IndexWriter writer, boolean fresh) {
        this.dir = dir;
        this.directory = directory;
        this.writer = writer;
        this.fresh = fresh;
    }

    /**
     * Opens (creating if needed) the navigation index of the collection in {@code collectionDir}.
     *
     * @throws IndexerException if it cannot be opened
     */
    public static NavigationWriter open(Path collectionDir) {
        Path dir = collectionDir.resolve(DIR_NAME);
        Directory directory = null;
        try {
            Files.createDirectories(dir);
            directory = FSDirectory.open(dir);
            boolean fresh = !DirectoryReader.indexExists(directory);
            IndexWriterConfig config = new IndexWriterConfig(NavigationDocs.wordAnalyzer());
            config.setRAMBufferSizeMB(RAM_BUFFER_MB);
            config.setCommitOnClose(false);
            ConcurrentMergeScheduler scheduler = new ConcurrentMergeScheduler();
            scheduler.setMaxMergesAndThreads(2, 1);
            config.setMergeScheduler(scheduler);
            IndexWriter writer = new IndexWriter(directory, config);
            if (fresh) {
                writer.commit(); // readers find an empty index, not none
            }
            return new NavigationWriter(dir, directory, writer, fresh);
        } catch (IOException e) {
            closeQuietly(directory);
            throw new IndexerException("Could not open the navigation index in " + dir + " (" + e.getMessage()
                    + "); check that the index home is writable, or rerun with --reindex to build it again.", e);
        }
    }

    /** Whether this opened no index that was there before: a collection's files must be read again to fill it. */
    public boolean fresh() {
        return fresh;
    }

    /**
     * Replaces what the index has of one file.
     *
     * @param path the file's path below the root
     * @param file the file itself, read again for its identifiers (not if it looks binary: a
     *     document's text came from its parser, and rg would not search it either)
     * @param symbols its definitions; empty for a file cut into line windows
     * @param contentHash the hash of its content as read for its chunks (the manifest's), so that a
     *     search can name the files with the same text; empty if not known
     */
    public void put(String path, String language, long size, long mtime, Path file, List<Symbol> symbols,
            String contentHash) {
        try (Reader words = wordsOf(file, path)) {
            writer.updateDocuments(new Term(NavigationDocs.PATH, path), NavigationDocs.documents(path, language, size,
                    mtime, contentHash == null ? "" : contentHash, words, symbols, qualifier(path, language)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The file's text for its identifiers, its secrets taken out as the chunker takes them out (a
     * secret's characters must not be terms of an index either); null when it cannot be read or
     * is binary (then only its definitions are kept).
     */
    private static Reader wordsOf(Path file, String path) {
        try {
            InputStream in = new BufferedInputStream(Files.newInputStream(file), BINARY_PROBE_BYTES);
            in.mark(BINARY_PROBE_BYTES);
            byte[] probe = in.readNBytes(BINARY_PROBE_BYTES);
            for (byte b : probe) {
                if (b == 0) {
                    in.close();
                    return null;
                }
            }
            in.reset();
            return new RedactedLines(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE))),
                    new SecretRedactor(path));
        } catch (IOException e) {
            return null; // vanished since it was chunked: the next run deletes it
        }
    }

    /** A file's lines, each through the redactor, in order (it follows key blocks across lines). */
    private static final class RedactedLines extends Reader {
        private final BufferedReader in;
        private final SecretRedactor redactor;
        private String line = "";
        private int at;

        RedactedLines(BufferedReader in, SecretRedactor redactor) {
            this.in = in;
            this.redactor = redactor;
        }

        @Override
        public int read(char[] buffer, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            while (at >= line.length()) {
                String next = in.readLine();
                if (next == null) {
                    return -1;
                }
                line = redactor.redact(next) + "\n";
                at = 0;
            }
            int n = Math.min(length, line.length() - at);
            line.getChars(at, at + n, buffer, offset);
            at += n;
            return n;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    /** A Python module's dotted path ({@code pkg/util/io.py}: {@code pkg.util.io}); empty for other languages. */
    static String qualifier(String path, String language) {
        if (!language.equals("python") || !path.endsWith(".py")) {
            return "";
        }
        String module = path.substring(0, path.length() - 3);
        if (module.endsWith("/__init__") || module.equals("__init__")) {
            module = module.substring(0, Math.max(0, module.length() - "/__init__".length()));
        }
        return module.replace('/', '.');
    }

    /**
     * Records a file's new time where its bytes are still the ones indexed (a checkout or a copy
     * touched it): lookups then know it unchanged from a stat, where they hashed it every time.
     * An index that no version with this has written to has no place for it; its files are
     * hashed as before.
     */
    public void touched(String path, long mtime) {
        try {
            writer.updateNumericDocValue(new Term(NavigationDocs.PATH, path), NavigationDocs.MTIME_SEEN, mtime);
        } catch (IllegalArgumentException e) {
            // No document has the field yet: an index of an earlier version, whose files keep their old times.
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Takes a file out. */
    public void delete(String path) {
        try {
            writer.deleteDocuments(new Term(NavigationDocs.PATH, path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Makes what was put and deleted durable and visible to readers. */
    public void commit() {
        try {
            writer.commit();
        } catch (IOException e) {
            throw new IndexerException("Could not save the navigation index in " + dir + " (" + e.getMessage()
                    + "); check the free disk space, then rerun: the run continues where it stopped.", e);
        }
    }

    /** Drops what was not committed. */
    @Override
    public void close() {
        try {
            writer.rollback();
        } catch (IOException e) {
            // nothing uncommitted is worth keeping
        } finally {
            closeQuietly(directory);
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable != null) {
            try {
                closeable.close();
            } catch (Exception e) {
                // closing what failed to open
            }
        }
    }
}
