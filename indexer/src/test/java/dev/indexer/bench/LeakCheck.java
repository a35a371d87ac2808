package dev.indexer.bench;

import dev.indexer.config.CollectionSpec;
import dev.indexer.config.IndexHome;
import dev.indexer.config.IndexOptions;
import dev.indexer.config.MemoryBudget;
import dev.indexer.config.ModelSpec;
import dev.indexer.config.Rebuild;
import dev.indexer.embed.EmbedderFactory;
import dev.indexer.engine.CollectionWriter;
import dev.indexer.engine.Engine;
import dev.indexer.engine.SearchQuery;
import dev.indexer.pipeline.Cancellation;
import dev.indexer.pipeline.ProgressListener;
import dev.indexer.store.local.EmbeddedTarget;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The leak check the way the seeds measure it: many cycles of index, change, reindex and search
 * inside one JVM, and the heap retained after a full collection early in the run against late.
 * A leak grows with the cycles; a cache fills once and stays.
 *
 * <p>Each cycle edits one file of the tree and indexes the change into a collection kept open (as
 * the server does), searches it, and every tenth cycle also rebuilds a second collection from
 * scratch ({@code --reindex}) through a fresh open and close, so per-run and per-open state are
 * both exercised.
 *
 * <p>Usage (the real model): {@code LeakCheck TREE INDEX_DIR CYCLES [MODEL]}; prints one line per
 * ten cycles and the verdict.
 */
public final class LeakCheck {
    /** One cycle's measurements. */
    public record Sample(int cycle, long retainedHeap, long rssAnon) {}

    /** Retained heap and RssAnon, early (after a warm-up) against late. */
    public record Verdict(double earlyHeapMb, double lateHeapMb, double earlyAnonMb, double lateAnonMb) {
        public double heapRatio() {
            return lateHeapMb / earlyHeapMb;
        }

        public double anonRatio() {
            return lateAnonMb / earlyAnonMb;
        }
    }

    private final Engine engine;
    private final Path tree;

    public LeakCheck(Path tree, Path homeDir, EmbedderFactory models) {
        IndexHome home = new IndexHome(homeDir);
        MemoryBudget memory = MemoryBudget.plan(1L << 30, 256L << 20, ModelSpec.BGE_SMALL);
        this.engine = new Engine(home, new EmbeddedTarget(home, 16), memory, 2, models);
        this.tree = tree;
    }

    /** Runs {@code cycles} cycles; calls {@code each} after every one. */
    public List<Sample> run(int cycles, CollectionSpec spec, java.util.function.Consumer<Sample> each)
            throws IOException {
        Path edited = tree.resolve("leak-check").resolve("Edited.java");
        Files.createDirectories(edited.getParent());
        IndexOptions options = IndexOptions.DEFAULTS.withCommitInterval(Duration.ZERO);
        List<Sample> samples = new ArrayList<>();
        try (CollectionWriter live = engine.openWriter("leak-live", spec, Rebuild.NO)) {
            for (int cycle = 1; cycle <= cycles; cycle++) {
                Files.writeString(edited, "class Edited {\n    /** Edit number " + cycle + ". */\n    int marker" + cycle
                        + "() { return " + cycle + "; }\n}\n");
                live.index(tree, options, ProgressListener.NONE, new Cancellation());
                if (live.reader().search(SearchQuery.of("marker" + cycle)).hits().isEmpty()) {
                    throw new IllegalStateException("cycle " + cycle + ": the edit was not found");
                }
                if (cycle % 10 == 0) {
                    try (CollectionWriter rebuilt = engine.openWriter("leak-rebuilt", spec, Rebuild.NOW)) {
                        rebuilt.index(tree, options, ProgressListener.NONE, new Cancellation());
                    }
                }
                Sample sample = new Sample(cycle, retainedHeap(), rssAnon());
                samples.add(sample);
                each.accept(sample);
            }
        }
        return samples;
    }

    /** Early: the mean of the cycles after the first fifth (warm-up); late: the mean of the last fifth. */
    public static Verdict verdict(List<Sample> samples) {
        int fifth = Math.max(1, samples.size() / 5);
        List<Sample> early = samples.subList(fifth, 2 * fifth);
        List<Sample> late = samples.subList(samples.size() - fifth, samples.size());
        return new Verdict(mean(early, Sample::retainedHeap), mean(late, Sample::retainedHeap),
                mean(early, Sample::rssAnon), mean(late, Sample::rssAnon));
    }

    private static double mean(List<Sample> samples, java.util.function.ToLongFunction<Sample> value) {
        return samples.stream().mapToLong(value).average().orElse(0) / (1 << 20);
    }

    /** Heap in use after full collections: what is still reachable. */
    public static long retainedHeap() {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    /** This process's anonymous resident memory (Linux), or -1. */
    public static long rssAnon() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("RssAnon:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException e) {
            // not Linux
        }
        return -1;
    }

    public static void main(String[] args) throws Exception {
        Path tree = Path.of(args[0]);
        Path home = Path.of(args[1]);
        int cycles = Integer.parseInt(args[2]);
        ModelSpec model = args.length > 3 ? ModelSpec.byId(args[3]) : ModelSpec.BGE_SMALL;
        LeakCheck check = new LeakCheck(tree, home, dev.indexer.embed.onnx.OnnxEmbedder.factory(home));
        long start = System.nanoTime();
        List<Sample> samples = check.run(cycles, new CollectionSpec(model, CollectionSpec.DEFAULTS.chunker()),
                sample -> {
                    if (sample.cycle() % 10 == 0) {
                        System.out.printf(Locale.ROOT, "cycle %d: retained heap %.1f MB, RssAnon %.1f MB%n",
                                sample.cycle(), sample.retainedHeap() / 1048576.0, sample.rssAnon() / 1048576.0);
                    }
                });
        Verdict v = verdict(samples);
        System.out.printf(Locale.ROOT, "%d cycles in %.0f s; retained heap %.1f -> %.1f MB (ratio %.3f); RssAnon %.1f"
                + " -> %.1f MB (ratio %.3f)%n", cycles, (System.nanoTime() - start) / 1e9, v.earlyHeapMb(),
                v.lateHeapMb(), v.heapRatio(), v.earlyAnonMb(), v.lateAnonMb(), v.anonRatio());
    }
}
