package dev.indexer.bench;

import dev.indexer.TestModels;
import dev.indexer.chunk.ChunkingOptions;
import dev.indexer.chunk.FileChunker;
import dev.indexer.config.Defaults;
import dev.indexer.config.ModelSpec;
import dev.indexer.embed.onnx.OnnxEmbedder;
import dev.indexer.walk.SourceFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Chunking alone, syntax-aware against line windows, over the Java files of a tree: chunks made
 * and chunks per second (real tokenizer, no model). Each chunker runs twice; the second run is
 * the warm one.
 *   usage: ChunkerSpeed DIR
 */
public final class ChunkerSpeed {
    private ChunkerSpeed() {}

    public static void main(String[] args) throws Exception {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(Path.of(args[0]))) {
            files = walk.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
        try (OnnxEmbedder embedder = TestModels.open(ModelSpec.BGE_SMALL)) {
            for (boolean syntax : new boolean[] {false, true, false, true}) {
                ChunkingOptions options = ChunkingOptions.withTextTokens(Defaults.CHUNK_TOKENS);
                if (!syntax) {
                    options = options.withLineWindows();
                }
                FileChunker chunker = new FileChunker(options, embedder.tokenCounter());
                long[] chunks = {0};
                long bytes = 0;
                long start = System.nanoTime();
                for (Path p : files) {
                    bytes += Files.size(p);
                    chunker.chunk(new SourceFile(p, p.getFileName().toString(), Files.size(p),
                            Files.getLastModifiedTime(p).toMillis()), c -> chunks[0]++);
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                System.out.printf("%-6s %d files, %.1f MB, %,d chunks, %.1f s, %,.0f chunks/s%n", syntax ? "syntax" : "lines",
                        files.size(), bytes / 1048576.0, chunks[0], seconds, chunks[0] / seconds);
            }
        }
    }
}
