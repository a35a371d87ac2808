package dev.indexer.bench;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.inference.Predictor;
import ai.onnxruntime.OrtSession;
import com.google.gson.Gson;
import dev.indexer.chunk.Chunk;
import dev.indexer.chunk.ChunkingOptions;
import dev.indexer.chunk.FileChunker;
import dev.indexer.chunk.SourceReader;
import dev.indexer.config.Defaults;
import dev.indexer.config.ModelSpec;
import dev.indexer.embed.onnx.DjlPoolingTranslator;
import dev.indexer.embed.onnx.OnnxEmbedder;
import dev.indexer.walk.ContentSniffer;
import dev.indexer.walk.FileWalker;
import dev.indexer.walk.SourceFile;
import dev.indexer.walk.WalkOptions;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Benchmark only: the embedder as shipped (ONNX Runtime called directly) against DJL's predictor
 * API over the same ONNX Runtime, the way the design first named it (a {@code Model} of the
 * OnnxRuntime engine, a {@code Translator} from encodings to pooled vectors), on the same model
 * calls, one process each, to compare the model's pace and the process's memory over time.
 *
 * <pre>
 * DjlPredictorCompare prepare TREE INDEX_DIR CHUNKS.jsonl   chunk a tree once (not timed)
 * DjlPredictorCompare onnx|djl CHUNKS.jsonl INDEX_DIR MINUTES
 * </pre>
 *
 * Both modes plan the same calls (length-sorted, at most 1,024 padded tokens and 64 inputs, as the
 * pipeline plans them), run them in one shuffled order (calls of varying shape follow each other,
 * as in a run), repeating until MINUTES have passed, and print RssAnon and VmRSS every 15 s, then
 * {@code result MODE chunks/s ... rssAnon1m ... rssAnonLast ...}. The djl mode needs DJL's ONNX
 * Runtime engine on the class path, which the project does not depend on: {@code mvn
 * dependency:get -Dartifact=ai.djl.onnxruntime:onnxruntime-engine:0.38.0} and add its jar.
 */
public final class DjlPredictorCompare {
    private static final int CALL_TOKENS = 1024;
    private static final int CALL_INPUTS = 64;
    private static final ModelSpec MODEL = ModelSpec.BGE_SMALL;

    private DjlPredictorCompare() {}

    public static void main(String[] args) throws Exception {
        // ONNX Runtime's environment recurses deeply in native code when first made (see OnnxEmbedder):
        // DJL's engine makes it on the calling thread, so the work runs on a thread with a large stack.
        Exception[] failure = new Exception[1];
        Thread worker = new Thread(null, () -> {
            try {
                run(args);
            } catch (Exception e) {
                failure[0] = e;
            }
        }, "compare", 64L << 20);
        worker.start();
        worker.join();
        if (failure[0] != null) {
            throw failure[0];
        }
    }

    private static void run(String[] args) throws Exception {
        System.setProperty("OPT_OUT_TRACKING", "true");
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("RUST_FLAVOR", "cpu");
        switch (args[0]) {
            case "prepare" -> prepare(Path.of(args[1]), Path.of(args[2]), Path.of(args[3]));
            case "onnx", "djl" -> measure(args[0], Path.of(args[1]), Path.of(args[2]), Double.parseDouble(args[3]));
            default -> throw new IllegalArgumentException("prepare, onnx or djl");
        }
    }

    private static void prepare(Path root, Path home, Path out) throws Exception {
        System.setProperty("DJL_CACHE_DIR", home.resolve("cache/djl").toString());
        try (OnnxEmbedder embedder = OnnxEmbedder.open(MODEL, Defaults.MODEL_INPUT_TOKENS, 1, home);
                BufferedWriter writer = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            SourceReader reader = new SourceReader(new ContentSniffer(Defaults.MAX_LINE_LENGTH), new FileChunker(
                    ChunkingOptions.withTextTokens(Defaults.CHUNK_TOKENS), embedder.tokenCounter()));
            Gson gson = new Gson();
            try (Stream<SourceFile> files = new FileWalker(root, new WalkOptions(5L << 20,
                    WalkOptions.SymlinkPolicy.SKIP), (p, r, d) -> {}).stream()) {
                for (SourceFile file : (Iterable<SourceFile>) files::iterator) {
                    reader.read(file, Optional.empty(), (Chunk chunk) -> {
                        try {
                            writer.write(gson.toJson(List.of(chunk.tokens() + embedder.specialTokens(),
                                    chunk.text())));
                            writer.newLine();
                        } catch (java.io.IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    });
                }
            }
        }
    }

    private static void measure(String mode, Path chunksFile, Path home, double minutes) throws Exception {
        System.setProperty("DJL_CACHE_DIR", home.resolve("cache/djl").toString());
        List<List<String>> calls = plan(chunksFile);
        Path modelDir = home.resolve("models").resolve(MODEL.id());
        int threads = Runtime.getRuntime().availableProcessors();
        Function<List<String>, float[][]> embed;
        AutoCloseable resources;
        if (mode.equals("onnx")) {
            OnnxEmbedder embedder = OnnxEmbedder.open(MODEL, Defaults.MODEL_INPUT_TOKENS, threads, home);
            embed = embedder::embedDocuments;
            resources = embedder;
        } else {
            DjlPredictor predictor = DjlPredictor.open(modelDir, threads);
            embed = predictor::embed;
            resources = predictor;
        }
        try (resources) {
            float[] first = embed.apply(calls.get(0))[0];
            System.out.printf(Locale.ROOT, "first vector: %.5f %.5f %.5f%n", first[0], first[1], first[2]);
            long start = System.nanoTime();
            long end = start + (long) (minutes * 60e9);
            long nextSample = start;
            long chunks = 0;
            long rssAnonAtMinute = -1;
            long peakAnon = 0;
            for (int i = 0; System.nanoTime() < end; i = (i + 1) % calls.size()) {
                chunks += embed.apply(calls.get(i)).length;
                long now = System.nanoTime();
                if (now >= nextSample) {
                    long[] rss = rss();
                    peakAnon = Math.max(peakAnon, rss[0]);
                    if (rssAnonAtMinute < 0 && now - start >= 60e9) {
                        rssAnonAtMinute = rss[0];
                    }
                    System.out.printf(Locale.ROOT, "%s t=%4.0fs RssAnon=%d MB VmRSS=%d MB%n", mode, (now - start) / 1e9,
                            rss[0] >> 10, rss[1] >> 10);
                    nextSample = now + 15_000_000_000L;
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            long[] last = rss();
            System.out.printf(Locale.ROOT, "result %s chunks/s %.1f rssAnon1m %d MB rssAnonPeak %d MB rssAnonLast %d MB"
                    + " vmRssLast %d MB%n", mode, chunks / seconds, rssAnonAtMinute >> 10,
                    Math.max(peakAnon, last[0]) >> 10, last[0] >> 10, last[1] >> 10);
        }
    }

    /** The calls the pipeline would make of these chunks, in one shuffled order. */
    private static List<List<String>> plan(Path chunksFile) throws Exception {
        Gson gson = new Gson();
        List<Object[]> chunks = new ArrayList<>();
        for (String line : Files.readAllLines(chunksFile)) {
            List<?> pair = gson.fromJson(line, List.class);
            chunks.add(new Object[] {((Number) pair.get(0)).intValue(), pair.get(1)});
        }
        chunks.sort((a, b) -> Integer.compare((int) a[0], (int) b[0]));
        List<List<String>> calls = new ArrayList<>();
        List<String> call = new ArrayList<>();
        int longest = 0;
        for (Object[] chunk : chunks) {
            int padded = (int) chunk[0];
            if (!call.isEmpty() && (call.size() == CALL_INPUTS
                    || (long) (call.size() + 1) * Math.max(longest, padded) > CALL_TOKENS)) {
                calls.add(call);
                call = new ArrayList<>();
                longest = 0;
            }
            call.add((String) chunk[1]);
            longest = Math.max(longest, padded);
        }
        if (!call.isEmpty()) {
            calls.add(call);
        }
        Collections.shuffle(calls, new Random(42));
        return calls;
    }

    /** RssAnon and VmRSS of this process, in KB. */
    private static long[] rss() throws Exception {
        long anon = 0;
        long total = 0;
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("RssAnon:")) {
                anon = Long.parseLong(line.replaceAll("\\D", ""));
            } else if (line.startsWith("VmRSS:")) {
                total = Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return new long[] {anon, total};
    }

    /** DJL's predictor API over the OnnxRuntime engine, with the shipped embedder's session options. */
    private static final class DjlPredictor implements AutoCloseable {
        private final HuggingFaceTokenizer tokenizer;
        private final Model model;
        private final Predictor<Encoding[], float[][]> predictor;

        private DjlPredictor(HuggingFaceTokenizer tokenizer, Model model) {
            this.tokenizer = tokenizer;
            this.model = model;
            Set<String> inputs = Set.copyOf(model.describeInput().keys());
            this.predictor = model.newPredictor(new DjlPoolingTranslator(inputs));
        }

        static DjlPredictor open(Path modelDir, int threads) throws Exception {
            HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(modelDir.resolve("tokenizer.json"),
                    Map.of("maxLength", Integer.toString(Defaults.MODEL_INPUT_TOKENS), "truncation", "true",
                            "padding", "true"));
            OrtSession.SessionOptions options = new OrtSession.SessionOptions();
            options.setIntraOpNumThreads(threads);
            options.setInterOpNumThreads(1);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            options.setMemoryPatternOptimization(false);
            Model model = Model.newInstance(MODEL.id(), Device.cpu(), "OnnxRuntime");
            model.load(modelDir.resolve("model.onnx"), null, Map.of("sessionOptions", options));
            return new DjlPredictor(tokenizer, model);
        }

        float[][] embed(List<String> texts) {
            try {
                return predictor.predict(tokenizer.batchEncode(texts));
            } catch (ai.djl.translate.TranslateException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void close() {
            predictor.close();
            model.close();
            tokenizer.close();
        }
    }
}
