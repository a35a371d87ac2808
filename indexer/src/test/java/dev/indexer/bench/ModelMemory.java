package dev.indexer.bench;

import dev.indexer.config.Defaults;
import dev.indexer.config.ModelSpec;
import dev.indexer.embed.onnx.OnnxEmbedder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Benchmark only: the model alone, called for a while with inputs of varying lengths, as the
 * embedding phase calls it (length-sorted calls of at most BATCH_TOKENS padded tokens). Prints a
 * line every REPORT seconds: elapsed, calls, chunks/s, RSS, RssAnon and RssFile (MB).
 *
 * <p>Usage: {@code ModelMemory TREE INDEX_DIR SECONDS BATCH_TOKENS [REPORT]}: the texts are windows
 * of lines of the tree's files, of 8 to 250 words, drawn at random.
 */
public final class ModelMemory {
    private ModelMemory() {}

    public static void main(String[] args) throws IOException {
        Path tree = Path.of(args[0]);
        long seconds = Long.parseLong(args[2]);
        int batchTokens = Integer.parseInt(args[3]);
        long report = args.length > 4 ? Long.parseLong(args[4]) : 30;
        List<String> lines = new ArrayList<>();
        try (Stream<Path> files = Files.walk(tree)) {
            for (Path file : files.filter(Files::isRegularFile).limit(400).toList()) {
                try {
                    lines.addAll(Files.readAllLines(file, StandardCharsets.UTF_8));
                } catch (IOException e) {
                    // not text
                }
            }
        }
        Random random = new Random(11);
        try (OnnxEmbedder model = OnnxEmbedder.open(ModelSpec.BGE_SMALL, Defaults.MODEL_INPUT_TOKENS, 2, Path.of(args[1]))) {
            System.out.printf("loaded: %s%n", memory());
            long start = System.nanoTime();
            long next = start + report * 1_000_000_000L;
            long calls = 0;
            long chunks = 0;
            while (System.nanoTime() - start < seconds * 1_000_000_000L) {
                // One call: inputs of one length class, as length-sorted planning makes them.
                int words = 8 + random.nextInt(243);
                int inputs = Math.max(1, Math.min(64, batchTokens / Math.max(16, words * 5 / 4)));
                List<String> texts = new ArrayList<>(inputs);
                for (int i = 0; i < inputs; i++) {
                    StringBuilder text = new StringBuilder();
                    int at = random.nextInt(lines.size());
                    while (text.length() < words * 5 && at < lines.size()) {
                        text.append(lines.get(at++)).append('\n');
                    }
                    texts.add(text.toString());
                }
                model.embedDocuments(texts);
                calls++;
                chunks += inputs;
                if (System.nanoTime() >= next) {
                    double elapsed = (System.nanoTime() - start) / 1e9;
                    System.out.printf("%6.0f s  %6d calls  %5.1f chunks/s  %s%n", elapsed, calls, chunks / elapsed,
                            memory());
                    next += report * 1_000_000_000L;
                }
            }
        }
    }

    private static String memory() throws IOException {
        StringBuilder out = new StringBuilder();
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            for (String key : List.of("VmRSS", "RssAnon", "RssFile")) {
                if (line.startsWith(key + ":")) {
                    out.append(String.format("%s %d MB  ", key,
                            Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024));
                }
            }
        }
        return out.toString().strip();
    }
}
