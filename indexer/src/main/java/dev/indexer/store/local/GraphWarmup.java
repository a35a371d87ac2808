package dev.indexer.store.local;

import dev.indexer.state.CollectionFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.SerialMergeScheduler;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.store.Directory;

/**
 * Builds and merges a few small vector graphs of made-up vectors in a scratch index, once, before a
 * run's model loads, so that the JIT compiler has compiled Lucene's graph building for both kinds of
 * vectors it builds from before the process holds the model.
 *
 * <p>Why: a segment's graph is built from the float vectors as documents are added, but a merged
 * segment's from the quantized bytes. At a run's first merge of segments with vectors the compiler
 * finds its code for the float kind meeting the other, throws it away and compiles the graph
 * builder's methods again, seven to twelve of them within seconds (java/util, at 135-140 s: {@code
 * HnswGraphSearcher.searchLevel}, {@code HnswGraphBuilder.addDiverseNeighbors}, {@code diversityCheck},
 * {@code addGraphNode}, up to 0.6 s each); in one traced run the compiler then held 30 MB more (its
 * own memory and its arenas, by native memory tracking) and the process's peak rose with it
 * (docs/benchmarks.md, "Twenty-fifth round"). Here the same compilations happen while the process
 * is about 60 MB smaller, and the code they leave takes both kinds.
 *
 * <p>The scratch index goes through the store's own codec, settings and {@link WriterDirectory} (the
 * classes that read vectors must be the run's too, or the compiler meets new ones at the merge), in a
 * directory beside the store's, removed after; one a killed run left is removed first. A failure here
 * costs only the memory it was meant to save, so it is swallowed.
 */
final class GraphWarmup {
    /** The scratch directory's name, beside the store's own. */
    static final String DIR_NAME = "graph-warmup";
    /**
     * Runs with fewer chunks waiting for vectors skip it: their first merge of vector segments, if
     * any, comes at the end, from fewer and smaller segments (java/util's first came after about 13k).
     */
    static final long MIN_CHUNKS = 10_000;
    /**
     * Vectors in each scratch segment: enough calls for the compiler to take the merged kind up. With
     * 500, two of the graph builder's compilations were still left to java/util's first merge (with
     * 1,500 none), and the warm-up takes 1.8 s in a fresh JVM (1,500: 5.9 s), about 1 s in a run.
     */
    static final int PER_SEGMENT = 500;
    /** Segments: a merge after the second and after the third, so both kinds alternate once more. */
    static final int SEGMENTS = 3;

    private GraphWarmup() {}

    /** What a warm-up left in its scratch index before removing it: vectors in how many segments (0 and 0 if it failed). */
    record Done(int vectors, int segments) {}

    /** Builds and merges the scratch graphs in {@code dir} (made and removed here) for vectors of {@code dimension}. */
    static Done run(Path dir, int dimension) {
        try {
            remove(dir);
            Files.createDirectories(dir);
            IndexWriterConfig config = LuceneIndex.writerConfig(16, LuceneIndex.Merging.AS_THE_POLICY_SAYS);
            config.setMergeScheduler(new SerialMergeScheduler());
            Random random = new Random(dimension);
            try (Directory directory = new WriterDirectory(dir); IndexWriter writer = new IndexWriter(directory, config)) {
                for (int segment = 0; segment < SEGMENTS; segment++) {
                    for (int i = 0; i < PER_SEGMENT; i++) {
                        writer.addDocument(List.of(new KnnFloatVectorField(ChunkDocuments.VECTOR, unit(random, dimension),
                                VectorSimilarityFunction.DOT_PRODUCT)));
                    }
                    writer.commit();
                    if (segment > 0) {
                        writer.forceMerge(1);
                    }
                }
                try (DirectoryReader reader = DirectoryReader.open(writer)) {
                    return new Done(reader.numDocs(), reader.leaves().size());
                }
            }
        } catch (IOException | UncheckedIOException | IllegalArgumentException | IllegalStateException e) {
            return new Done(0, 0); // only the compilations are lost: the run goes on as it would have without them
        } finally {
            try {
                remove(dir);
            } catch (IOException | UncheckedIOException e) {
                // a leftover is removed by the next warm-up
            }
        }
    }

    /** A random vector of length 1, as the dot product the store uses needs. */
    private static float[] unit(Random random, int dimension) {
        float[] vector = new float[dimension];
        double norm = 0;
        for (int i = 0; i < dimension; i++) {
            vector[i] = (float) random.nextGaussian();
            norm += vector[i] * vector[i];
        }
        float scale = (float) (1 / Math.sqrt(norm));
        for (int i = 0; i < dimension; i++) {
            vector[i] *= scale;
        }
        return vector;
    }

    private static void remove(Path dir) throws IOException {
        CollectionFiles.deleteTree(dir);
    }
}
