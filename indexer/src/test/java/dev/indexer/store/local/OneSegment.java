package dev.indexer.store.local;

import dev.indexer.config.IndexHome;
import dev.indexer.store.EmbeddedChunk.Fields;
import dev.indexer.store.SearchHit;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.VectorUtil;

/**
 * Evaluation only: merges a closed collection's index into one segment without deleted documents.
 * How a build's segments fall depends on thread timing, and both halves of a hybrid search feel it
 * (BM25 counts deleted documents until a merge drops them; each segment has its own vector graph),
 * so two builds of the same code scored 0.01-0.02 apart. One segment makes a comparison of two
 * chunkings a comparison of the chunkings.
 */
public final class OneSegment {
    private OneSegment() {}

    public static void merge(IndexHome home, String collection) throws IOException {
        try (Directory directory = FSDirectory.open(home.luceneDir(collection));
                IndexWriter writer = new IndexWriter(directory,
                        LuceneIndex.writerConfig(64, LuceneIndex.Merging.AS_THE_POLICY_SAYS))) {
            writer.forceMerge(1);
            writer.commit(); // the commit's user data (model, dimension, root) carries over
        }
    }

    /**
     * The {@code k} nearest chunks by exact dot product with the stored float vectors, ties broken
     * by chunk id: what the vector half would answer with no graph and no quantization, the same
     * for every build of the same chunks. (Through the graph, even with as many candidates as
     * documents, two builds of the same code differed by 0.01 in file MRR@10 on a 3,000-chunk set:
     * quantized scores tie, and ties fall by document order, which thread timing sets.)
     */
    public static List<SearchHit> nearest(IndexHome home, String collection, float[] vector, int k)
            throws IOException {
        // Each hit names its repository, as the store's own searches do: landing groups a file's
        // candidates by repository and path, and hits without it were a file of their own (the
        // same definition twice among ten hits, each with part of its candidates).
        return nearest(home.luceneDir(collection), vector, k).stream().map(hit -> hit.inRepo(collection)).toList();
    }

    /** As {@link #nearest(IndexHome, String, float[], int)}, the index in {@code luceneDir}. */
    public static List<SearchHit> nearest(java.nio.file.Path luceneDir, float[] vector, int k) throws IOException {
        record Scored(float score, String id, int leaf, int doc) {}
        List<Scored> all = new ArrayList<>();
        try (Directory directory = FSDirectory.open(luceneDir);
                DirectoryReader reader = DirectoryReader.open(directory)) {
            for (LeafReaderContext leaf : reader.leaves()) {
                StoredFields fields = leaf.reader().storedFields();
                Bits live = leaf.reader().getLiveDocs();
                for (String field : ChunkDocuments.VECTORS) {
                    FloatVectorValues values = leaf.reader().getFloatVectorValues(field);
                    for (int doc = values == null ? DocIdSetIterator.NO_MORE_DOCS : values.nextDoc();
                            doc != DocIdSetIterator.NO_MORE_DOCS; doc = values.nextDoc()) {
                        if (live == null || live.get(doc)) {
                            float score = VectorUtil.dotProduct(vector, values.vectorValue());
                            all.add(new Scored(score, fields.document(doc).get(ChunkDocuments.ID), leaf.ord, doc));
                        }
                    }
                }
            }
            all.sort(Comparator.comparingDouble((Scored s) -> -s.score()).thenComparing(Scored::id));
            List<SearchHit> hits = new ArrayList<>(k);
            for (Scored s : all.subList(0, Math.min(k, all.size()))) {
                StoredFields fields = reader.leaves().get(s.leaf()).reader().storedFields();
                hits.add(ChunkDocuments.hit(fields.document(s.doc()), s.score()));
            }
            return hits;
        }
    }

    /** A stored chunk as the evaluation's experiments need it: its hit, its text and its header. */
    public record Stored(SearchHit hit, String text, String header) {}

    /** Every chunk of a closed collection, in chunk id order. */
    public static List<Stored> chunks(IndexHome home, String collection) throws IOException {
        List<Stored> all = new ArrayList<>();
        try (Directory directory = FSDirectory.open(home.luceneDir(collection));
                DirectoryReader reader = DirectoryReader.open(directory)) {
            for (LeafReaderContext leaf : reader.leaves()) {
                StoredFields fields = leaf.reader().storedFields();
                Bits live = leaf.reader().getLiveDocs();
                for (int doc = 0; doc < leaf.reader().maxDoc(); doc++) {
                    if (live == null || live.get(doc)) {
                        var stored = fields.document(doc);
                        all.add(new Stored(ChunkDocuments.hit(stored, 0), stored.get(Fields.TEXT), stored.get(Fields.HEADER)));
                    }
                }
            }
        }
        all.sort(Comparator.comparing(c -> c.hit().id()));
        return all;
    }
}
