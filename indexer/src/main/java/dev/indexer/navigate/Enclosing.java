package dev.indexer.navigate;

import dev.indexer.chunk.Symbol;
import dev.indexer.navigate.Navigation.Reference;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;

/**
 * The innermost definition around each reference line of a file: the file's definitions are
 * compared by their spans' doc values, and only the chosen ones are read whole. (Reading every
 * definition's stored fields for every file of a long answer was most of its time.)
 */
final class Enclosing {
    private Enclosing() {}

    /** The references with the definition around each, where there is one. */
    static List<Reference> of(IndexSearcher searcher, String path, List<Reference> lines) throws IOException {
        Query query = new BooleanQuery.Builder()
                .add(new TermQuery(new Term(NavigationDocs.PATH, path)), Occur.FILTER)
                .add(new TermQuery(new Term(NavigationDocs.TYPE, NavigationDocs.SYMBOL)), Occur.FILTER).build();
        int count = searcher.count(query);
        int[] best = new int[lines.size()];
        long[] bestSize = new long[lines.size()];
        Arrays.fill(best, -1);
        if (count > 0) {
            List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
            LeafReaderContext leaf = null;
            NumericDocValues starts = null;
            NumericDocValues ends = null;
            // In doc order (the scores are equal), as doc values are read.
            for (ScoreDoc hit : searcher.search(query, count).scoreDocs) {
                LeafReaderContext at = leaves.get(ReaderUtil.subIndex(hit.doc, leaves));
                if (at != leaf) {
                    leaf = at;
                    starts = DocValues.getNumeric(at.reader(), NavigationDocs.START_LINE);
                    ends = DocValues.getNumeric(at.reader(), NavigationDocs.END_LINE);
                }
                int local = hit.doc - at.docBase;
                if (!starts.advanceExact(local) || !ends.advanceExact(local)) {
                    continue;
                }
                long start = starts.longValue();
                long end = ends.longValue();
                for (int i = 0; i < lines.size(); i++) {
                    int line = lines.get(i).line();
                    // The smallest span around the line; of equal ones the later, which is inside.
                    if (start <= line && line <= end && (best[i] < 0 || end - start <= bestSize[i])) {
                        best[i] = hit.doc;
                        bestSize[i] = end - start;
                    }
                }
            }
        }
        StoredFields fields = searcher.storedFields();
        Map<Integer, Symbol> read = new HashMap<>();
        List<Reference> out = new ArrayList<>(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            Reference r = lines.get(i);
            Optional<Symbol> around = Optional.empty();
            if (best[i] >= 0) {
                int doc = best[i];
                Symbol symbol = read.get(doc);
                if (symbol == null) {
                    symbol = NavigationDocs.symbol(fields.document(doc));
                    read.put(doc, symbol);
                }
                around = Optional.of(symbol);
            }
            out.add(new Reference(r.line(), r.text(), around));
        }
        return out;
    }
}
