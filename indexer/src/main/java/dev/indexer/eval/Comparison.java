package dev.indexer.eval;

import dev.indexer.IndexerException;
import dev.indexer.config.ChunkerKind;
import dev.indexer.config.CollectionSpec;
import dev.indexer.config.IndexHome;
import dev.indexer.config.IndexOptions;
import dev.indexer.config.MemoryBudget;
import dev.indexer.config.ModelSpec;
import dev.indexer.config.Rebuild;
import dev.indexer.engine.CollectionReader;
import dev.indexer.engine.CollectionWriter;
import dev.indexer.engine.Engine;
import dev.indexer.pipeline.Cancellation;
import dev.indexer.pipeline.ProgressListener;
import dev.indexer.state.CollectionFiles;
import dev.indexer.store.SearchMode;
import dev.indexer.store.local.EmbeddedTarget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What {@code indexer evaluate} runs: an evaluation set built from a codebase, then, for each
 * model and chunker, the documentation-free copy indexed in a collection of its own and every query
 * asked in lexical, vector and hybrid mode. Always on the embedded store: it measures search, not
 * a server.
 */
public final class Comparison {
    /**
     * How much of the codebase to use: seeded random samples.
     *
     * @param maxFiles source files to index at most (indexing time grows with them)
     */
    public record Sample(int maxFiles, int maxQueries, long seed) {}

    /**
     * One model, chunker and mode, scored.
     *
     * @param chunks chunks its collection holds
     * @param indexTime how long indexing the copy took
     */
    public record Row(ModelSpec model, ChunkerKind chunker, SearchMode mode, long chunks, Duration indexTime,
            Scores scores) {}

    /**
     * The scores of one way of searching.
     *
     * @param fileRecallAt10 share with a top-10 hit in the function's file
     * @param fileMrrAt10 mean of 1/rank of the first hit in the function's file (0 past ten)
     * @param spanRecallAt10 share with a top-10 hit in the function's file whose lines overlap the function
     * @param spanMrrAt10 mean of 1/rank of the first such hit
     * @param spanRecallAt1 share whose first hit overlaps the function
     */
    public record Scores(int queries, double fileRecallAt10, double fileMrrAt10, double spanRecallAt10,
            double spanMrrAt10, double spanRecallAt1) {}

    /** Told what is measured, as it is measured. */
    public interface Listener {
        /** The set is built: {@code queries} from {@code files} source files. */
        void built(int queries, int files);

        void scored(Row row);
    }

    private Comparison() {}

    /**
     * Runs the comparison in {@code work} (the copy of the code and the collections go there; kept).
     *
     * @throws IndexerException if the codebase has no documented function
     */
    public static void run(Path root, Path work, Sample sample, List<ModelSpec> models, List<ChunkerKind> chunkers,
            Listener listener) throws IOException {
        Path copy = work.resolve("code");
        if (Files.exists(copy)) {
            CollectionFiles.deleteContents(copy);
        }
        Files.createDirectories(copy);
        EvalSetBuilder.EvalSet set = EvalSetBuilder.build(root.toAbsolutePath(), copy, sample.maxFiles(),
                sample.maxQueries(), sample.seed());
        if (set.queries().isEmpty()) {
            throw new IndexerException("No documented functions found in " + root + "; evaluation needs code whose"
                    + " functions have doc comments or docstrings.");
        }
        listener.built(set.queries().size(), set.files());
        IndexHome home = new IndexHome(work.resolve("home").toAbsolutePath().normalize());
        for (ModelSpec model : models) {
            for (ChunkerKind chunker : chunkers) {
                evaluate(set, home, model, chunker, listener);
            }
        }
    }

    private static void evaluate(EvalSetBuilder.EvalSet set, IndexHome home, ModelSpec model, ChunkerKind chunker,
            Listener listener) {
        String name = "eval-" + model.id() + "-" + chunker.id();
        MemoryBudget memory = MemoryBudget.forRun(Optional.empty(), model);
        Engine engine = Engine.standard(home, new EmbeddedTarget(home, memory.luceneBufferMB()), memory);
        long start = System.nanoTime();
        try (CollectionWriter writer = engine.openWriter(name, new CollectionSpec(model, chunker), Rebuild.NOW)) {
            writer.index(set.code(), IndexOptions.DEFAULTS, ProgressListener.NONE, new Cancellation());
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            CollectionReader reader = writer.reader();
            long chunks = reader.status(Optional.empty()).storeChunks();
            for (SearchMode mode : List.of(SearchMode.LEXICAL, SearchMode.VECTOR, SearchMode.HYBRID)) {
                listener.scored(new Row(model, chunker, mode, chunks, took,
                        Evaluation.run(reader, set.queries(), mode)));
            }
        }
    }
}
