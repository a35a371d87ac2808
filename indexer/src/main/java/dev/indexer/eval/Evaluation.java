package dev.indexer.eval;

import dev.indexer.engine.CollectionReader;
import dev.indexer.engine.SearchQuery;
import dev.indexer.store.SearchHit;
import dev.indexer.store.SearchMode;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * How well a search answers an evaluation set, the CodeSearchNet way: each query is the first
 * sentence of a function's documentation, its answer the function.
 */
final class Evaluation {
    static final int DEPTH = 10;

    private Evaluation() {}

    /** Asks every query of the set in {@code mode}, ten hits each. */
    static Comparison.Scores run(CollectionReader collection, List<EvalQuery> queries, SearchMode mode) {
        return score(queries, q -> collection.search(new SearchQuery(q.text(), DEPTH, mode, Optional.empty(),
                Optional.empty())).hits());
    }

    /** Scores the hits {@code search} gives each query (only the first ten count). */
    static Comparison.Scores score(List<EvalQuery> queries, Function<EvalQuery, List<SearchHit>> search) {
        int fileAt10 = 0;
        int spanAt10 = 0;
        int spanAt1 = 0;
        double fileReciprocal = 0;
        double spanReciprocal = 0;
        for (EvalQuery q : queries) {
            List<SearchHit> hits = search.apply(q);
            // A hit shows its copies (the same text elsewhere) too: one of them may be the answer.
            int file = rank(hits, h -> h.path().equals(q.path())
                    || h.copies().stream().anyMatch(c -> c.path().equals(q.path())));
            int span = rank(hits, h -> q.overlaps(h.path(), h.startLine(), h.endLine())
                    || h.copies().stream().anyMatch(c -> q.overlaps(c.path(), c.startLine(), c.endLine())));
            if (file > 0) {
                fileAt10++;
                fileReciprocal += 1.0 / file;
            }
            if (span > 0) {
                spanAt10++;
                spanReciprocal += 1.0 / span;
            }
            if (span == 1) {
                spanAt1++;
            }
        }
        double n = Math.max(1, queries.size());
        return new Comparison.Scores(queries.size(), fileAt10 / n, fileReciprocal / n, spanAt10 / n, spanReciprocal / n,
                spanAt1 / n);
    }

    /** The 1-based rank of the first of the top ten hits that passes {@code test}, or 0 if none does. */
    static int rank(List<SearchHit> hits, java.util.function.Predicate<SearchHit> test) {
        for (int i = 0; i < Math.min(DEPTH, hits.size()); i++) {
            if (test.test(hits.get(i))) {
                return i + 1;
            }
        }
        return 0;
    }
}
