package dev.indexer.store;

import dev.indexer.IndexerException;
import dev.indexer.lexical.CodeAnalyzer;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Search, the same over every store and for every caller: the command line, the servers, the
 * evaluation and the store contract all go through {@link #search}. A hybrid search runs a vector
 * and a lexical search, each for {@link #candidates} hits, and fuses them by weighted, min-max
 * normalised scores ({@link Fusion#minMax}) with the model's weight for the vector list; in every
 * mode pieces of one definition are then joined ({@link HitMerging}). Lexical candidates that the
 * vector half's graph search missed but an exact search would have listed are put back in the
 * vector list by their stored vectors ({@link GraphMisses}).
 *
 * <p>The lexical half of a hybrid search runs on one of a few threads of this object's while the
 * caller embeds the query and runs the vector half, so the answer comes when the slower half is
 * done rather than after both. When all those threads are busy the caller runs the lexical half
 * itself first: the threads are bounded, the searches are not refused. On the 2 cores measured
 * (the JDK's 383k chunks: hybrid 29.6 ms at the median, vector 21.5, lexical 8.8) the overlap
 * gains little, the model's two threads having the cores.
 *
 * <p>Before fusing, lexical hits that share too few words with the query are dropped: a query of
 * six words that a chunk matches by one common word ("string") is weak evidence, and on a small
 * tree, where the lexical list is short, its scaled score would still be high. A hit must hold a
 * third of the query's distinct terms (at least one). On the tuning half this filter made no
 * difference in MRR (0.727 with it, 0.731 without) and raised span recall (0.836, 0.833).
 */
public final class HybridSearch implements AutoCloseable {
    private static final CodeAnalyzer ANALYZER = new CodeAnalyzer();

    private final ThreadPoolExecutor lexicalHalves;
    private final Landing landing;

    /** @param threads the most lexical halves that run beside their callers at once */
    public HybridSearch(int threads) {
        this(threads, Landing.SHIPPED);
    }

    /**
     * @param threads the most lexical halves that run beside their callers at once
     * @param landing how hits land on definitions (the evaluation tries others)
     */
    public HybridSearch(int threads, Landing landing) {
        this.landing = landing;
        this.lexicalHalves = new ThreadPoolExecutor(0, threads, 60, TimeUnit.SECONDS, new SynchronousQueue<>(),
                task -> {
                    Thread thread = new Thread(task, "indexer-search");
                    thread.setDaemon(true);
                    return thread;
                }, new ThreadPoolExecutor.CallerRunsPolicy());
    }

    /** The chunks of {@code store} that best answer {@code request}, best first, at most {@code request.k()}. */
    public List<SearchHit> search(StoreReader store, SearchRequest request) {
        return search(store, request, Optional.empty(), Landing.Definitions.NONE).hits();
    }

    /**
     * An answer: the hits, best first, and how many chunks were embedded for it.
     *
     * @param embeddedNow chunks of the lexical half embedded while the search ran ({@link QueryTimeVectors})
     * @param hitsEmbeddedNow the ids of the hits among them
     */
    public record Answer(List<SearchHit> hits, int embeddedNow, Set<String> hitsEmbeddedNow) {
        public Answer {
            hits = List.copyOf(hits);
            hitsEmbeddedNow = Set.copyOf(hitsEmbeddedNow);
        }
    }

    /** As {@link #search(StoreReader, SearchRequest, Optional, Landing.Definitions)}, hits left as ranked. */
    public Answer search(StoreReader store, SearchRequest request, Optional<QueryTimeVectors> late) {
        return search(store, request, late, Landing.Definitions.NONE);
    }

    /**
     * As {@link #search(StoreReader, SearchRequest)}; a hybrid search also embeds the lexical
     * candidates that have no vector yet, as {@code late} bounds it, and hits land on the
     * definitions that {@code definitions} knows ({@link Landing}).
     */
    public Answer search(StoreReader store, SearchRequest request, Optional<QueryTimeVectors> late,
            Landing.Definitions definitions) {
        int n = candidates(request.k());
        Attempt attempt = search(store, request, late, definitions, n);
        // Many identical files (copies fold into one hit) can use up every candidate and leave the
        // list short: then more candidates are fetched, while the store had more to give.
        while (attempt.answer().hits().size() < request.k() && attempt.full() && n < MAX_CANDIDATES) {
            n = Math.min(MAX_CANDIDATES, 4 * n);
            attempt = search(store, request, late, definitions, n);
        }
        return attempt.answer();
    }

    /** The most candidates a half fetches when copies have used up the first ones. */
    private static final int MAX_CANDIDATES = 1000;

    /** An answer from {@code n} candidates a half, and whether a half gave all {@code n} (it may have more). */
    private record Attempt(Answer answer, boolean full) {}

    private Attempt search(StoreReader store, SearchRequest request, Optional<QueryTimeVectors> late,
            Landing.Definitions definitions, int n) {
        int k = request.k();
        if (request.mode() != SearchMode.HYBRID) {
            // Pieces of one definition among the hits are joined into one hit, so more are fetched
            // than asked for, to leave room for other code.
            List<SearchHit> found = store.searchOne(request.as(request.mode(), n));
            List<SearchHit> ranked = HitMerging.merge(found);
            return new Attempt(new Answer(landing.land(request.text(), ranked, k, definitions, false), 0, Set.of()),
                    found.size() >= n);
        }
        Future<List<SearchHit>> lexical = hasWords(request.text())
                ? lexicalHalves.submit(() -> store.searchOne(request.as(SearchMode.LEXICAL, n)))
                : CompletableFuture.completedFuture(List.of());
        try {
            List<SearchHit> graph = store.searchOne(request.as(SearchMode.VECTOR, n));
            List<SearchHit> words = lexical.get();
            List<SearchHit> vector = GraphMisses.recover(store, request.vector(), graph, words, n);
            QueryTimeVectors.Ranked ranked = late.isEmpty() || words.isEmpty()
                    ? new QueryTimeVectors.Ranked(vector, Set.of())
                    : late.get().rank(store, request, vector, words);
            List<SearchHit> fused = fuse(request.text(), ranked.vector(), words, request.vectorWeight(),
                    Integer.MAX_VALUE);
            List<SearchHit> hits = landing.land(request.text(), fused, k, definitions, true);
            // A hit shown as a definition was ranked by a vector made now if a chunk over it was.
            List<SearchHit> madeNow = fused.stream().filter(h -> ranked.made().contains(h.id())).toList();
            return new Attempt(new Answer(hits, ranked.made().size(), hits.stream().filter(h -> ranked.made()
                    .contains(h.id()) || madeNow.stream().anyMatch(m -> m.path().equals(h.path())
                            && m.startLine() <= h.endLine() && h.startLine() <= m.endLine())).map(SearchHit::id)
                    .collect(Collectors.toSet())), graph.size() >= n || words.size() >= n);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw new IndexerException("The lexical half of the search failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IndexerException("The search was interrupted.", e);
        } finally {
            lexical.cancel(false); // when the vector half failed: nobody waits for it
        }
    }

    /**
     * The hits of a hybrid search for {@code k} from its two halves, each of {@link #candidates}
     * hits. Joined after fusing: each piece brings its own scores to the fusion, and the joined hit
     * takes its best piece's place (joining first lost span recall on the tuning sets).
     */
    public static List<SearchHit> fuse(String query, List<SearchHit> vector, List<SearchHit> lexical,
            double vectorWeight, int k) {
        Set<String> queryTerms = new LinkedHashSet<>(ANALYZER.terms(query));
        int needed = Math.max(1, Math.round(queryTerms.size() / 3f));
        List<SearchHit> strong = lexical.stream().filter(hit -> shared(queryTerms, hit) >= needed).toList();
        return top(HitMerging.merge(Fusion.minMax(vector, strong, vectorWeight, SearchHit::id)), k);
    }

    /** How many of the query's terms the hit's path, symbol and text hold. */
    static int shared(Set<String> queryTerms, SearchHit hit) {
        Set<String> terms = new HashSet<>(ANALYZER.terms(hit.path() + " " + hit.symbol() + " " + hit.container()
                + " " + hit.text()));
        return (int) queryTerms.stream().filter(terms::contains).count();
    }

    /**
     * Candidates each half of a hybrid search for {@code k} hits brings to the fusion: as many as a
     * search in one mode fetches. On the JDK's 383k chunks, 50 instead of 30 for k = 10 made the
     * vector half's graph search 1.6 times slower, and on the tuning half of the evaluation they
     * ranked the same.
     */
    public static int candidates(int k) {
        return withRoom(k);
    }

    /** Whether a query has words for a lexical search (a query of stop words only has none). */
    static boolean hasWords(String text) {
        return !ANALYZER.terms(text).isEmpty();
    }

    /** Hits to fetch for {@code k}: room for pieces that join. */
    private static int withRoom(int k) {
        return 2 * k + 10;
    }

    private static List<SearchHit> top(List<SearchHit> hits, int k) {
        return hits.size() <= k ? hits : List.copyOf(hits.subList(0, k));
    }

    /** Stops the threads; searches running now finish. Safe twice. */
    @Override
    public void close() {
        lexicalHalves.shutdown();
    }
}
