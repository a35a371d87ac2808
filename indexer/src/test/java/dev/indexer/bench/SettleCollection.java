package dev.indexer.bench;

import dev.indexer.config.CollectionSpec;
import dev.indexer.config.IndexHome;
import dev.indexer.config.IndexOptions;
import dev.indexer.config.MemoryBudget;
import dev.indexer.config.Rebuild;
import dev.indexer.engine.CollectionWriter;
import dev.indexer.engine.Engine;
import dev.indexer.pipeline.Cancellation;
import dev.indexer.pipeline.ProgressListener;
import dev.indexer.pipeline.RunSummary;
import dev.indexer.store.local.EmbeddedTarget;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * How long settling a collection as a run left it takes, with no budget: the writer's settle (the
 * merges the policy asks for, one at a time, committed), as {@code indexer index} and a server's
 * idle time run it. Prints the segments before and after. Run it under {@code scripts/memory-curve}
 * to see the merges' memory.
 *
 * <p>Usage: {@code SettleCollection TREE INDEX_DIR COLLECTION [MINUTES]} (a run over TREE first, which finds
 * nothing to do on a collection just built from it: the writer settles what its session opened)
 */
public final class SettleCollection {
    private SettleCollection() {}

    public static void main(String[] args) {
        Path tree = Path.of(args[0]);
        IndexHome home = IndexHome.resolve(Optional.of(Path.of(args[1])), Map.of());
        String collection = args[2];
        Duration budget = Duration.ofMinutes(args.length > 3 ? Long.parseLong(args[3]) : 60);
        Engine engine = Engine.forReading(home, new EmbeddedTarget(home,
                MemoryBudget.forReading(Runtime.getRuntime().maxMemory()).luceneBufferMB()));
        try (CollectionWriter writer = engine.openWriter(collection, CollectionSpec.DEFAULTS, Rebuild.NO)) {
            System.out.println("before: " + segments(home, collection));
            RunSummary run = writer.index(tree, IndexOptions.DEFAULTS, ProgressListener.NONE, new Cancellation());
            System.out.printf("a run with %d files to index took %.1f s%n", run.files().indexed(),
                    run.cost().elapsedSeconds());
            long start = System.nanoTime();
            boolean settled = writer.settle(budget, new Cancellation());
            System.out.printf("settle %s in %.1f s: %s%n", settled ? "done" : "cut short", (System.nanoTime() - start) / 1e9,
                    segments(home, collection));
        }
    }

    private static String segments(IndexHome home, String collection) {
        try {
            return ChunkOnlyBuild.segments(home.luceneDir(collection));
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }
}
