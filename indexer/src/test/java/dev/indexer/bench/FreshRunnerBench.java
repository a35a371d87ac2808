package dev.indexer.bench;

import dev.indexer.config.ChunkerKind;
import dev.indexer.config.CollectionSpec;
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
import dev.indexer.store.StoreTarget;
import dev.indexer.store.qdrant.FakeQdrant;
import dev.indexer.store.qdrant.QdrantSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Benchmark: CI runners with no local state over a whole tree in one Qdrant collection (the
 * protocol stand-in on a localhost port, in this process), with stand-in vectors (a hash of each
 * chunk's text: the model would take hours on the JDK). A first home builds the collection; a
 * fresh home runs over the unchanged tree; 1% of the Java files get one {@code return} statement
 * changed; another fresh home runs again. Prints each run's wall time, files indexed and found
 * unchanged, and chunks embedded of those in the collection.
 *
 * <pre>
 * cp -r /tmp/jdk /tmp/fresh-tree   # the tree is edited
 * java -Xmx12g -cp test-classes:classes:$(cat standin-classpath.txt) dev.indexer.bench.FreshRunnerBench /tmp/fresh-tree /tmp/fresh-homes
 * </pre>
 */
public final class FreshRunnerBench {
    private static final String REPO = "github.com/openjdk/jdk";

    private FreshRunnerBench() {}

    public static void main(String[] args) throws Exception {
        Path tree = Path.of(args[0]).toAbsolutePath().normalize();
        Path homes = Path.of(args[1]);
        try (FakeQdrant server = FakeQdrant.start()) {
            StoreTarget target = QdrantSettings.forUrl("http://127.0.0.1:" + server.listenOnLocalhost()).target();
            run(target, tree, homes.resolve("builder"), "build, new home");
            run(target, tree, homes.resolve("runner1"), "fresh runner, tree unchanged");
            int edited = edit(tree, 0.01);
            System.out.printf(Locale.ROOT, "edited %,d Java files (one return statement each)%n", edited);
            run(target, tree, homes.resolve("runner2"), "fresh runner, 1% of files edited");
            System.out.printf(Locale.ROOT, "points in the collection: %,d%n", server.pointCount("jdk"));
        }
    }

    private static void run(StoreTarget target, Path tree, Path homeDir, String label) throws Exception {
        IndexHome home = IndexHome.resolve(Optional.of(homeDir), Map.of());
        ModelSpec model = ModelSpec.BGE_SMALL;
        MemoryBudget memory = MemoryBudget.plan(1L << 30, 256L << 20, model);
        try (EmbedderFactory.Tokenizer counter = OnnxEmbedder.factory(home.dir()).tokenizer(model)) {
            Engine engine = new Engine(home, target, memory, 2, new EmbedderFactory() {
                @Override
                public Embedder open(ModelSpec spec, int tokens, int threads) {
                    return new ChunkOnlyBuild.HashVectors(spec, counter);
                }

                @Override
                public EmbedderFactory.Tokenizer tokenizer(ModelSpec spec) {
                    return OnnxEmbedder.factory(home.dir()).tokenizer(spec);
                }
            });
            long start = System.nanoTime();
            RunSummary s;
            try (CollectionWriter writer = engine.openWriter("jdk", REPO, new CollectionSpec(model, ChunkerKind.SYNTAX),
                    Rebuild.NO)) {
                s = writer.index(tree, IndexOptions.DEFAULTS.withCommitInterval(Duration.ofSeconds(30)),
                        ProgressListener.NONE, new Cancellation());
            }
            System.out.printf(Locale.ROOT, "| %s | %.1f s | %,d / %,d | %,d of %,d (%.2f%%) | %,d kept |%n", label,
                    (System.nanoTime() - start) / 1e9, s.files().indexed(), s.changes().touched(), s.chunks().embedded(),
                    s.chunks().inCollection(), 100.0 * s.chunks().embedded() / Math.max(1, s.chunks().inCollection()),
                    s.chunks().reused());
        }
    }

    /** Changes one {@code return x;} line in {@code share} of the Java files, chosen by a fixed seed. */
    private static int edit(Path tree, double share) throws Exception {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(tree)) {
            files = walk.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
        Random random = new Random(20261204);
        int edited = 0;
        for (Path file : files) {
            if (random.nextDouble() >= share) {
                continue;
            }
            List<String> lines;
            try {
                lines = new java.util.ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
            } catch (java.nio.charset.MalformedInputException e) {
                continue;
            }
            for (int i = lines.size() / 2; i < lines.size(); i++) {
                String line = lines.get(i);
                if (line.stripLeading().startsWith("return ") && line.strip().endsWith(";")) {
                    lines.set(i, line.replace("return ", "return /* edited */ "));
                    Files.write(file, lines, StandardCharsets.UTF_8);
                    edited++;
                    break;
                }
            }
        }
        return edited;
    }
}
