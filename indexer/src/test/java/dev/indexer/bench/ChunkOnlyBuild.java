package dev.indexer.bench;

import dev.indexer.chunk.ChunkingOptions;
import dev.indexer.chunk.FileChunker;
import dev.indexer.chunk.TokenCounter;
import dev.indexer.config.IndexHome;
import dev.indexer.config.IndexerConfig;
import dev.indexer.embed.Embedder;
import dev.indexer.embed.ModelSpec;
import dev.indexer.embed.djl.DjlEmbedder;
import dev.indexer.pipeline.IndexPipeline;
import dev.indexer.pipeline.PipelineSettings;
import dev.indexer.pipeline.ProgressListener;
import dev.indexer.pipeline.RunSummary;
import dev.indexer.state.Manifest;
import dev.indexer.store.CollectionInfo;
import dev.indexer.store.local.LuceneStore;
import dev.indexer.walk.ContentSniffer;
import dev.indexer.walk.WalkOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Benchmark set-up only: builds a collection the way {@code indexer index} does (real walk, real
 * tokenizer and chunks, real Lucene store and manifest) but with stand-in vectors derived from a
 * hash of each chunk's text instead of the model, which would take hours on a large tree. It
 * records the collection as bge-small, so that timed reruns with the real command run against
 * it. Search results on such a collection are meaningless; rerun timings are not.
 *
 * <p>Usage: {@code ChunkOnlyBuild TREE COLLECTION INDEX_DIR}
 */
public final class ChunkOnlyBuild {
    private ChunkOnlyBuild() {}

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]).toAbsolutePath().normalize();
        String collection = args[1];
        IndexHome home = IndexHome.resolve(Optional.of(Path.of(args[2])), Map.of());
        ModelSpec model = ModelSpec.BGE_SMALL;
        try (DjlEmbedder real = DjlEmbedder.open(model, IndexerConfig.CHUNK_TOKENS, 2, home.dir());
                Manifest manifest = Manifest.open(home.collectionDir(collection).resolve(Manifest.FILE_NAME));
                LuceneStore store = LuceneStore.openForWriting(home.luceneDir(collection),
                        new CollectionInfo(collection, model.id(), model.dimension(), root.toString()))) {
            manifest.requireSettings(collection, Map.of(
                    "model", model.id(), "dimension", Integer.toString(model.dimension()),
                    "chunker", IndexerConfig.Chunker.SYNTAX.version()));
            manifest.putMeta(Map.of("root", root.toString(), "max_file_size", Long.toString(5L << 20),
                    "follow_symlinks", "false"));
            Embedder hashed = new HashVectors(model, real.tokenCounter());
            FileChunker chunker = new FileChunker(ChunkingOptions.forModel(IndexerConfig.CHUNK_TOKENS, 2),
                    real.tokenCounter());
            PipelineSettings settings = new PipelineSettings(25, Long.MAX_VALUE, IndexerConfig.QUEUE_ITEMS,
                    8L << 20, 2048, IndexerConfig.EMBED_BATCH_INPUTS, Duration.ofSeconds(30), Duration.ofSeconds(10));
            long start = System.nanoTime();
            RunSummary summary = new IndexPipeline(root, new WalkOptions(5L << 20, WalkOptions.SymlinkPolicy.SKIP),
                    new ContentSniffer(IndexerConfig.MAX_LINE_LENGTH), chunker, hashed, store, manifest, settings,
                    ProgressListener.NONE).run();
            System.out.printf("chunk-only build: %d files, %d chunks, %.1f s%n",
                    summary.filesIndexed(), summary.chunks(), (System.nanoTime() - start) / 1e9);
        }
    }

    /** Unit vectors from SHA-256 of the text: deterministic, distinct, and free of any model. */
    private record HashVectors(ModelSpec spec, TokenCounter counter) implements Embedder {
        @Override
        public ModelSpec model() {
            return spec;
        }

        @Override
        public int maxTokens() {
            return IndexerConfig.CHUNK_TOKENS;
        }

        @Override
        public int specialTokens() {
            return spec.specialTokens();
        }

        @Override
        public TokenCounter tokenCounter() {
            return counter;
        }

        @Override
        public float[][] embedDocuments(List<String> texts) {
            float[][] vectors = new float[texts.size()][];
            for (int i = 0; i < vectors.length; i++) {
                vectors[i] = vector(texts.get(i));
            }
            return vectors;
        }

        @Override
        public float[] embedQuery(String query) {
            return vector(query);
        }

        private float[] vector(String text) {
            try {
                byte[] seed = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
                java.util.Random random = new java.util.Random(java.nio.ByteBuffer.wrap(seed).getLong());
                float[] v = new float[spec.dimension()];
                double sum = 0;
                for (int d = 0; d < v.length; d++) {
                    v[d] = (float) random.nextGaussian();
                    sum += v[d] * v[d];
                }
                for (int d = 0; d < v.length; d++) {
                    v[d] /= (float) Math.sqrt(sum);
                }
                return v;
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void close() {}
    }
}
