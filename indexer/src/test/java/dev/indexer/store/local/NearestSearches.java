package dev.indexer.store.local;

import dev.indexer.config.IndexHome;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.MMapDirectory;

/**
 * Benchmark only: the embedded store's nearest-vector query ({@link NearestVectors}) on a closed
 * collection, with a chosen limit for exact search per segment, so that a benchmark can put the
 * graph alone, the shipped mix and an exact scan side by side on one open index.
 */
public final class NearestSearches implements AutoCloseable {
    private final Directory directory;
    private final DirectoryReader reader;
    private final IndexSearcher searcher;

    /** @param luceneDir a repository's index ({@link IndexHome#luceneDir(String, String)}) */
    public NearestSearches(Path luceneDir) throws IOException {
        this.directory = new MMapDirectory(luceneDir);
        this.reader = DirectoryReader.open(directory);
        this.searcher = new IndexSearcher(reader);
    }

    /** The vector fields: the code's, and that of texts that name no file. */
    public static List<String> vectorFields() {
        return ChunkDocuments.VECTORS;
    }

    /** The shipped limit: segments with at most this many vectors are read whole. */
    public static int shippedExactLimit() {
        return NearestVectors.EXACT_UP_TO;
    }

    /** The vectors of a field in each segment, largest first. */
    public List<Integer> segmentVectors(String field) throws IOException {
        List<Integer> sizes = new ArrayList<>();
        for (LeafReaderContext leaf : reader.leaves()) {
            FloatVectorValues values = leaf.reader().getFloatVectorValues(field);
            sizes.add(values == null ? 0 : values.size());
        }
        sizes.sort((a, b) -> b - a);
        return sizes;
    }

    /** The shipped breadth: the fewest nearest vectors a graph search looks for. */
    public static int shippedBreadth() {
        return NearestVectors.BREADTH;
    }

    /**
     * The ids of the {@code k} nearest chunks, from graph searches for {@code breadth}, with segments
     * of at most {@code exactUpTo} vectors read whole.
     */
    public List<String> nearest(float[] vector, int k, int breadth, int exactUpTo) throws IOException {
        TopDocs top = searcher.search(LuceneQueries.nearest(vector, Math.max(k, breadth), null, exactUpTo), k);
        List<String> ids = new ArrayList<>(top.scoreDocs.length);
        for (ScoreDoc hit : top.scoreDocs) {
            ids.add(searcher.storedFields().document(hit.doc).get(ChunkDocuments.ID));
        }
        return ids;
    }

    @Override
    public void close() throws IOException {
        reader.close();
        directory.close();
    }
}
