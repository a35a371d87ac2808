package dev.indexer.bench;

import dev.indexer.config.ModelSpec;
import dev.indexer.embed.Embedder;
import dev.indexer.embed.EmbedderFactory;
import dev.indexer.embed.onnx.OnnxEmbedder;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Benchmark only: what a loaded model holds besides the tokenizer the lexical phase loaded, with
 * the model counting through that tokenizer ({@code shared}, as shipped) or through one of its own
 * ({@code own}, as before). One mode per JVM: counts tokens (the lexical phase), embeds 400 texts
 * (the embedding phase), collects, and prints RssAnon and the heap in use.
 *
 * <p>Usage: {@code TokenizerSharing own|shared INDEX_DIR}; run the modes alternately, each in a fresh JVM.
 */
public final class TokenizerSharing {
    private TokenizerSharing() {}

    public static void main(String[] args) throws IOException, InterruptedException {
        boolean shared = args[0].equals("shared");
        EmbedderFactory real = OnnxEmbedder.factory(Path.of(args[1]));
        EmbedderFactory factory = shared ? real : new EmbedderFactory() {
            @Override
            public Embedder open(ModelSpec model, int maxTokens, int threads) {
                return real.open(model, maxTokens, threads);
            }

            @Override
            public Embedder open(ModelSpec model, int maxTokens, int threads, Tokenizer counting) {
                return real.open(model, maxTokens, threads); // a tokenizer of its own, as before
            }

            @Override
            public Tokenizer tokenizer(ModelSpec model) {
                return real.tokenizer(model);
            }
        };
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            texts.add("src/main/java/org/example/Part" + i + ".java\nclass Part" + i + " > long value" + i
                    + "(long seed, String name)\n    return seed * " + i + " + name.hashCode(); // héllo wörld " + i);
        }
        try (Embedder embedder = factory.lazily(ModelSpec.BGE_SMALL, 512, 2)) {
            embedder.tokenCounter().countLines(texts);
            for (int from = 0; from < texts.size(); from += 40) {
                embedder.embedDocuments(texts.subList(from, from + 40));
            }
            embedder.tokenCounter().countLines(texts);
            System.gc();
            Thread.sleep(500);
            long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            System.out.printf(Locale.ROOT, "%s: RssAnon %.1f MB, heap in use %.1f MB%n", args[0], rssAnonKb() / 1024.0,
                    heap / 1048576.0);
        }
    }

    private static long rssAnonKb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("RssAnon:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return -1;
    }
}
