package dev.indexer.bench;

import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import dev.indexer.chunk.Chunk;
import dev.indexer.chunk.ChunkingOptions;
import dev.indexer.chunk.FileChunker;
import dev.indexer.chunk.SourceReader;
import dev.indexer.config.Defaults;
import dev.indexer.config.ModelSpec;
import dev.indexer.embed.onnx.OnnxEmbedder.Tuning;
import dev.indexer.embed.onnx.OnnxEmbedder;
import dev.indexer.memory.NativeHeapTrim;
import dev.indexer.walk.ContentSniffer;
import dev.indexer.walk.FileWalker;
import dev.indexer.walk.SourceFile;
import dev.indexer.walk.WalkOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Benchmark only: the model alone, under the options ONNX Runtime's Java API gives, on the chunks
 * the chunker makes of a tree (cut first, not timed). Each option set gets a fresh session, a
 * warm-up, then embeds the same chunks in calls planned as given; the sets run in turn, {@code
 * ROUNDS} times over (A B C A B C), and the table gives each set's median.
 *
 * <p>Usage: {@code ModelAlone TREE HOME_DIR MAX_CHUNKS ROUNDS [SET...]}; the sets are named in
 * {@link #sets}. Tokens are the model's real input tokens (special tokens included); padded tokens
 * are what the calls computed (inputs x the longest input of each call). With {@code -Dinputs=shipped}
 * the model is given what the pipeline gives it: each chunk's inputs ({@link Chunk#embedParts()},
 * path and text, and the signatures apart), each distinct one once, data chunks ({@link
 * Chunk#isData()}) left out; otherwise each chunk's whole embedded text.
 */
public final class ModelAlone {
    private ModelAlone() {}

    /**
     * One way of running the model.
     *
     * @param budget the most padded tokens in the calls running at once (each call its share)
     * @param inputs the most inputs in one call
     * @param sortWindow chunks sorted by length within runs of this many (0: all at once; 1: not
     *     sorted, calls in the tree's order); the pipeline sorts within a batch of files
     * @param trimSeconds the C heap trimmed this often while the model runs (0: never), as
     *     memory/MemoryReturn may do during a run: to see what a trim costs the model
     */
    record Set(String name, Tuning tuning, int budget, int inputs, int sortWindow, int trimSeconds,
            boolean ownSessions) {
        Set(String name, Tuning tuning, int budget, int inputs, int sortWindow) {
            this(name, tuning, budget, inputs, sortWindow, 0, false);
        }

        Set(String name, Tuning tuning, int budget, int inputs, int sortWindow, int trimSeconds) {
            this(name, tuning, budget, inputs, sortWindow, trimSeconds, false);
        }

        /** Calls at once: the tuning's, each given its share of the budget, as the embedding stage does. */
        int callers() {
            return tuning.callers();
        }

        int callBudget() {
            return budget / tuning.callers();
        }
    }

    /** One model input and its tokens, special tokens included. */
    private record Input(String text, int tokens) {}

    static Map<String, Set> sets(int cores) {
        Tuning shipped = Tuning.of(cores);
        Tuning two = Tuning.twoCallers(cores);
        Map<String, Set> sets = new LinkedHashMap<>();
        for (Set set : List.of(
                // As the pipeline runs the model: 1,024 padded tokens in flight (MemoryBudget's most),
                // shared by the calls at once, sorted within the embed stage's window (1,024 chunks).
                new Set("shipped", shipped, 1024, 64, 1024),
                // Two calls at once, each on half the cores (not shipped: see Tuning.twoCallers).
                new Set("two-callers", two, 1024, 64, 1024),
                // The model's graph as its artifact ships it, not rewritten by FasterGraph.
                new Set("graph-as-shipped", shipped.with(OnnxEmbedder.Graph.AS_SHIPPED), 1024, 64, 1024),
                new Set("shipped-trim-5s", shipped, 1024, 64, 1024, 5),
                new Set("shipped-trim-30s", shipped, 1024, 64, 1024, 30),
                new Set("window-32-calls", shipped, 1024, 64, 350),
                new Set("sorted-all", shipped, 1024, 64, 0),
                new Set("unsorted", shipped, 1024, 64, 1),
                new Set("budget-512", Tuning.oneCaller(cores), 512, 64, 1024),
                new Set("budget-2048", Tuning.oneCaller(cores), 2048, 64, 1024),
                new Set("budget-4096", Tuning.oneCaller(cores), 4096, 64, 1024),
                new Set("threads-1", Tuning.oneCaller(1), 1024, 64, 1024),
                // As shipped, each of the calls at once with the whole budget (twice the memory), or
                // on a session each rather than one session's thread-safe runs.
                new Set("two-callers-budget-2048", two, 2048, 64, 1024),
                new Set("two-callers-budget-768", two, 768, 64, 1024),
                new Set("two-callers-sessions-2", two, 1024, 64, 1024, 0, true),
                new Set("two-callers-no-arena", new Tuning(two.threads(), two.callers(), OptLevel.ALL_OPT, true,
                        false, Map.of(), OnnxEmbedder.Graph.REWRITTEN), 1024, 64, 1024),
                new Set("no-spin", new Tuning(cores, OptLevel.ALL_OPT, false, true, Map.of()), 1024, 64, 1024),
                new Set("opt-extended", new Tuning(cores, OptLevel.EXTENDED_OPT, true, true, Map.of()), 1024, 64, 1024),
                new Set("opt-basic", new Tuning(cores, OptLevel.BASIC_OPT, true, true, Map.of()), 1024, 64, 1024),
                new Set("no-arena", new Tuning(cores, OptLevel.ALL_OPT, true, false, Map.of()), 1024, 64, 1024),
                new Set("block-base-4", new Tuning(cores, OptLevel.ALL_OPT, true, true,
                        Map.of("session.dynamic_block_base", "4")), 1024, 64, 1024),
                // Without prepacked weights: the runtime otherwise keeps the quantized weights twice,
                // as loaded and packed for its int8 matrix kernels (about 20 MB of native memory).
                new Set("no-prepack", new Tuning(shipped.threads(), shipped.callers(), OptLevel.ALL_OPT, true, true,
                        Map.of("session.disable_prepacking", "1"), OnnxEmbedder.Graph.REWRITTEN), 1024, 64, 1024),
                new Set("two-callers-no-prepack", new Tuning(two.threads(), two.callers(), OptLevel.ALL_OPT, true, true,
                        Map.of("session.disable_prepacking", "1"), OnnxEmbedder.Graph.REWRITTEN), 1024, 64, 1024),
                new Set("denormal-zero", new Tuning(cores, OptLevel.ALL_OPT, true, true,
                        Map.of("session.set_denormal_as_zero", "1")), 1024, 64, 1024))) {
            sets.put(set.name(), set);
        }
        return sets;
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        Path home = Path.of(args[1]);
        int maxChunks = Integer.parseInt(args[2]);
        int rounds = Integer.parseInt(args[3]);
        int cores = Runtime.getRuntime().availableProcessors();
        Map<String, Set> all = sets(cores);
        List<Set> chosen = new ArrayList<>();
        for (int i = 4; i < args.length; i++) {
            chosen.add(all.get(args[i]));
        }
        if (chosen.isEmpty()) {
            chosen.addAll(all.values());
        }
        List<Chunk> kept = chunks(root, home, maxChunks);
        List<Input> chunks = inputs(kept, home);
        long tokens = 0;
        for (Input input : chunks) {
            tokens += input.tokens();
        }
        System.out.printf("%d chunks, %d inputs, %d tokens (special tokens included), %.1f tokens per input%n",
                kept.size(), chunks.size(), tokens, (double) tokens / chunks.size());
        Map<String, List<double[]>> runs = new LinkedHashMap<>();
        for (int round = 0; round < rounds; round++) {
            for (Set set : chosen) {
                double[] run = run(set, chunks, home);
                runs.computeIfAbsent(set.name(), k -> new ArrayList<>()).add(run);
                System.out.printf("round %d %-16s %7.1f s %8.0f tokens/s %8.0f padded/s %6.1f chunks/s %8.0f page faults%n",
                        round + 1, set.name(), run[0], tokens / run[0], run[1] / run[0], chunks.size() / run[0], run[2]);
            }
        }
        // Memory of the whole process after the runs: meaningful with one set per process.
        String status = java.nio.file.Files.readString(Path.of("/proc/self/status"));
        System.out.println(Arrays.stream(status.split("\n"))
                .filter(l -> l.startsWith("VmHWM") || l.startsWith("RssAnon") || l.startsWith("RssFile"))
                .map(l -> l.replaceAll("\\s+", " ")).reduce((a, b) -> a + ", " + b).orElse(""));
        System.out.println();
        System.out.println("| option set | tuning | padded tokens per call | inputs per call | sorted within |"
                + " tokens/s (median) | padded tokens/s | padding | chunks/s |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        for (Set set : chosen) {
            List<double[]> measured = runs.get(set.name());
            double[] seconds = measured.stream().mapToDouble(r -> r[0]).sorted().toArray();
            int middle = seconds.length / 2;
            double median = seconds.length % 2 == 1 ? seconds[middle] : (seconds[middle - 1] + seconds[middle]) / 2;
            double padded = measured.get(0)[1];
            System.out.printf("| %s | %s | %d | %d | %s | %.0f | %.0f | %.1f%% | %.1f |%n", set.name(),
                    describe(set.tuning()) + (set.callers() > 1 ? ", " + set.callers() + " calls at once"
                            + (set.ownSessions() ? " (a session each)" : " (one session)") : ""), set.callBudget(),
                    set.inputs(),
                    set.sortWindow() == 0 ? "all" : set.sortWindow() == 1 ? "none" : set.sortWindow() + " chunks",
                    tokens / median, padded / median, 100 * (padded - tokens) / padded, chunks.size() / median);
        }
    }

    private static String describe(Tuning tuning) {
        return tuning.threads() + (tuning.callers() > 1 ? " thread(s) per call" : " threads") + ", " + tuning.level()
                + (tuning.graph() == OnnxEmbedder.Graph.REWRITTEN ? ", graph rewritten" : ", graph as shipped")
                + (tuning.spinning() ? "" : ", no spinning")
                + (tuning.arena() ? "" : ", no arena") + (tuning.entries().isEmpty() ? "" : ", " + tuning.entries());
    }

    /** Seconds and padded tokens of one pass over the chunks. */
    private static double[] run(Set set, List<Input> chunks, Path home) throws Exception {
        if (set.callers() > 1) {
            return runConcurrently(set, chunks, home);
        }
        try (OnnxEmbedder embedder = OnnxEmbedder.open(ModelSpec.BGE_SMALL, Defaults.MODEL_INPUT_TOKENS,
                set.tuning(), home)) {
            List<List<Input>> calls = plan(chunks, set);
            for (int i = 0; i < Math.min(3, calls.size()); i++) {
                embedder.embedDocuments(calls.get(i).stream().map(Input::text).toList()); // warm-up
            }
            long padded = 0;
            long faults = minorFaults();
            long start = System.nanoTime();
            long lastTrim = start;
            for (List<Input> call : calls) {
                if (set.trimSeconds() > 0 && System.nanoTime() - lastTrim >= set.trimSeconds() * 1_000_000_000L) {
                    if (!NativeHeapTrim.trim()) {
                        throw new IllegalStateException("this JVM or C library cannot trim its native heap");
                    }
                    lastTrim = System.nanoTime();
                }
                padded += padded(call);
                embedder.embedDocuments(call.stream().map(Input::text).toList());
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            return new double[] {seconds, padded, minorFaults() - faults};
        }
    }

    /**
     * Two callers taking the next call in turn: on one session (its document calls run two at once),
     * or on a session each.
     */
    private static double[] runConcurrently(Set set, List<Input> chunks, Path home) throws Exception {
        OnnxEmbedder first = OnnxEmbedder.open(ModelSpec.BGE_SMALL, Defaults.MODEL_INPUT_TOKENS, set.tuning(), home);
        OnnxEmbedder second = set.ownSessions()
                ? OnnxEmbedder.open(ModelSpec.BGE_SMALL, Defaults.MODEL_INPUT_TOKENS, set.tuning(), home) : first;
        if (set.callers() != 2) {
            throw new IllegalArgumentException("this bench runs one or two callers");
        }
        try {
            List<List<Input>> calls = plan(chunks, set);
            for (int i = 0; i < Math.min(3, calls.size()); i++) {
                first.embedDocuments(calls.get(i).stream().map(Input::text).toList()); // warm-up
                second.embedDocuments(calls.get(i).stream().map(Input::text).toList());
            }
            long padded = 0;
            for (List<Input> call : calls) {
                padded += padded(call);
            }
            java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
            long faults = minorFaults();
            long start = System.nanoTime();
            Thread other = new Thread(() -> {
                for (int i; (i = next.getAndIncrement()) < calls.size(); ) {
                    second.embedDocuments(calls.get(i).stream().map(Input::text).toList());
                }
            });
            other.start();
            for (int i; (i = next.getAndIncrement()) < calls.size(); ) {
                first.embedDocuments(calls.get(i).stream().map(Input::text).toList());
            }
            other.join();
            double seconds = (System.nanoTime() - start) / 1e9;
            return new double[] {seconds, padded, minorFaults() - faults};
        } finally {
            first.close();
            if (second != first) {
                second.close();
            }
        }
    }

    private static long padded(List<Input> call) {
        int longest = 0;
        for (Input input : call) {
            longest = Math.max(longest, input.tokens());
        }
        return (long) longest * call.size();
    }

    /** This process's minor page faults so far ({@code /proc/self/stat}, field 10), or 0. */
    private static long minorFaults() {
        try {
            String stat = java.nio.file.Files.readString(Path.of("/proc/self/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[7]);
        } catch (java.io.IOException | RuntimeException e) {
            return 0;
        }
    }


    /** Calls as the pipeline plans them: sorted by length within each window, bounded in padded tokens. */
    private static List<List<Input>> plan(List<Input> chunks, Set set) {
        List<List<Input>> calls = new ArrayList<>();
        int window = set.sortWindow() <= 1 ? chunks.size() : set.sortWindow();
        for (int from = 0; from < chunks.size(); from += window) {
            Input[] part = chunks.subList(from, Math.min(chunks.size(), from + window)).toArray(Input[]::new);
            if (set.sortWindow() != 1) {
                Arrays.sort(part, Comparator.comparingInt(Input::tokens));
            }
            List<Input> call = new ArrayList<>();
            int longest = 0;
            for (Input chunk : part) {
                int length = chunk.tokens();
                int padded = Math.max(longest, length) * (call.size() + 1);
                if (!call.isEmpty() && (padded > set.callBudget() || call.size() >= set.inputs())) {
                    calls.add(call);
                    call = new ArrayList<>();
                    longest = 0;
                }
                call.add(chunk);
                longest = Math.max(longest, length);
            }
            if (!call.isEmpty()) {
                calls.add(call);
            }
        }
        return calls;
    }

    /** What the model is given for {@code chunks}: see the class comment. */
    private static List<Input> inputs(List<Chunk> chunks, Path home) {
        if (!"shipped".equals(System.getProperty("inputs"))) {
            // Each chunk's whole text as the model reads it (its comments' markup left out), as one input.
            return chunks.stream().map(c -> new Input(String.join("\n", c.embedParts()), c.tokens() + 2)).toList();
        }
        // Data chunks are searched by their words only: the pipeline gives the model none of them.
        List<String> parts = chunks.stream().filter(c -> !c.isData()).flatMap(c -> c.embedParts().stream())
                .distinct().toList();
        try (OnnxEmbedder counter = OnnxEmbedder.open(ModelSpec.BGE_SMALL, Defaults.MODEL_INPUT_TOKENS, 1, home)) {
            int[] counted = counter.tokenCounter().countLines(parts);
            List<Input> inputs = new ArrayList<>();
            for (int i = 0; i < parts.size(); i++) {
                inputs.add(new Input(parts.get(i), Math.min(Defaults.MODEL_INPUT_TOKENS, counted[i] + 2)));
            }
            return inputs;
        }
    }

    /**
     * The tree's chunks as the default chunker cuts them, every n-th kept to stay within about
     * {@code max} (with shipped inputs, every n-th file's).
     */
    private static List<Chunk> chunks(Path root, Path home, int max) throws Exception {
        List<Chunk> all = new ArrayList<>();
        try (OnnxEmbedder counter = OnnxEmbedder.open(ModelSpec.BGE_SMALL, Defaults.MODEL_INPUT_TOKENS, 1, home)) {
            int model = Defaults.MODEL_INPUT_TOKENS - counter.specialTokens();
            SourceReader reader = new SourceReader(new ContentSniffer(Defaults.MAX_LINE_LENGTH), new FileChunker(
                    ChunkingOptions.withTextTokens(Defaults.CHUNK_TOKENS).withLineTokens(model), counter.tokenCounter()));
            try (Stream<SourceFile> files = new FileWalker(root, new WalkOptions(Defaults.MAX_FILE_SIZE,
                    WalkOptions.SymlinkPolicy.SKIP), (p, r, d) -> {}).stream()) {
                for (SourceFile file : (Iterable<SourceFile>) files::iterator) {
                    reader.read(file, Optional.empty(), all::add);
                }
            }
        }
        int step = Math.max(1, (all.size() + max - 1) / max);
        List<Chunk> kept = new ArrayList<>();
        if ("shipped".equals(System.getProperty("inputs"))) {
            // Whole files, every n-th: a class's chunks share its signatures as they do in the tree.
            Map<String, List<Chunk>> byFile = new LinkedHashMap<>();
            all.forEach(c -> byFile.computeIfAbsent(c.path(), p -> new ArrayList<>()).add(c));
            int file = 0;
            for (List<Chunk> chunks : byFile.values()) {
                if (file++ % step == 0) {
                    kept.addAll(chunks);
                }
            }
            return kept;
        }
        for (int i = 0; i < all.size(); i += step) {
            kept.add(all.get(i));
        }
        return kept;
    }
}
