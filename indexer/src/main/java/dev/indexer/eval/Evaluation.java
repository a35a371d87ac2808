package dev.indexer.eval;

import dev.indexer.engine.CodeCollection;
import dev.indexer.engine.SearchQuery;
import dev.indexer.store.SearchHit;
import dev.indexer.store.SearchMode;
import java.util.List;
import java.util.Optional;

/** Recall@1, Recall@10 and MRR@10 of one search mode over an evaluation set. */
public final class Evaluation {
    static final int DEPTH = 10;

    private Evaluation() {}

    /**
     * The scores of a mode.
     *
     * @param queries questions asked
     * @param recallAt1 share answered by the first hit
     * @param recallAt10 share answered within the first ten
     * @param mrrAt10 mean of 1/rank of the first answering hit (0 past ten)
     */
    public record Scores(int queries, double recallAt1, double recallAt10, double mrrAt10) {}

    /** Asks every query of the set in {@code mode}. */
    public static Scores run(CodeCollection collection, List<EvalQuery> queries, SearchMode mode) {
        int at1 = 0;
        int at10 = 0;
        double reciprocal = 0;
        for (EvalQuery q : queries) {
            List<SearchHit> hits = collection.search(new SearchQuery(q.text(), DEPTH, mode, Optional.empty(),
                    Optional.empty())).hits();
            int rank = rank(q, hits);
            if (rank == 1) {
                at1++;
            }
            if (rank >= 1) {
                at10++;
                reciprocal += 1.0 / rank;
            }
        }
        int n = Math.max(1, queries.size());
        return new Scores(queries.size(), (double) at1 / n, (double) at10 / n, reciprocal / n);
    }

    /** The 1-based rank of the first hit that answers the query, or 0 if none does. */
    static int rank(EvalQuery q, List<SearchHit> hits) {
        for (int i = 0; i < hits.size(); i++) {
            SearchHit h = hits.get(i);
            if (q.answeredBy(h.path(), h.startLine(), h.endLine())) {
                return i + 1;
            }
        }
        return 0;
    }
}
