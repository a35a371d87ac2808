package dev.indexer.store.local;

import dev.indexer.IndexerException;
import dev.indexer.chunk.Chunk;
import dev.indexer.store.CollectionInfo;
import dev.indexer.store.EmbeddedChunk.Fields;
import dev.indexer.store.EmbeddedChunk;
import dev.indexer.store.StoreReader;
import dev.indexer.store.StoreWriter;
import dev.indexer.store.StoredChunk;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.NIOFSDirectory;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.FixedBitSet;

/**
 * Writes the embedded store: Lucene's {@link IndexWriter} over a {@link WriterDirectory}, with
 * documents indexed on a few threads ({@link ParallelIndexing}). What a run reads of its own
 * commits (counts, scans, the chunks still without vectors) goes through plain reads, so that
 * what it touches is not counted as this process's memory; searches go through {@link #reader()}.
 * Nothing is durable until {@link #commit()}: closing rolls back the rest.
 */
final class LuceneWriter implements StoreWriter {
    /**
     * Threads that index documents at once. Two: on the machines this runs on the reading stage and
     * the model use the other cores, and Lucene gives each thread its own in-memory segment.
     */
    private static final int INDEXING_THREADS = 2;

    private final Path dir;
    private final CollectionInfo info;
    /** The one repository this index holds (each has its own index: see {@link EmbeddedTarget}). */
    private final String repo;
    private final Optional<CollectionInfo> previous;
    /** What the writer and its merges go through ({@link WriterDirectory}). */
    private final Directory directory;
    /** The writer's own reads of its commits: plain reads. */
    private final Directory readDirectory;
    private final IndexWriter writer;
    private final ParallelIndexing indexing;
    /** The newest commit, for counts, scans and chunks waiting for vectors. */
    private final SearcherManager commits;
    /** The commit this writer opened on, for {@link #vectors}; opened on first use. */
    private DirectoryReader snapshot;
    private LuceneReader reader;
    private boolean closed;

    private LuceneWriter(Path dir, CollectionInfo info, String repo, Optional<CollectionInfo> previous,
            Directory directory, Directory readDirectory, IndexWriter writer) throws IOException {
        this.dir = dir;
        this.info = info;
        this.repo = repo;
        this.previous = previous;
        this.directory = directory;
        this.readDirectory = readDirectory;
        this.writer = writer;
        this.commits = new SearcherManager(readDirectory, null);
        this.indexing = new ParallelIndexing(INDEXING_THREADS);
    }

    /**
     * Opens the collection in {@code dir} for writing, creating it if needed. A collection whose
     * tree has moved (another root) is taken over: paths are stored relative to the root, so they
     * still hold.
     *
     * @param ramBufferMB bounds the heap held by buffered documents; a flush writes a segment and frees it
     * @throws IndexerException if it exists with another model or dimension
     */
    static LuceneWriter open(Path dir, CollectionInfo expected, int ramBufferMB, LuceneIndex.Merging merging) {
        return open(dir, expected, expected.name(), ramBufferMB, merging);
    }

    /** As {@link #open(Path, CollectionInfo, int, LuceneIndex.Merging)}, the index of repository {@code repo}. */
    static LuceneWriter open(Path dir, CollectionInfo expected, String repo, int ramBufferMB,
            LuceneIndex.Merging merging) {
        Directory directory = null;
        Directory readDirectory = null;
        IndexWriter writer = null;
        try {
            Files.createDirectories(dir);
            directory = new WriterDirectory(dir);
            readDirectory = new NIOFSDirectory(dir);
            Optional<CollectionInfo> existing = Optional.empty();
            if (DirectoryReader.indexExists(directory)) {
                existing = Optional.of(LuceneIndex.readInfo(directory, expected.name()));
                LuceneIndex.checkCompatible(existing.get(), expected);
            }
            writer = new IndexWriter(directory, LuceneIndex.writerConfig(ramBufferMB, merging));
            writer.setLiveCommitData(expected.metadata().entrySet());
            if (existing.isEmpty()) {
                // An empty first commit: the collection exists, and readers can open it, from the start.
                writer.commit();
            }
            return new LuceneWriter(dir, expected, repo, existing, directory, readDirectory, writer);
        } catch (IOException | RuntimeException e) {
            try {
                if (writer != null) {
                    writer.rollback();
                }
            } catch (IOException ignored) {
                // it is being given up
            }
            LuceneIndex.closeQuietly(directory, readDirectory);
            throw e instanceof IOException io ? LuceneIndex.failure(dir, expected.name(), "open", io,
                    "check that the directory is writable and not used by another process") : (RuntimeException) e;
        }
    }

    @Override
    public String repo() {
        return repo;
    }

    @Override
    public CollectionInfo info() {
        return info;
    }

    @Override
    public Optional<CollectionInfo> previous() {
        return previous;
    }

    @Override
    public Optional<Path> localDirectory() {
        return Optional.of(dir);
    }

    @Override
    public void deleteFile(String path) {
        try {
            // A delete removes what was indexed before it: the file's chunks still on their way must land first.
            indexing.awaitPath(path);
            writer.deleteDocuments(new Term(Fields.PATH, path));
        } catch (Exception e) {
            throw writeFailed(e);
        }
    }

    /** Indexed on {@link ParallelIndexing}'s threads; visible and durable at the next {@link #commit()}. */
    @Override
    public void upsert(List<EmbeddedChunk> chunks) {
        chunks.stream().filter(c -> c.hasVector() && c.vector().length != info.dimension()).findFirst().ifPresent(c -> {
            throw new IllegalArgumentException("vector of " + c.vector().length + " dimensions for a "
                    + info.dimension() + "-dimension collection");
        });
        if (chunks.isEmpty()) {
            return;
        }
        List<EmbeddedChunk> batch = List.copyOf(chunks); // the caller reuses its list
        try {
            indexing.submit(ParallelIndexing.pathsOf(batch), () -> {
                for (EmbeddedChunk embedded : batch) {
                    writer.updateDocument(new Term(ChunkDocuments.ID, embedded.chunk().id()),
                            ChunkDocuments.document(embedded));
                }
            });
        } catch (Exception e) {
            throw writeFailed(e);
        }
    }

    /**
     * Lucene cannot add a field to a stored document: the document is written again, with its
     * vector, from the chunk its stored fields gave back, and replaces the one without.
     */
    @Override
    public void addVectors(List<EmbeddedChunk> chunks) {
        chunks.stream().filter(c -> !c.hasVector()).findFirst().ifPresent(c -> {
            throw new IllegalArgumentException("addVectors needs vectors: " + c.chunk().id());
        });
        upsert(chunks);
    }

    @Override
    public void beforeVectors(long waitingChunks) {
        if (waitingChunks >= GraphWarmup.MIN_CHUNKS) {
            GraphWarmup.run(dir.resolveSibling(GraphWarmup.DIR_NAME), info.dimension());
        }
    }

    @Override
    public void commit() {
        try {
            indexing.awaitAll();
            writer.commit();
        } catch (Exception e) {
            throw writeFailed(e);
        }
    }

    /**
     * Runs the merges the merge policy asks for and commits them. A run's last merges are rolled
     * back when its writer closes (it does not commit on close), so a collection is left with many
     * small segments, and a vector search visits every segment's graph: the JDK's 383k chunks were
     * left in 57 segments. A completed {@code indexer index} calls this, and a server when it is
     * idle. Stopped early, it commits the merges that finished; those still running are given up
     * when the writer closes.
     */
    @Override
    public boolean settle(BooleanSupplier stop) {
        try {
            writer.maybeMerge();
            while (writer.hasPendingMerges() || !writer.getMergingSegments().isEmpty()) {
                if (stop.getAsBoolean()) {
                    if (writer.hasUncommittedChanges()) {
                        writer.commit();
                    }
                    return false;
                }
                Thread.sleep(100);
            }
            if (writer.hasUncommittedChanges()) {
                writer.commit();
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            throw writeFailed(e);
        }
    }

    @Override
    public long count() {
        return read(searcher -> (long) searcher.getIndexReader().numDocs());
    }

    @Override
    public List<Chunk> chunksWithoutVectors(String path) {
        return read(searcher -> {
            Query query = LuceneQueries.withoutVectors(path);
            List<Chunk> chunks = new ArrayList<>();
            // Counted first: a search for "all" hits sizes its queue to the whole index (half a
            // million entries, 12 MB of garbage for each file of the embedding phase).
            int matching = searcher.count(query);
            if (matching == 0) {
                return chunks;
            }
            StoredFields fields = searcher.storedFields();
            for (ScoreDoc hit : searcher.search(query, matching).scoreDocs) {
                chunks.add(ChunkDocuments.chunk(fields.document(hit.doc)));
            }
            chunks.sort(Comparator.comparingInt(Chunk::ordinal));
            return chunks;
        });
    }

    @Override
    public void scan(Consumer<StoredChunk> visitor) {
        Set<String> wanted = Set.of(ChunkDocuments.ID, Fields.PATH, Fields.ORDINAL, Fields.HASH);
        read(searcher -> {
            for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
                StoredFields fields = leaf.reader().storedFields();
                Bits live = leaf.reader().getLiveDocs();
                FixedBitSet embedded = new FixedBitSet(Math.max(1, leaf.reader().maxDoc()));
                for (String field : ChunkDocuments.VECTORS) {
                    FloatVectorValues vectors = leaf.reader().getFloatVectorValues(field);
                    if (vectors != null) {
                        for (int doc = vectors.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS;
                                doc = vectors.nextDoc()) {
                            embedded.set(doc);
                        }
                    }
                }
                for (int doc = 0; doc < leaf.reader().maxDoc(); doc++) {
                    if (live == null || live.get(doc)) {
                        Document d = fields.document(doc, wanted);
                        visitor.accept(new StoredChunk(d.get(ChunkDocuments.ID), d.get(Fields.PATH),
                                d.getField(Fields.ORDINAL).numericValue().intValue(), d.get(Fields.HASH), "",
                                embedded.get(doc)));
                    }
                }
            }
            return null;
        });
    }

    /** A read of the newest commit. */
    private <T> T read(CommitRead<T> read) {
        try {
            commits.maybeRefreshBlocking();
            IndexSearcher searcher = commits.acquire();
            try {
                return read.apply(searcher);
            } finally {
                commits.release(searcher);
            }
        } catch (IOException e) {
            throw LuceneIndex.failure(dir, info.name(), "read", e, "");
        }
    }

    @FunctionalInterface
    private interface CommitRead<T> {
        T apply(IndexSearcher searcher) throws IOException;
    }

    @Override
    public synchronized Map<String, float[]> vectors(Map<String, String> hashById) {
        if (hashById.isEmpty()) {
            return new HashMap<>();
        }
        try {
            if (snapshot == null) {
                // Opened once: a reader sees only commits, so deletes buffered since cannot hide old vectors.
                snapshot = DirectoryReader.open(readDirectory);
            }
            return ChunkDocuments.vectors(snapshot, hashById.keySet(), (stored, doc, id) -> hashById.get(id)
                    .equals(stored.get().document(doc, Set.of(Fields.HASH)).get(Fields.HASH)));
        } catch (IOException e) {
            throw LuceneIndex.failure(dir, info.name(), "read vectors from", e, "");
        }
    }

    @Override
    public synchronized StoreReader reader() {
        if (closed) {
            throw new IllegalStateException("the writer of collection '" + info.name() + "' is closed");
        }
        if (reader == null) {
            reader = LuceneReader.open(dir, info.name(), repo, Optional.of(info));
        }
        return reader;
    }

    /** Drops whatever was not committed: {@link #commit()} is the only way to persist. Safe twice. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (reader != null) {
                reader.close();
            }
            LuceneIndex.closeQuietly(snapshot, commits);
            indexing.shutdown();
            writer.rollback();
        } catch (IOException e) {
            throw new IndexerException("Could not close the index at " + dir + " (" + e.getMessage() + ").", e);
        } finally {
            LuceneIndex.closeQuietly(directory, readDirectory);
        }
    }

    private IndexerException writeFailed(Exception e) {
        if (e instanceof IndexerException fatal) {
            return fatal;
        }
        if (e instanceof RuntimeException unexpected && !(e instanceof UncheckedIOException)) {
            throw unexpected;
        }
        return new IndexerException("Could not write to the index at " + dir + " (" + e.getMessage()
                + "); check free disk space and permissions, then rerun.", e);
    }
}
