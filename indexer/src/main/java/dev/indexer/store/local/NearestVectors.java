package dev.indexer.store.local;

import java.io.IOException;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.FilteredDocIdSetIterator;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.knn.KnnCollectorManager;
import org.apache.lucene.util.Bits;

/**
 * The nearest vectors: Lucene's graph search, except in segments small enough to compare the query
 * with every vector, where it compares them all. A graph search can miss the best chunk outright:
 * where many chunks have the same or nearly the same vector (a license notice in every file, a
 * thousand generated classes) they crowd each other's neighbour lists and the search stays among
 * them (Lucene issues 12627 and 13611). On a tree of 200 small classes that open with the same
 * notice, the documented method that answered a query best (0.725, the notices 0.511) was not
 * among a graph search's 300 nearest; reading every vector finds it first.
 */
final class NearestVectors extends KnnFloatVectorQuery {
    /**
     * Segments with at most this many vectors are searched by reading every vector (the float
     * originals, memory-mapped); measured in docs/benchmarks.md ("Exact search in small segments").
     */
    static final int EXACT_UP_TO = 20_000;

    private final int exactUpTo;

    NearestVectors(String field, float[] target, int k, Query filter) {
        this(field, target, k, filter, EXACT_UP_TO);
    }

    /** @param exactUpTo segments with at most this many vectors are searched exactly (0: never) */
    NearestVectors(String field, float[] target, int k, Query filter, int exactUpTo) {
        super(field, target, k, filter);
        this.exactUpTo = exactUpTo;
    }

    @Override
    protected TopDocs approximateSearch(LeafReaderContext context, Bits acceptDocs, int visitedLimit,
            KnnCollectorManager collectors) throws IOException {
        FloatVectorValues vectors = context.reader().getFloatVectorValues(getField());
        if (vectors == null || vectors.size() > exactUpTo) {
            return super.approximateSearch(context, acceptDocs, visitedLimit, collectors);
        }
        DocIdSetIterator every = DocIdSetIterator.all(context.reader().maxDoc());
        // acceptDocs: the live documents that pass the filter, or null when all do.
        DocIdSetIterator accepted = acceptDocs == null ? every : new FilteredDocIdSetIterator(every) {
            @Override
            protected boolean match(int doc) {
                return acceptDocs.get(doc);
            }
        };
        return exactSearch(context, accepted, null);
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
