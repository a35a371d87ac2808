package dev.indexer.store.local;

import dev.indexer.lexical.CodeAnalyzer;
import dev.indexer.store.EmbeddedChunk.Fields;
import dev.indexer.store.SearchRequest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.FieldExistsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.RegexpQuery;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.util.BytesRef;

/** The Lucene queries the embedded store answers with: nearest vectors, BM25 words, filters. */
final class LuceneQueries {
    /**
     * The most distinct words a lexical query searches by: each makes two clauses (text and symbol
     * names), and Lucene refuses a query of over 1,024 clauses. A longer query (a pasted stack trace,
     * a file) keeps its rarest words, which say the most about where it comes from.
     */
    static final int MAX_QUERY_TERMS = 256;

    /** A term found in a chunk's symbol name counts this much more than one in its text. */
    private static final float SYMBOL_BOOST = 2f;

    /** Stateless once built, and thread-safe: one for every query. */
    private static final CodeAnalyzer ANALYZER = new CodeAnalyzer();

    private LuceneQueries() {}

    /**
     * The nearest vectors that pass the request's filters ({@link NearestVectors}), at least
     * {@code k} of them: the graph is searched for {@link NearestVectors#BREADTH} or {@code k},
     * whichever is more, and the caller keeps the best {@code k}.
     */
    static Query nearest(SearchRequest request, int k) {
        return nearest(request.vector(), Math.max(k, NearestVectors.BREADTH), filter(request),
                NearestVectors.EXACT_UP_TO);
    }

    /**
     * The {@code k} nearest of the code's vectors and the {@code k} nearest of the shared ones
     * ({@link ChunkDocuments#SHARED_VECTOR}), best first: a chunk has one vector field, so its
     * score is its vector's. The shared graph is searched as a graph in every segment: its vectors
     * are copies of a few, any copy answers as well as another, and reading all of them whole
     * (140k notice copies on a tree of 20,000 small files) took longer than the rest of the search.
     *
     * @param k how many each graph search looks for (Lucene's beam): a search keeps fewer
     * @param filter what a chunk must match, or null
     * @param exactUpTo segments with at most this many of the code's vectors are read whole
     */
    static Query nearest(float[] vector, int k, Query filter, int exactUpTo) {
        return new BooleanQuery.Builder()
                .add(new NearestVectors(ChunkDocuments.VECTOR, vector, k, filter, exactUpTo),
                        BooleanClause.Occur.SHOULD)
                .add(new NearestVectors(ChunkDocuments.SHARED_VECTOR, vector, k, filter, 0),
                        BooleanClause.Occur.SHOULD)
                .build();
    }

    /** BM25 over the query's code-aware terms in text and symbol names; empty if it has no terms. */
    static Optional<Query> words(IndexReader reader, SearchRequest request) throws IOException {
        List<String> terms = new ArrayList<>(new LinkedHashSet<>(ANALYZER.terms(request.text())));
        if (terms.isEmpty()) {
            return Optional.empty();
        }
        if (terms.size() > MAX_QUERY_TERMS) {
            Map<String, Integer> frequency = new HashMap<>();
            for (String term : terms) {
                frequency.put(term, reader.docFreq(new Term(ChunkDocuments.CONTENT, term)));
            }
            // Words the collection does not have match nothing; of the rest, the rarest say the most.
            terms.removeIf(term -> frequency.get(term) == 0);
            terms.sort(Comparator.comparingInt(frequency::get)); // stable: ties keep the query's order
            terms = terms.subList(0, Math.min(terms.size(), MAX_QUERY_TERMS));
            if (terms.isEmpty()) {
                return Optional.empty();
            }
        }
        BooleanQuery.Builder words = new BooleanQuery.Builder();
        for (String term : terms) {
            words.add(new TermQuery(new Term(ChunkDocuments.CONTENT, term)), BooleanClause.Occur.SHOULD);
            words.add(new BoostQuery(new TermQuery(new Term(ChunkDocuments.SYMBOL_WORDS, term)), SYMBOL_BOOST),
                    BooleanClause.Occur.SHOULD);
        }
        words.setMinimumNumberShouldMatch(1);
        Query filter = filter(request);
        return Optional.of(filter == null ? words.build() : new BooleanQuery.Builder()
                .add(words.build(), BooleanClause.Occur.MUST).add(filter, BooleanClause.Occur.FILTER).build());
    }

    /** A file's chunks that have no vector yet. */
    static Query withoutVectors(String path) {
        return withoutVectors(new TermQuery(new Term(Fields.PATH, path)));
    }

    /** The chunks with these ids that have no vector. */
    static Query withoutVectors(Collection<String> ids) {
        return withoutVectors(withIds(ids));
    }

    /** The chunks with these ids. */
    private static Query withIds(Collection<String> ids) {
        return new TermInSetQuery(ChunkDocuments.ID, ids.stream().map(BytesRef::new).toList());
    }

    private static Query withoutVectors(Query which) {
        BooleanQuery.Builder without = new BooleanQuery.Builder().add(which, BooleanClause.Occur.FILTER);
        for (String field : ChunkDocuments.VECTORS) {
            without.add(new FieldExistsQuery(field), BooleanClause.Occur.MUST_NOT);
        }
        return without.build();
    }

    /** The language and path filters, or null for none. */
    private static Query filter(SearchRequest request) {
        if (request.language().isEmpty() && request.path().isEmpty()) {
            return null;
        }
        BooleanQuery.Builder filter = new BooleanQuery.Builder();
        request.language().ifPresent(l -> filter.add(new TermQuery(new Term(Fields.LANGUAGE, l)),
                BooleanClause.Occur.FILTER));
        request.path().ifPresent(g -> filter.add(new RegexpQuery(new Term(Fields.PATH, g.luceneRegexp())),
                BooleanClause.Occur.FILTER));
        return filter.build();
    }
}
