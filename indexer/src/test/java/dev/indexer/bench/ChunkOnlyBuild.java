package dev.indexer.bench;

import dev.indexer.chunk.TokenCounter;
import dev.indexer.config.ChunkerKind;
import dev.indexer.config.CollectionSpec;
import dev.indexer.config.Defaults;
import dev.indexer.config.IndexHome;
import dev.indexer.config.IndexOptions;
import dev.indexer.config.MemoryBudget;
import dev.indexer.config.ModelSpec;
import dev.indexer.config.Rebuild;
import dev.indexer.embed.Embedder;
import dev.indexer.embed.EmbedderFactory;
import dev.indexer.embed.onnx.OnnxEmbedder;
import dev.indexer.engine.CollectionWriter;
import dev.indexer.engine.Engine;
import dev.indexer.pipeline.Cancellation;
import dev.indexer.pipeline.ProgressListener;
import dev.indexer.pipeline.RunSummary;
import dev.indexer.store.local.EmbeddedTarget;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Benchmark set-up only: builds a collection through the engine, as {@code indexer index} does (real
 * walk, real tokenizer and chunks, real Lucene store and manifest) but with stand-in vectors derived from a
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
        MemoryBudget memory = MemoryBudget.plan(1L << 30, 256L << 20, model);
        // The tokenizer only: the model's session would hold memory this run never uses.
        try (EmbedderFactory.Tokenizer counter = OnnxEmbedder.factory(home.dir()).tokenizer(model)) {
            Engine engine = new Engine(home, new EmbeddedTarget(home, memory.luceneBufferMB()), memory, 2,
                    new EmbedderFactory() {
                        @Override
                        public Embedder open(ModelSpec spec, int tokens, int threads) {
                            return new HashVectors(spec, counter);
                        }

                        @Override
                        public EmbedderFactory.Tokenizer tokenizer(ModelSpec spec) {
                            return OnnxEmbedder.factory(home.dir()).tokenizer(spec);
                        }
                    });
            long start = System.nanoTime();
            RunSummary summary;
            try (CollectionWriter c = engine.openWriter(collection, new CollectionSpec(model, ChunkerKind.SYNTAX),
                    Rebuild.NO)) {
                summary = c.index(root, IndexOptions.DEFAULTS.withCommitInterval(Duration.ofSeconds(30)),
                        ProgressListener.NONE, new Cancellation());
                System.out.printf("chunk-only build: %d files, %d chunks, %.1f s; the run left %s%n",
                        summary.files().indexed(), summary.chunks().written(), (System.nanoTime() - start) / 1e9,
                        segments(home.luceneDir(collection)));
                // As indexer index ends a run: its merges settled within the same budget.
                Duration budget = Defaults.settleBudget(Duration.ofNanos(System.nanoTime() - start));
                long settling = System.nanoTime();
                boolean settled = c.settle(budget, new Cancellation());
                System.out.printf("settle: %s in %.1f s (budget %d s); %s%n", settled ? "done" : "cut short",
                        (System.nanoTime() - settling) / 1e9, budget.toSeconds(), segments(home.luceneDir(collection)));
            }
            System.out.printf("closed after %.1f s%n", (System.nanoTime() - start) / 1e9);
        }
    }

    /** What the newest commit holds: segments, documents, deleted documents. */
    static String segments(Path luceneDir) throws java.io.IOException {
        try (org.apache.lucene.store.Directory dir = org.apache.lucene.store.FSDirectory.open(luceneDir)) {
            org.apache.lucene.index.SegmentInfos infos = org.apache.lucene.index.SegmentInfos.readLatestCommit(dir);
            long docs = infos.asList().stream().mapToLong(i -> i.info.maxDoc()).sum();
            long deleted = infos.asList().stream().mapToLong(i -> i.getDelCount()).sum();
            return infos.size() + " segments, " + docs + " documents of which " + deleted + " deleted";
        }
    }

    /** Unit vectors from SHA-256 of the text: deterministic, distinct, and free of any model. */
    record HashVectors(ModelSpec spec, TokenCounter counter) implements Embedder {
        @Override
        public ModelSpec model() {
            return spec;
        }

        @Override
        public int maxTokens() {
            return Defaults.MODEL_INPUT_TOKENS;
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
        public float[][] embedDocumentsForSearch(List<String> texts) {
            return embedDocuments(texts);
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
