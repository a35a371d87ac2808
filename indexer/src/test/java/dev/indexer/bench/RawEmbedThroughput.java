package dev.indexer.bench;

import dev.indexer.chunk.Chunk;
import dev.indexer.chunk.ChunkingOptions;
import dev.indexer.chunk.FileChunker;
import dev.indexer.chunk.SourceReader;
import dev.indexer.config.Defaults;
import dev.indexer.config.ModelSpec;
import dev.indexer.embed.onnx.OnnxEmbedder;
import dev.indexer.walk.ContentSniffer;
import dev.indexer.walk.FileWalker;
import dev.indexer.walk.SourceFile;
import dev.indexer.walk.WalkOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Benchmark only: the model's own speed on a tree's chunks, with no pipeline around it. Cuts the
 * tree into chunks first (not timed), then embeds them all in model calls planned as the
 * pipeline plans them (length-sorted, at most {@code BATCH_TOKENS} padded tokens) and prints
 * {@code raw: N chunks, S s, R chunks/s}.
 *
 * <p>Usage: {@code RawEmbedThroughput TREE INDEX_DIR BATCH_TOKENS}
 */
public final class RawEmbedThroughput {
    private RawEmbedThroughput() {}

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        int batchTokens = Integer.parseInt(args[2]);
        try (OnnxEmbedder embedder = OnnxEmbedder.open(ModelSpec.BGE_SMALL, Defaults.MODEL_INPUT_TOKENS,
                Runtime.getRuntime().availableProcessors(), Path.of(args[1]))) {
            List<Chunk> chunks = new ArrayList<>();
            SourceReader reader = new SourceReader(new ContentSniffer(Defaults.MAX_LINE_LENGTH), new FileChunker(
                    ChunkingOptions.withTextTokens(Defaults.CHUNK_TOKENS), embedder.tokenCounter()));
            try (Stream<SourceFile> files = new FileWalker(root, new WalkOptions(5L << 20,
                    WalkOptions.SymlinkPolicy.SKIP), (p, r, d) -> {}).stream()) {
                for (SourceFile file : (Iterable<SourceFile>) files::iterator) {
                    reader.read(file, Optional.empty(), chunks::add);
                }
            }
            Chunk[] sorted = chunks.toArray(Chunk[]::new);
            Arrays.sort(sorted, Comparator.comparingInt(Chunk::tokens));
            embedder.embedDocuments(List.of(sorted[0].text())); // warm-up
            long start = System.nanoTime();
            int i = 0;
            while (i < sorted.length) {
                List<String> call = new ArrayList<>();
                int longest = 0;
                while (i < sorted.length && call.size() < 64) {
                    int padded = sorted[i].tokens() + embedder.specialTokens();
                    if (!call.isEmpty() && (long) (call.size() + 1) * Math.max(longest, padded) > batchTokens) {
                        break;
                    }
                    longest = Math.max(longest, padded);
                    call.add(sorted[i++].text());
                }
                embedder.embedDocuments(call);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("raw: %d chunks, %.1f s, %.1f chunks/s%n", sorted.length, seconds, sorted.length / seconds);
        }
    }
}
