package dev.indexer.store.local;

import dev.indexer.chunk.Chunk;
import dev.indexer.lexical.Searchers;
import dev.indexer.store.CollectionInfo;
import dev.indexer.store.SearchHit;
import dev.indexer.store.SearchRequest;
import dev.indexer.store.StoreReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.DoubleUnaryOperator;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.MMapDirectory;

/**
 * Searches the embedded store through memory-mapped files (the fastest way to random access, and
 * pages shared with every other reader of the index). Lucene's {@link SearcherManager} keeps one
 * searcher of the newest commit: each search first looks for a newer commit (a directory listing
 * when there is none) and a run of queries shares one reader instead of opening the index for each.
 */
final class LuceneReader implements StoreReader {
    private final Path dir;
    private final CollectionInfo info;
    /** The repository the index holds: every hit says it. */
    private final String repo;
    private final Directory directory;
    private final Searchers searchers;

    private LuceneReader(Path dir, CollectionInfo info, String repo, Directory directory, Searchers searchers) {
        this.dir = dir;
        this.info = info;
        this.repo = repo;
        this.directory = directory;
        this.searchers = searchers;
    }

    /**
     * Opens the collection in {@code dir} for searching.
     *
     * @param info what it was built with, when the caller knows already (its writer); else read from the index
     * @throws dev.indexer.IndexerException if there is no collection in {@code dir}
     */
    static LuceneReader open(Path dir, String name, Optional<CollectionInfo> info) {
        return open(dir, name, name, info);
    }

    static LuceneReader open(Path dir, String name, String repo, Optional<CollectionInfo> info) {
        // Checked first because opening a Lucene directory creates it.
        if (!Files.isDirectory(dir)) {
            throw LuceneIndex.noCollection(dir, name);
        }
        Directory directory = null;
        try {
            directory = new MMapDirectory(dir);
            if (!DirectoryReader.indexExists(directory)) {
                throw LuceneIndex.noCollection(dir, name);
            }
            CollectionInfo known = info.isPresent() ? info.get() : LuceneIndex.readInfo(directory, name);
            return new LuceneReader(dir, known, repo, directory, new Searchers(directory));
        } catch (IOException | RuntimeException e) {
            LuceneIndex.closeQuietly(directory);
            throw e instanceof IOException io ? LuceneIndex.failure(dir, name, "read", io, "") : (RuntimeException) e;
        }
    }

    @Override
    public CollectionInfo info() {
        return info;
    }

    @Override
    public int maxQueryTerms() {
        return LuceneQueries.MAX_QUERY_TERMS;
    }

    @Override
    public long count() {
        return withSearcher("read", searcher -> (long) searcher.getIndexReader().numDocs());
    }

    @Override
    public List<SearchHit> searchOne(SearchRequest request) {
        int n = request.k();
        return withSearcher("search", searcher -> switch (request.mode()) {
            // Lucene scores a dot product d of unit vectors as (1 + d) / 2.
            case VECTOR -> hits(searcher, searcher.search(LuceneQueries.nearest(request, n), n),
                    score -> 2 * score - 1, repo);
            case LEXICAL -> {
                Optional<Query> words = LuceneQueries.words(searcher.getIndexReader(), request);
                yield words.isEmpty() ? List.of()
                        : hits(searcher, searcher.search(words.get(), n), score -> score, repo);
            }
            case HYBRID -> throw new IllegalArgumentException("hybrid requests are split by HybridSearch");
        });
    }

    @Override
    public Map<String, Chunk> withoutVectors(Collection<String> ids) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        return withSearcher("read", searcher -> {
            StoredFields fields = searcher.storedFields();
            Map<String, Chunk> chunks = new HashMap<>();
            for (ScoreDoc hit : searcher.search(LuceneQueries.withoutVectors(ids), ids.size()).scoreDocs) {
                Chunk chunk = ChunkDocuments.chunk(fields.document(hit.doc));
                chunks.put(chunk.id(), chunk);
            }
            return chunks;
        });
    }

    @Override
    public Map<String, float[]> vectorsOf(Collection<String> ids) {
        return ids.isEmpty() ? Map.of() : withSearcher("read", searcher ->
                ChunkDocuments.vectors(searcher.getIndexReader(), ids, ChunkDocuments.Wanted.ALL));
    }

    /** {@code read} with a searcher of the newest commit ({@link Searchers#withNewest}). */
    private <T> T withSearcher(String what, Searchers.Read<T> read) {
        try {
            return searchers.withNewest(read);
        } catch (IOException e) {
            throw LuceneIndex.failure(dir, info.name(), what, e, "");
        }
    }

    private static List<SearchHit> hits(IndexSearcher searcher, TopDocs top, DoubleUnaryOperator score, String repo)
            throws IOException {
        StoredFields fields = searcher.storedFields();
        List<SearchHit> hits = new ArrayList<>(top.scoreDocs.length);
        for (ScoreDoc scored : top.scoreDocs) {
            hits.add(ChunkDocuments.hit(fields.document(scored.doc), (float) score.applyAsDouble(scored.score))
                    .inRepo(repo));
        }
        return hits;
    }

    @Override
    public synchronized void close() {
        // Searches holding a searcher finish with it: it is released, not closed under them.
        LuceneIndex.closeQuietly(searchers, directory);
    }
}
