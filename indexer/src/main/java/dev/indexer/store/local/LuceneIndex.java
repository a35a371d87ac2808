package dev.indexer.store.local;

import dev.indexer.IndexerException;
import dev.indexer.lexical.CodeAnalyzer;
import dev.indexer.store.CollectionInfo;
import java.io.Closeable;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import org.apache.lucene.codecs.Codec;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene912.Lucene912Codec;
import org.apache.lucene.codecs.lucene99.Lucene99HnswScalarQuantizedVectorsFormat;
import org.apache.lucene.index.ConcurrentMergeScheduler;
import org.apache.lucene.index.CorruptIndexException;
import org.apache.lucene.index.IndexFormatTooNewException;
import org.apache.lucene.index.IndexFormatTooOldException;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.NoMergePolicy;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.index.TieredMergePolicy;
import org.apache.lucene.store.Directory;

/**
 * What the embedded store's reader and writer share: the index's format (int7 scalar-quantized
 * HNSW vectors; Lucene keeps the float originals on disk for re-scoring), the collection's model,
 * dimension and root in the commit's user data, and the sentences for what goes wrong.
 */
final class LuceneIndex {
    /**
     * Bounds the size of a merged segment of chunks with vectors: building its HNSW graph takes
     * heap in proportion to its vectors (on the JDK, merges of up to 256 MB built graphs of 115k
     * nodes and the build's peak RSS rose from 371 to 519 MiB once such segments held vectors
     * only; {@link PhaseMerges}), so capping it keeps merge memory flat as the index grows.
     */
    private static final double MAX_VECTOR_SEGMENT_MB = 128;
    /** Segments of text alone merge without graphs: larger ones cost no more heap. */
    private static final double MAX_TEXT_SEGMENT_MB = 256;

    /** Whether the writer merges segments; {@code NEVER} is what a run whose merges were all rolled back leaves. */
    enum Merging { AS_THE_POLICY_SAYS, NEVER }

    private LuceneIndex() {}

    static IndexWriterConfig writerConfig(int ramBufferMB, Merging merging) {
        IndexWriterConfig config = new IndexWriterConfig(new CodeAnalyzer());
        config.setCodec(codec());
        config.setRAMBufferSizeMB(ramBufferMB);
        config.setCommitOnClose(false);
        // Separate files, so that a merge's vector files can be mapped and the rest read plainly
        // (a compound file would also be one more full copy of every merged segment).
        config.setUseCompoundFile(false);
        if (merging == Merging.NEVER) {
            config.setMergePolicy(NoMergePolicy.INSTANCE);
        } else {
            config.setMergePolicy(new PhaseMerges(tiered(MAX_VECTOR_SEGMENT_MB), tiered(MAX_TEXT_SEGMENT_MB)));
        }
        // One merge at a time: each builds its segment's vector graph on the heap, and two at once
        // (Lucene's default here) held twice that.
        ConcurrentMergeScheduler scheduler = new ConcurrentMergeScheduler();
        scheduler.setMaxMergesAndThreads(4, 1);
        config.setMergeScheduler(scheduler);
        return config;
    }

    private static TieredMergePolicy tiered(double maxSegmentMB) {
        TieredMergePolicy merges = new TieredMergePolicy();
        merges.setNoCFSRatio(0.0);
        merges.setMaxMergedSegmentMB(maxSegmentMB);
        return merges;
    }

    private static Codec codec() {
        KnnVectorsFormat quantized = new Lucene99HnswScalarQuantizedVectorsFormat();
        return new Lucene912Codec() {
            @Override
            public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
                return quantized;
            }
        };
    }

    /** What the newest commit says the collection was built with. */
    static CollectionInfo readInfo(Directory directory, String name) throws IOException {
        Map<String, String> data = SegmentInfos.readLatestCommit(directory).getUserData();
        String model = data.get(CollectionInfo.MODEL_KEY);
        String dimension = data.get(CollectionInfo.DIMENSION_KEY);
        if (model == null || dimension == null) {
            throw new IndexerException("The index of collection '" + name + "' has no model recorded; it was not made"
                    + " by this indexer or is damaged; delete it and index again.");
        }
        return new CollectionInfo(name, model, Integer.parseInt(dimension), data.getOrDefault(CollectionInfo.ROOT_KEY, ""));
    }

    static void checkCompatible(CollectionInfo existing, CollectionInfo expected) {
        if (!existing.model().equals(expected.model()) || existing.dimension() != expected.dimension()) {
            throw new IndexerException("Collection '" + expected.name() + "' was built with model " + existing.model()
                    + " (" + existing.dimension() + " dimensions), not " + expected.model() + " ("
                    + expected.dimension() + "); rerun with --model " + existing.model()
                    + ", or with --reindex to rebuild it with " + expected.model() + ".");
        }
    }

    static IndexerException noCollection(Path dir, String name) {
        return new IndexerException("There is no collection '" + name + "' (looked in " + dir
                + "); index one first with: indexer index PATH --collection " + name);
    }

    /**
     * The sentence for a failed read or open. Missing or corrupt index files mean the index was
     * damaged from outside (files deleted, a disk error, an interrupted copy): no retry helps, a
     * rebuild does; anything else gets {@code remedy}. Where the index's directory itself is gone, it
     * was deleted while being read (a server that sees that builds it again by itself), which no
     * {@code --reindex} of what is there can mend.
     */
    static IndexerException failure(Path dir, String collection, String action, IOException e, String remedy) {
        if ((e instanceof NoSuchFileException || e instanceof FileNotFoundException) && !Files.isDirectory(dir)) {
            return new IndexerException("The index of collection '" + collection + "' at " + dir + " was deleted"
                    + " while it was being read; a server that serves it builds it again by itself, else index it"
                    + " again with: indexer index PATH --collection " + collection, e);
        }
        if (e instanceof NoSuchFileException || e instanceof FileNotFoundException
                || e instanceof CorruptIndexException || e instanceof IndexFormatTooOldException
                || e instanceof IndexFormatTooNewException) {
            String what = e instanceof NoSuchFileException missing && missing.getFile() != null
                    ? "missing file " + Path.of(missing.getFile()).getFileName() : e.getMessage();
            return new IndexerException("The index of collection '" + collection + "' at " + dir + " is damaged ("
                    + what + "); rebuild it with: indexer index PATH --collection " + collection + " --reindex", e);
        }
        return new IndexerException("Could not " + action + " the index at " + dir + " (" + e.getMessage() + ")"
                + (remedy.isEmpty() ? "." : "; " + remedy + "."), e);
    }

    static void closeQuietly(Closeable... closeables) {
        for (Closeable closeable : closeables) {
            try (Closeable closing = closeable) {
                // closed here, if there is one
            } catch (IOException ignored) {
                // nothing more to release
            }
        }
    }
}
