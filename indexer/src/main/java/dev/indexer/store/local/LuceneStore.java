package dev.indexer.store.local;

import dev.indexer.IndexerException;
import dev.indexer.chunk.Chunk;
import dev.indexer.chunk.ChunkContext;
import dev.indexer.lexical.CodeAnalyzer;
import dev.indexer.store.CollectionInfo;
import dev.indexer.store.EmbeddedChunk;
import dev.indexer.store.SearchHit;
import dev.indexer.store.SearchRequest;
import dev.indexer.store.VectorStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import org.apache.lucene.codecs.Codec;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene912.Lucene912Codec;
import org.apache.lucene.codecs.lucene99.Lucene99HnswScalarQuantizedVectorsFormat;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.index.TieredMergePolicy;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.FieldExistsQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.RegexpQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.MMapDirectory;
import org.apache.lucene.store.NIOFSDirectory;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.BytesRef;

/**
 * The embedded store: a Lucene index in a memory-mapped directory. Vectors go into an HNSW graph
 * over int7 scalar-quantized vectors (Lucene keeps the float originals on disk for re-scoring);
 * path, lines, language and text are stored fields; the text is also indexed for lexical search.
 * The collection's model, dimension and root are kept in the commit's user data.
 */
public final class LuceneStore implements VectorStore {
    static final String ID = "id";
    static final String PATH = "path";
    static final String START = "start";
    static final String END = "end";
    static final String LANGUAGE = "lang";
    static final String TEXT = "text";
    static final String CONTENT = "content";
    static final String SYMBOL = "symbol";
    static final String SYMBOL_WORDS = "symbol_words";
    static final String KIND = "kind";
    static final String CONTAINER = "container";
    static final String HEADER = "header";
    static final String HASH = "hash";
    static final String ORDINAL = "ordinal";
    static final String TOKENS = "tokens";

    /** A term found in a chunk's symbol name counts this much more than one in its text. */
    private static final float SYMBOL_BOOST = 2f;
    static final String VECTOR = "vector";

    /**
     * Bounds segment size: building a merged segment's HNSW graph takes heap in proportion to its
     * vectors, so capping segments keeps merge memory flat as the index grows. (160 MB was tried
     * with 128-token chunks: 30 MB less at one point of the JDK's build, but the heap still held
     * graphs of 180,000 nodes later on, and the lexical phase took 7 s longer.)
     */
    private static final double MAX_SEGMENT_MB = 256;

    /**
     * Threads that index documents at once. Two: on the machines this runs on the reading stage and
     * the model use the other cores, and Lucene gives each thread its own in-memory segment.
     */
    private static final int INDEXING_THREADS = 2;

    /** Stateless once built, and thread-safe: one for every query. */
    private static final CodeAnalyzer ANALYZER = new CodeAnalyzer();

    private final Path dir;
    private final CollectionInfo info;
    private final Optional<CollectionInfo> previous;
    /**
     * What the writer and its merges go through ({@link WriterDirectory}: plain reads, but for the
     * files merges read at random); the writer's own reads (counts, scans, vector lookups) go
     * through {@link #readDirectory}.
     */
    private final Directory directory;
    /** The writer's own reads: plain reads, so what they touch is not counted as this process's memory. */
    private final Directory readDirectory;
    /** Searches read memory-mapped files: the fastest way to random access, and pages shared. */
    private final Directory searchDirectory;
    private final IndexWriter writer;
    /** Threads that index documents beside the caller; only when writing. */
    private final ParallelIndexing indexing;
    private DirectoryReader snapshot;
    /** The newest commit's reader, shared by counts and scans; see {@link #latest}. */
    private DirectoryReader current;
    /** The same for searches, through {@link #searchDirectory}; the same reader when read-only. */
    private DirectoryReader searching;
    private boolean closed;

    private LuceneStore(Path dir, CollectionInfo info, Optional<CollectionInfo> previous, Directory directory,
            Directory readDirectory, Directory searchDirectory, IndexWriter writer) {
        this.dir = dir;
        this.info = info;
        this.previous = previous;
        this.directory = directory;
        this.readDirectory = readDirectory;
        this.searchDirectory = searchDirectory;
        this.writer = writer;
        this.indexing = writer == null ? null : new ParallelIndexing(INDEXING_THREADS);
    }

    /**
     * Opens a collection for writing, creating it if needed. A collection whose tree has moved
     * (another root) is taken over: paths are stored relative to the root, so they still hold.
     *
     * @throws IndexerException if it exists with another model or dimension
     */
    public static LuceneStore openForWriting(Path dir, CollectionInfo expected) {
        return openForWriting(dir, expected, 32);
    }

    /**
     * Opens a collection for writing with an indexing buffer of {@code ramBufferMB}: it bounds the
     * heap held by buffered documents; a flush writes a segment and frees it.
     */
    public static LuceneStore openForWriting(Path dir, CollectionInfo expected, int ramBufferMB) {
        return openForWriting(dir, expected, ramBufferMB, true);
    }

    /**
     * As {@link #openForWriting(Path, CollectionInfo, int)}; without {@code merging} no segments
     * are ever merged: what a run whose merges were all rolled back leaves, for tests.
     */
    static LuceneStore openForWriting(Path dir, CollectionInfo expected, int ramBufferMB, boolean merging) {
        Directory directory = null;
        Directory readDirectory = null;
        Directory searchDirectory = null;
        try {
            Files.createDirectories(dir);
            directory = new WriterDirectory(dir);
            readDirectory = new NIOFSDirectory(dir);
            searchDirectory = new MMapDirectory(dir);
            Optional<CollectionInfo> existing = Optional.empty();
            if (DirectoryReader.indexExists(directory)) {
                existing = Optional.of(readInfo(directory, expected.name()));
                checkCompatible(existing.get(), expected);
            }
            IndexWriterConfig config = writerConfig(ramBufferMB);
            if (!merging) {
                config.setMergePolicy(org.apache.lucene.index.NoMergePolicy.INSTANCE);
            }
            IndexWriter writer = new IndexWriter(directory, config);
            writer.setLiveCommitData(expected.metadata().entrySet());
            if (existing.isEmpty()) {
                // An empty first commit: the collection exists, and readers can open it, from the start.
                writer.commit();
            }
            return new LuceneStore(dir, expected, existing, directory, readDirectory, searchDirectory, writer);
        } catch (IOException e) {
            closeQuietly(directory);
            closeQuietly(readDirectory);
            closeQuietly(searchDirectory);
            throw failure(dir, expected.name(), "open", e,
                    "check that the directory is writable and not used by another process");
        } catch (RuntimeException e) {
            closeQuietly(directory);
            closeQuietly(readDirectory);
            closeQuietly(searchDirectory);
            throw e;
        }
    }

    /**
     * Opens a collection for searching only.
     *
     * @throws IndexerException if there is no collection in {@code dir}
     */
    public static LuceneStore openForReading(Path dir, String name) {
        Directory directory = null;
        try {
            // Checked first because opening a Lucene directory creates it.
            if (!Files.isDirectory(dir)) {
                throw noCollection(dir, name);
            }
            directory = new MMapDirectory(dir);
            if (!DirectoryReader.indexExists(directory)) {
                throw noCollection(dir, name);
            }
            CollectionInfo info = readInfo(directory, name);
            return new LuceneStore(dir, info, Optional.of(info), directory, directory, directory, null);
        } catch (IOException e) {
            closeQuietly(directory);
            throw failure(dir, name, "read", e, "");
        } catch (RuntimeException e) {
            closeQuietly(directory);
            throw e;
        }
    }

    private static IndexerException noCollection(Path dir, String name) {
        return new IndexerException("There is no collection '" + name + "' (looked in " + dir
                + "); index one first with: indexer index PATH --collection " + name);
    }

    private static IndexWriterConfig writerConfig(int ramBufferMB) {
        IndexWriterConfig config = new IndexWriterConfig(new CodeAnalyzer());
        config.setCodec(codec());
        config.setRAMBufferSizeMB(ramBufferMB);
        config.setCommitOnClose(false);
        // Separate files, so that a merge's vector files can be mapped and the rest read plainly
        // (a compound file would also be one more full copy of every merged segment).
        config.setUseCompoundFile(false);
        TieredMergePolicy merges = new TieredMergePolicy();
        merges.setNoCFSRatio(0.0);
        merges.setMaxMergedSegmentMB(MAX_SEGMENT_MB);
        config.setMergePolicy(merges);
        // One merge at a time: each builds its segment's vector graph on the heap, and two at once
        // (Lucene's default here) held twice that.
        org.apache.lucene.index.ConcurrentMergeScheduler scheduler = new org.apache.lucene.index.ConcurrentMergeScheduler();
        scheduler.setMaxMergesAndThreads(4, 1);
        config.setMergeScheduler(scheduler);
        return config;
    }

    private static Codec codec() {
        KnnVectorsFormat quantized = new Lucene99HnswScalarQuantizedVectorsFormat();
        return new Lucene912Codec() {
            @Override
            public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
                return quantized;
            }
        };
    }

    private static void checkCompatible(CollectionInfo existing, CollectionInfo expected) {
        if (!existing.model().equals(expected.model()) || existing.dimension() != expected.dimension()) {
            throw new IndexerException("Collection '" + expected.name() + "' was built with model " + existing.model()
                    + " (" + existing.dimension() + " dimensions), not " + expected.model() + " ("
                    + expected.dimension() + "); rerun with --model " + existing.model()
                    + ", or with --reindex to rebuild it with " + expected.model() + ".");
        }
    }

    private static CollectionInfo readInfo(Directory directory, String name) throws IOException {
        Map<String, String> data = SegmentInfos.readLatestCommit(directory).getUserData();
        String model = data.get(CollectionInfo.MODEL_KEY);
        String dimension = data.get(CollectionInfo.DIMENSION_KEY);
        if (model == null || dimension == null) {
            throw new IndexerException("The index of collection '" + name + "' has no model recorded; it was not made"
                    + " by this indexer or is damaged; delete it and index again.");
        }
        return new CollectionInfo(name, model, Integer.parseInt(dimension), data.getOrDefault(CollectionInfo.ROOT_KEY, ""));
    }

    @Override
    public CollectionInfo info() {
        return info;
    }

    @Override
    public Optional<Path> localDirectory() {
        return Optional.of(dir);
    }

    @Override
    public Optional<CollectionInfo> previous() {
        return previous;
    }

    @Override
    public void deleteFile(String path) {
        IndexWriter w = writable();
        try {
            // A delete removes what was indexed before it: the file's chunks still on their way must land first.
            indexing.awaitPath(path);
            w.deleteDocuments(new Term(PATH, path));
        } catch (Exception e) {
            throw writeFailed(e);
        }
    }

    /** Indexed on {@link ParallelIndexing}'s threads; visible and durable at the next {@link #commit()}. */
    @Override
    public void upsert(List<EmbeddedChunk> chunks) {
        IndexWriter w = writable();
        for (EmbeddedChunk embedded : chunks) {
            if (embedded.hasVector() && embedded.vector().length != info.dimension()) {
                throw new IllegalArgumentException("vector of " + embedded.vector().length + " dimensions for a "
                        + info.dimension() + "-dimension collection");
            }
        }
        if (chunks.isEmpty()) {
            return;
        }
        List<EmbeddedChunk> batch = List.copyOf(chunks); // the caller reuses its list
        try {
            indexing.submit(ParallelIndexing.pathsOf(batch), () -> {
                for (EmbeddedChunk embedded : batch) {
                    w.updateDocument(new Term(ID, embedded.chunk().id()), toDocument(embedded));
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
        for (EmbeddedChunk chunk : chunks) {
            if (!chunk.hasVector()) {
                throw new IllegalArgumentException("addVectors needs vectors: " + chunk.chunk().id());
            }
        }
        upsert(chunks);
    }

    @Override
    public List<Chunk> chunksWithoutVectors(String path) {
        try (DirectoryReader reader = latest()) {
            IndexSearcher searcher = new IndexSearcher(reader);
            Query query = new BooleanQuery.Builder()
                    .add(new TermQuery(new Term(PATH, path)), BooleanClause.Occur.FILTER)
                    .add(new FieldExistsQuery(VECTOR), BooleanClause.Occur.MUST_NOT)
                    .build();
            List<Chunk> chunks = new ArrayList<>();
            // Counted first: a search for "all" hits sizes its queue to the whole index (half a
            // million entries, 12 MB of garbage for each file of the embedding phase).
            int matching = searcher.count(query);
            if (matching == 0) {
                return chunks;
            }
            StoredFields fields = searcher.storedFields();
            for (ScoreDoc hit : searcher.search(query, matching).scoreDocs) {
                chunks.add(chunkOf(fields.document(hit.doc)));
            }
            chunks.sort(java.util.Comparator.comparingInt(Chunk::ordinal));
            return chunks;
        } catch (IOException e) {
            throw failure(dir, info.name(), "read", e, "");
        }
    }

    /** The chunk a stored document holds, as the chunker made it. */
    private static Chunk chunkOf(Document doc) {
        return new Chunk(doc.get(PATH), doc.getField(ORDINAL).numericValue().intValue(),
                doc.getField(START).numericValue().intValue(), doc.getField(END).numericValue().intValue(),
                doc.get(LANGUAGE), doc.get(TEXT), doc.getField(TOKENS).numericValue().intValue(),
                new ChunkContext(doc.get(HEADER), Objects.toString(doc.get(SYMBOL), ""),
                        Objects.toString(doc.get(KIND), ""), Objects.toString(doc.get(CONTAINER), "")));
    }

    private static Document toDocument(EmbeddedChunk embedded) {
        Chunk chunk = embedded.chunk();
        Document doc = new Document();
        doc.add(new StringField(ID, chunk.id(), Field.Store.YES));
        doc.add(new StringField(PATH, chunk.path(), Field.Store.YES));
        doc.add(new StoredField(START, chunk.startLine()));
        doc.add(new StoredField(END, chunk.endLine()));
        doc.add(new StringField(LANGUAGE, chunk.language(), Field.Store.YES));
        doc.add(new StoredField(TEXT, chunk.text()));
        // The lexical index sees what the model sees: header (path, signatures) and text.
        doc.add(new TextField(CONTENT, chunk.embedText(), Field.Store.NO));
        ChunkContext context = chunk.context();
        doc.add(new StoredField(SYMBOL, context.symbol()));
        doc.add(new TextField(SYMBOL_WORDS, context.symbol() + " " + context.container(), Field.Store.NO));
        doc.add(new StoredField(KIND, context.kind()));
        doc.add(new StoredField(CONTAINER, context.container()));
        doc.add(new StoredField(HEADER, context.header()));
        doc.add(new StoredField(HASH, chunk.hash()));
        doc.add(new StoredField(ORDINAL, chunk.ordinal()));
        doc.add(new StoredField(TOKENS, chunk.tokens()));
        if (embedded.hasVector()) {
            doc.add(new KnnFloatVectorField(VECTOR, embedded.vector(), VectorSimilarityFunction.DOT_PRODUCT));
        }
        return doc;
    }

    @Override
    public void commit() {
        IndexWriter w = writable();
        try {
            indexing.awaitAll();
            w.commit();
        } catch (Exception e) {
            throw writeFailed(e);
        }
    }

    /**
     * Runs the merges the merge policy asks for and commits them. A run's last merges are rolled
     * back when its writer closes (it does not commit on close), so a collection is left with many
     * small segments, and a vector search visits every segment's graph: the JDK's 383k chunks were
     * left in 57 segments. A server calls this when it is idle.
     */
    @Override
    public boolean settle(java.util.function.BooleanSupplier stop) {
        IndexWriter w = writable();
        try {
            w.maybeMerge();
            while (w.hasPendingMerges() || !w.getMergingSegments().isEmpty()) {
                if (stop.getAsBoolean()) {
                    return false;
                }
                Thread.sleep(250);
            }
            if (w.hasUncommittedChanges()) {
                w.commit();
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            throw writeFailed(e);
        }
    }

    /**
     * A reader of the newest commit, with a reference the caller releases by closing it. Reopened
     * only when a commit happened since: a run of queries ({@code search --queries}, the
     * evaluation, a hybrid query's two halves) shares one reader instead of opening the index for
     * each.
     */
    private synchronized DirectoryReader latest() throws IOException {
        current = newest(current, readDirectory);
        current.incRef();
        return current;
    }

    /** As {@link #latest()}, for searches: memory-mapped. */
    private synchronized DirectoryReader latestForSearch() throws IOException {
        if (searchDirectory == readDirectory) {
            return latest();
        }
        searching = newest(searching, searchDirectory);
        searching.incRef();
        return searching;
    }

    private static DirectoryReader newest(DirectoryReader reader, Directory from) throws IOException {
        if (reader == null) {
            return DirectoryReader.open(from);
        }
        DirectoryReader newer = DirectoryReader.openIfChanged(reader);
        if (newer == null) {
            return reader;
        }
        reader.decRef();
        return newer;
    }

    @Override
    public List<SearchHit> searchOne(SearchRequest request) {
        try (DirectoryReader reader = latestForSearch()) {
            IndexSearcher searcher = new IndexSearcher(reader);
            Query filter = filter(request);
            int n = request.k();
            return switch (request.mode()) {
                case VECTOR -> hits(searcher,
                        searcher.search(new KnnFloatVectorQuery(VECTOR, request.vector(), n, filter), n),
                        // Lucene scores a dot product d of unit vectors as (1 + d) / 2.
                        score -> 2 * score - 1);
                case LEXICAL -> {
                    Optional<Query> words = lexicalQuery(reader, request.text(), filter);
                    yield words.isEmpty() ? List.of() : hits(searcher, searcher.search(words.get(), n), score -> score);
                }
                case HYBRID -> throw new IllegalArgumentException("hybrid requests are split by HybridSearch");
            };
        } catch (IOException e) {
            throw failure(dir, info.name(), "search", e, "");
        }
    }

    /** The language and path filters, or null for none. */
    private static Query filter(SearchRequest request) {
        if (request.language().isEmpty() && request.path().isEmpty()) {
            return null;
        }
        BooleanQuery.Builder filter = new BooleanQuery.Builder();
        request.language().ifPresent(l -> filter.add(new TermQuery(new Term(LANGUAGE, l)), BooleanClause.Occur.FILTER));
        request.path().ifPresent(g -> filter.add(
                new RegexpQuery(new Term(PATH, g.luceneRegexp())), BooleanClause.Occur.FILTER));
        return filter.build();
    }

    /**
     * The most distinct words a lexical query searches by: each makes two clauses (text and symbol
     * names), and Lucene refuses a query of over 1,024 clauses. A longer query (a pasted stack trace,
     * a file) keeps its rarest words, which say the most about where it comes from.
     */
    static final int MAX_QUERY_TERMS = 256;

    @Override
    public int maxQueryTerms() {
        return MAX_QUERY_TERMS;
    }

    /** BM25 over the query's code-aware terms in text and symbol names; empty if it has no terms. */
    private static Optional<Query> lexicalQuery(IndexReader reader, String text, Query filter) throws IOException {
        List<String> terms = new ArrayList<>(new LinkedHashSet<>(ANALYZER.terms(text)));
        if (terms.isEmpty()) {
            return Optional.empty();
        }
        if (terms.size() > MAX_QUERY_TERMS) {
            Map<String, Integer> frequency = new HashMap<>();
            for (String term : terms) {
                frequency.put(term, reader.docFreq(new Term(CONTENT, term)));
            }
            // Words the collection does not have match nothing; of the rest, the rarest say the most.
            terms.removeIf(term -> frequency.get(term) == 0);
            terms.sort(java.util.Comparator.comparingInt(frequency::get)); // stable: ties keep the query's order
            terms = terms.subList(0, Math.min(terms.size(), MAX_QUERY_TERMS));
            if (terms.isEmpty()) {
                return Optional.empty();
            }
        }
        BooleanQuery.Builder words = new BooleanQuery.Builder();
        for (String term : terms) {
            words.add(new TermQuery(new Term(CONTENT, term)), BooleanClause.Occur.SHOULD);
            words.add(new BoostQuery(new TermQuery(new Term(SYMBOL_WORDS, term)), SYMBOL_BOOST), BooleanClause.Occur.SHOULD);
        }
        words.setMinimumNumberShouldMatch(1);
        if (filter == null) {
            return Optional.of(words.build());
        }
        return Optional.of(new BooleanQuery.Builder()
                .add(words.build(), BooleanClause.Occur.MUST)
                .add(filter, BooleanClause.Occur.FILTER)
                .build());
    }

    private static List<SearchHit> hits(IndexSearcher searcher, TopDocs top, java.util.function.DoubleUnaryOperator score)
            throws IOException {
        StoredFields fields = searcher.storedFields();
        List<SearchHit> hits = new ArrayList<>(top.scoreDocs.length);
        for (ScoreDoc scored : top.scoreDocs) {
            Document doc = fields.document(scored.doc);
            hits.add(new SearchHit(
                    doc.get(ID),
                    doc.get(PATH),
                    doc.getField(START).numericValue().intValue(),
                    doc.getField(END).numericValue().intValue(),
                    doc.get(LANGUAGE),
                    doc.get(TEXT),
                    (float) score.applyAsDouble(scored.score),
                    Objects.toString(doc.get(SYMBOL), ""),
                    Objects.toString(doc.get(KIND), ""),
                    Objects.toString(doc.get(CONTAINER), "")));
        }
        return hits;
    }

    @Override
    public synchronized Map<String, float[]> vectors(Map<String, String> hashById) {
        Map<String, float[]> found = new HashMap<>();
        if (hashById.isEmpty()) {
            return found;
        }
        try {
            if (snapshot == null) {
                // Opened once: a reader sees only commits, so deletes buffered since cannot hide old vectors.
                snapshot = DirectoryReader.open(readDirectory);
            }
            for (LeafReaderContext leaf : snapshot.leaves()) {
                Terms terms = leaf.reader().terms(ID);
                if (terms == null || leaf.reader().getFloatVectorValues(VECTOR) == null) {
                    continue;
                }
                TermsEnum termsEnum = terms.iterator();
                Bits live = leaf.reader().getLiveDocs();
                StoredFields stored = leaf.reader().storedFields();
                for (Map.Entry<String, String> wanted : hashById.entrySet()) {
                    String id = wanted.getKey();
                    if (found.containsKey(id) || !termsEnum.seekExact(new BytesRef(id))) {
                        continue;
                    }
                    PostingsEnum postings = termsEnum.postings(null, PostingsEnum.NONE);
                    for (int doc = postings.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = postings.nextDoc()) {
                        if (live != null && !live.get(doc)) {
                            continue;
                        }
                        if (!wanted.getValue().equals(stored.document(doc, Set.of(HASH)).get(HASH))) {
                            continue;
                        }
                        // Vector values iterate forwards only, so each lookup gets a fresh iterator.
                        FloatVectorValues fresh = leaf.reader().getFloatVectorValues(VECTOR);
                        if (fresh.advance(doc) == doc) {
                            found.put(id, fresh.vectorValue().clone());
                        }
                    }
                }
            }
            return found;
        } catch (IOException e) {
            throw failure(dir, info.name(), "read vectors from", e, "");
        }
    }

    @Override
    public void scan(BiConsumer<String, String> visitor) {
        try (DirectoryReader reader = latest()) {
            for (LeafReaderContext leaf : reader.leaves()) {
                StoredFields fields = leaf.reader().storedFields();
                Bits live = leaf.reader().getLiveDocs();
                for (int doc = 0; doc < leaf.reader().maxDoc(); doc++) {
                    if (live == null || live.get(doc)) {
                        Document d = fields.document(doc);
                        visitor.accept(d.get(ID), d.get(PATH));
                    }
                }
            }
        } catch (IOException e) {
            throw failure(dir, info.name(), "read", e, "");
        }
    }

    @Override
    public long count() {
        try (DirectoryReader reader = latest()) {
            return reader.numDocs();
        } catch (IOException e) {
            throw failure(dir, info.name(), "read", e, "");
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (snapshot != null) {
                snapshot.close();
            }
            synchronized (this) {
                if (current != null) {
                    current.decRef();
                }
                if (searching != null) {
                    searching.decRef();
                }
            }
            if (writer != null) {
                indexing.shutdown();
                writer.rollback(); // drops whatever was not committed; commit() is the only way to persist
            }
        } catch (IOException e) {
            throw new IndexerException("Could not close the index at " + dir + " (" + e.getMessage() + ").", e);
        } finally {
            closeQuietly(directory);
            if (readDirectory != directory) {
                closeQuietly(readDirectory);
            }
            if (searchDirectory != directory) {
                closeQuietly(searchDirectory);
            }
        }
    }

    private IndexWriter writable() {
        if (writer == null) {
            throw new IllegalStateException("collection '" + info.name() + "' was opened for reading");
        }
        return writer;
    }

    /**
     * The sentence for a failed read or open. Missing or corrupt index files mean the index was
     * damaged from outside (files deleted, a disk error, an interrupted copy): no retry helps, a
     * rebuild does; anything else gets {@code remedy}.
     */
    private static IndexerException failure(Path dir, String collection, String action, IOException e, String remedy) {
        if (e instanceof java.nio.file.NoSuchFileException || e instanceof java.io.FileNotFoundException
                || e instanceof org.apache.lucene.index.CorruptIndexException
                || e instanceof org.apache.lucene.index.IndexFormatTooOldException
                || e instanceof org.apache.lucene.index.IndexFormatTooNewException) {
            String what = e instanceof java.nio.file.NoSuchFileException missing && missing.getFile() != null
                    ? "missing file " + Path.of(missing.getFile()).getFileName() : e.getMessage();
            return new IndexerException("The index of collection '" + collection + "' at " + dir + " is damaged ("
                    + what + "); rebuild it with: indexer index PATH --collection " + collection + " --reindex", e);
        }
        return new IndexerException("Could not " + action + " the index at " + dir + " (" + e.getMessage() + ")"
                + (remedy.isEmpty() ? "." : "; " + remedy + "."), e);
    }

    private IndexerException writeFailed(Exception e) {
        if (e instanceof IndexerException fatal) {
            return fatal;
        }
        if (e instanceof RuntimeException unexpected && !(e instanceof java.io.UncheckedIOException)) {
            throw unexpected;
        }
        return new IndexerException("Could not write to the index at " + dir + " (" + e.getMessage()
                + "); check free disk space and permissions, then rerun.", e);
    }

    private static void closeQuietly(Directory directory) {
        if (directory != null) {
            try {
                directory.close();
            } catch (IOException ignored) {
                // nothing more to release
            }
        }
    }
}
