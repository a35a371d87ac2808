package dev.indexer.store.local;

import java.io.IOException;
import java.util.Comparator;
import java.util.PriorityQueue;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.QueryTimeout;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TotalHits;
import org.apache.lucene.search.knn.KnnCollectorManager;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.FixedBitSet;

/**
 * The nearest vectors: Lucene's graph search, except in segments small enough to compare the query
 * with every vector, where it compares them all by their float originals. A graph search can miss
 * the best chunk outright: where many chunks have the same or nearly the same vector (a license
 * notice in every file, a thousand generated classes) they crowd each other's neighbour lists and
 * the search stays among them (Lucene issues 12627 and 13611). On a tree of 200 small classes that
 * open with the same notice, the documented method that answered a query best (0.725, the notices
 * 0.511) was not among a graph search's 300 nearest. Such copies also get a graph of their own
 * ({@link ChunkDocuments#SHARED_VECTOR}), and every graph search looks for at least
 * {@link #BREADTH} vectors.
 */
final class NearestVectors extends KnnFloatVectorQuery {
    /**
     * Segments with at most this many vectors are searched by reading every vector. Chosen on the
     * JDK's java.base/java (101,071 chunks, 151 queries, docs/benchmarks.md "Repeated vectors"):
     * reading costs about 0.15-0.2 microseconds a vector on two cores without SIMD, more than a
     * graph search of the same segment, so only small segments are read, where a handful of
     * near-copies can already fill every neighbour list.
     */
    static final int EXACT_UP_TO = 3_000;

    /**
     * The fewest nearest vectors a graph search looks for, however few are kept: a wider beam finds
     * more of the true nearest. On java.base/java, a graph search for 30 found 0.920 of the exact
     * top 10 and missed the exact best for 11 of 151 queries (1.9 ms); for 100, 0.965 and 4 (3.9 ms).
     */
    static final int BREADTH = 100;

    private final int exactUpTo;
    private final float[] target;

    NearestVectors(String field, float[] target, int k, Query filter) {
        this(field, target, k, filter, EXACT_UP_TO);
    }

    /** @param exactUpTo segments with at most this many vectors are searched exactly (0: never) */
    NearestVectors(String field, float[] target, int k, Query filter, int exactUpTo) {
        super(field, target, k, filter);
        this.exactUpTo = exactUpTo;
        this.target = target.clone();
    }

    @Override
    protected TopDocs approximateSearch(LeafReaderContext context, Bits acceptDocs, int visitedLimit,
            KnnCollectorManager collectors) throws IOException {
        FloatVectorValues vectors = context.reader().getFloatVectorValues(getField());
        if (vectors == null || vectors.size() > exactUpTo) {
            return super.approximateSearch(context, acceptDocs, visitedLimit, collectors);
        }
        return everyVector(context, vectors, acceptDocs);
    }

    /**
     * Lucene's own exact search, which it runs instead of {@link #approximateSearch} where a filter
     * leaves no more documents of a segment than are asked for, scores the int7 copies; in a small
     * segment (a few vectors quantize with a range of their own) that moved scores by more than 0.01
     * and a hit lost its place (seen once in {@code LuceneStoreTest}'s filtered searches, depending on how
     * merges had left the segments). Segments read whole are read by their float vectors here too.
     */
    @Override
    protected TopDocs exactSearch(LeafReaderContext context, DocIdSetIterator acceptIterator,
            QueryTimeout queryTimeout) throws IOException {
        FloatVectorValues vectors = context.reader().getFloatVectorValues(getField());
        if (vectors == null || vectors.size() > exactUpTo) {
            return super.exactSearch(context, acceptIterator, queryTimeout);
        }
        FixedBitSet accepted = new FixedBitSet(context.reader().maxDoc());
        accepted.or(acceptIterator);
        return everyVector(context, vectors, accepted);
    }

    /**
     * The best {@code k} of a segment by its float vectors, every one read: Lucene's own exact
     * search scores the int7 copies, whose rounding reordered near ties (on 384 dimensions it found
     * 0.997 of the float top 10 on the JDK's java.base/java).
     *
     * @param acceptDocs the live documents that pass the filter, or null when all do
     */
    private TopDocs everyVector(LeafReaderContext context, FloatVectorValues vectors, Bits acceptDocs)
            throws IOException {
        VectorSimilarityFunction similarity = context.reader().getFieldInfos().fieldInfo(getField())
                .getVectorSimilarityFunction();
        // The weakest kept on top; of equal scores the later document goes first, as Lucene orders hits.
        PriorityQueue<ScoreDoc> best = new PriorityQueue<>(getK() + 1,
                Comparator.comparingDouble((ScoreDoc hit) -> hit.score).thenComparing(hit -> -hit.doc));
        int read = 0;
        for (int doc = vectors.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = vectors.nextDoc()) {
            if (acceptDocs != null && !acceptDocs.get(doc)) {
                continue;
            }
            read++;
            float score = similarity.compare(target, vectors.vectorValue());
            if (best.size() < getK()) {
                best.add(new ScoreDoc(doc, score));
            } else if (score > best.peek().score) {
                best.poll();
                best.add(new ScoreDoc(doc, score));
            }
        }
        ScoreDoc[] hits = new ScoreDoc[best.size()];
        for (int i = hits.length - 1; i >= 0; i--) {
            hits[i] = best.poll();
        }
        return new TopDocs(new TotalHits(read, TotalHits.Relation.EQUAL_TO), hits);
    }

    @Override
    public boolean equals(Object other) {
        return super.equals(other) && ((NearestVectors) other).exactUpTo == exactUpTo;
    }

    @Override
    public int hashCode() {
        return 31 * super.hashCode() + exactUpTo;
    }
}
