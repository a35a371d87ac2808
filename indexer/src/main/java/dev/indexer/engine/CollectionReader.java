package dev.indexer.engine;

import dev.indexer.config.ModelSpec;
import dev.indexer.lexical.CodeAnalyzer;
import dev.indexer.state.Manifest;
import dev.indexer.store.CollectionInfo;
import dev.indexer.store.HybridSearch;
import dev.indexer.store.SearchHit;
import dev.indexer.store.SearchMode;
import dev.indexer.store.SearchRequest;
import dev.indexer.store.StoreReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Searches a collection and reports its status: many per process, cheap to open, safe to use from
 * several threads at once. Each search sees what the newest commit made durable, whoever wrote it.
 * Opened by {@link Engine#openReader}, or taken from the {@link CollectionWriter} that writes the
 * collection (a server searches what it indexes).
 */
public final class CollectionReader implements AutoCloseable {
    private static final CodeAnalyzer ANALYZER = new CodeAnalyzer();
    /** How long the manifest's totals that searches quote are kept: a server answers many searches while a run changes them. */
    private static final long COVERAGE_NANOS = 2_000_000_000L;
    /** Lexical halves of hybrid searches that run beside their callers at once. */
    private static final int SEARCH_THREADS = Math.max(2, Runtime.getRuntime().availableProcessors());

    private final Workspace workspace;
    private final String name;
    private final ReadSource source;
    private final HybridSearch searching = new HybridSearch(SEARCH_THREADS);
    private Optional<Manifest.Totals> coverage = Optional.empty();
    private long coverageRead;

    CollectionReader(Workspace workspace, String name, ReadSource source) {
        this.workspace = workspace;
        this.name = name;
        this.source = source;
    }

    public String name() {
        return name;
    }

    /**
     * The chunks that best answer a query, best first, with what the asker should know about how it
     * was answered.
     *
     * @throws dev.indexer.IndexerException if there is no such collection, or its store cannot be read
     */
    public SearchResults search(SearchQuery query) {
        StoreReader store = source.store();
        SearchRequest request = request(store.info(), query);
        List<SearchHit> hits = searching.search(store, request);
        List<String> notes = new ArrayList<>();
        source.damage().ifPresent(notes::add);
        if (query.mode() != SearchMode.LEXICAL) {
            coverage().filter(totals -> totals.pendingChunks() > 0).ifPresent(totals -> notes.add(String.format(
                    Locale.ROOT, "meaning search covers %,d of %,d chunks so far; the other %,d are found"
                            + " by their words until their vectors are made (indexer index continues that)",
                    totals.embeddedChunks(), totals.chunks(), totals.pendingChunks())));
        }
        if (query.mode() != SearchMode.VECTOR) {
            long words = ANALYZER.terms(query.text()).stream().distinct().count();
            if (words > store.maxQueryTerms()) {
                notes.add(String.format(Locale.ROOT, "the query has %,d distinct words; the lexical search kept"
                        + " at most %,d, the rarest of those the collection has", words, store.maxQueryTerms()));
            }
        }
        return new SearchResults(hits, notes);
    }

    /**
     * The store's request for {@code query}: the query is embedded with the model the collection's
     * vectors were made with, only when a search needs it; a lexical search needs no model at all.
     */
    private SearchRequest request(CollectionInfo info, SearchQuery query) {
        if (query.mode() == SearchMode.LEXICAL) {
            return new SearchRequest(query.text(), (float[]) null, query.k(), query.mode(), query.language(),
                    query.path());
        }
        ModelSpec model = Models.of(info);
        Supplier<float[]> embedding = () -> source.embedder(model).embedQuery(query.text());
        return new SearchRequest(query.text(), embedding, query.k(), query.mode(), query.language(), query.path(),
                model.hybridVectorWeight());
    }

    /** The manifest's totals as searches quote them: read at most every couple of seconds. */
    private synchronized Optional<Manifest.Totals> coverage() {
        long now = System.nanoTime();
        if (coverageRead == 0 || now - coverageRead > COVERAGE_NANOS) {
            coverageRead = now;
            coverage = source.manifest(Manifest::totals);
        }
        return coverage;
    }

    /** What the collection was built with and where it follows. */
    public CollectionInfo info() {
        return source.store().info();
    }

    /**
     * What the manifest counts now: files, chunks, and those still waiting for vectors. Reads no
     * tree (unlike {@link #status}); empty when this machine has no manifest for the collection.
     */
    public Optional<Manifest.Totals> totals() {
        return source.manifest(Manifest::totals);
    }

    /**
     * What the collection holds and what a rerun would do for {@code tree} (default: the tree it
     * was last indexed from); reads no file contents. A store that cannot be read is reported in
     * {@link CollectionStatus#storeError()} when this machine has the manifest, else thrown.
     */
    public CollectionStatus status(Optional<Path> tree) {
        return StatusReport.of(workspace, name, source, tree);
    }

    /** Releases what this reader opened (not what it borrows from a writer). Safe twice. */
    @Override
    public void close() {
        try {
            searching.close();
        } finally {
            source.close();
        }
    }
}
