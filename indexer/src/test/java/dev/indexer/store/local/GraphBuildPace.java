package dev.indexer.store.local;

import dev.indexer.chunk.Chunk;
import dev.indexer.store.EmbeddedChunk;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.lucene.index.ConcurrentMergeScheduler;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.Bits;

/**
 * Benchmark only: what building vector graphs costs the Java side of a run, apart from the model,
 * so that a JVM setting (a compiler option, a collector) can be tried against a long run's flushes
 * and merges in minutes rather than the JDK's two hours. The first COUNT chunks with vectors of an
 * existing collection are written to a fresh index with the store's own document shape and writer
 * settings (buffer, merge policy, one merge at a time), committed every 5,000 as the embedding
 * phase does, then merged into one segment: one more graph over all of them.
 *
 * <p>Usage: {@code GraphBuildPace SOURCE_LUCENE_DIR COUNT TARGET_DIR [BUFFER_MB]} (package-private
 * access: the store's documents and settings are its own). Prints one line of seconds.
 */
public final class GraphBuildPace {
    private static final int COMMIT_EVERY = 5_000;

    private GraphBuildPace() {}

    public static void main(String[] args) throws IOException {
        Path source = Path.of(args[0]);
        int count = Integer.parseInt(args[1]);
        Path target = Path.of(args[2]);
        int bufferMB = args.length > 3 ? Integer.parseInt(args[3]) : 32;
        if (Files.exists(target)) {
            throw new IllegalArgumentException(target + " exists; give a directory that does not");
        }
        long start = System.nanoTime();
        int added = 0;
        long addedAt;
        try (DirectoryReader reader = DirectoryReader.open(FSDirectory.open(source));
                IndexWriter writer = new IndexWriter(FSDirectory.open(target),
                        LuceneIndex.writerConfig(bufferMB, LuceneIndex.Merging.AS_THE_POLICY_SAYS))) {
            for (LeafReaderContext leaf : reader.leaves()) {
                for (String field : ChunkDocuments.VECTORS) {
                    added = copy(leaf.reader(), field, writer, added, count);
                }
            }
            writer.commit();
            writer.maybeMerge();
            // Lets the merges the policy started finish, so that they count in this phase.
            ((ConcurrentMergeScheduler) writer.getConfig().getMergeScheduler()).sync();
            addedAt = System.nanoTime();
            writer.forceMerge(1);
            writer.commit();
        }
        long end = System.nanoTime();
        System.out.printf("%d chunks: added and committed with the policy's merges %.1f s, merged into one %.1f s, total %.1f s%n",
                added, (addedAt - start) / 1e9, (end - addedAt) / 1e9, (end - start) / 1e9);
    }

    /**
     * Adds a segment's live chunks that have a vector in {@code field} until {@code count} are added
     * in all, committing every {@link #COMMIT_EVERY}; returns how many are added in all.
     */
    private static int copy(LeafReader segment, String field, IndexWriter writer, int added, int count)
            throws IOException {
        FloatVectorValues values = segment.getFloatVectorValues(field);
        if (values == null) {
            return added;
        }
        StoredFields stored = segment.storedFields();
        Bits live = segment.getLiveDocs();
        for (int doc = values.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS && added < count; doc = values.nextDoc()) {
            if (live == null || live.get(doc)) {
                Chunk chunk = ChunkDocuments.chunk(stored.document(doc));
                writer.addDocument(ChunkDocuments.document(new EmbeddedChunk(chunk, values.vectorValue().clone())));
                if (++added % COMMIT_EVERY == 0) {
                    writer.commit();
                }
            }
        }
        return added;
    }
}
