package dev.indexer.bench;

import dev.indexer.chunk.Chunk;
import dev.indexer.chunk.ChunkingOptions;
import dev.indexer.chunk.FileChunker;
import dev.indexer.chunk.SourceReader;
import dev.indexer.config.Defaults;
import dev.indexer.config.ModelSpec;
import dev.indexer.embed.EmbedderFactory;
import dev.indexer.embed.onnx.OnnxEmbedder;
import dev.indexer.walk.ContentSniffer;
import dev.indexer.walk.FileWalker;
import dev.indexer.walk.SourceFile;
import dev.indexer.walk.WalkOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Benchmark only: the tokens the model reads for a tree, each distinct input once, with the
 * shipped inputs ({@link Chunk#embedParts()}: path and text, and the enclosing signatures apart)
 * against each chunk's whole embedded text as one input. Special tokens included.
 *
 * <p>Usage: {@code InputAccount TREE HOME_DIR [CUTS]}: with {@code CUTS} (e.g. {@code 64,80,96}), also
 * the shipped inputs' tokens if each were cut at that many tokens (the document-cut experiment,
 * docs/benchmarks.md).
 */
public final class InputAccount {
    private InputAccount() {}

    public static void main(String[] args) throws Exception {
        EmbedderFactory.Tokenizer counter = OnnxEmbedder.factory(Path.of(args[1])).tokenizer(ModelSpec.BGE_SMALL);
        SourceReader reader = new SourceReader(new ContentSniffer(Defaults.MAX_LINE_LENGTH), new FileChunker(
                ChunkingOptions.withTextTokens(Defaults.CHUNK_TOKENS).withLineTokens(Defaults.MODEL_INPUT_TOKENS - 2),
                counter));
        Set<String> together = new HashSet<>();
        Set<String> inputs = new HashSet<>();
        Set<String> readInputs = new HashSet<>();
        long readTokens = 0;
        long dataChunks = 0;
        long togetherTokens = 0;
        long inputTokens = 0;
        long chunks = 0;
        int[] cuts = args.length > 2 ? java.util.Arrays.stream(args[2].split(",")).mapToInt(Integer::parseInt).toArray()
                : new int[0];
        long[] cutTokens = new long[cuts.length];
        try (Stream<SourceFile> walk = new FileWalker(Path.of(args[0]), new WalkOptions(Defaults.MAX_FILE_SIZE,
                WalkOptions.SymlinkPolicy.SKIP), (p, r, d) -> {}).stream()) {
            for (SourceFile file : (Iterable<SourceFile>) walk::iterator) {
                List<Chunk> made = new ArrayList<>();
                reader.read(file, Optional.empty(), made::add);
                List<String> fresh = new ArrayList<>();
                List<Boolean> read = new ArrayList<>();
                List<Boolean> shipped = new ArrayList<>();
                for (Chunk chunk : made) {
                    chunks++;
                    if (together.add(chunk.embedText())) {
                        togetherTokens += chunk.tokens() + 2;
                    }
                    boolean data = chunk.isData();
                    dataChunks += data ? 1 : 0;
                    for (String part : chunk.embedParts()) {
                        boolean isNew = inputs.add(part);
                        boolean isNewRead = !data && readInputs.add(part);
                        if (isNew || isNewRead) {
                            fresh.add(part);
                            read.add(isNewRead);
                            shipped.add(isNew);
                        }
                    }
                }
                int at = 0;
                for (int tokens : fresh.isEmpty() ? new int[0] : counter.countLines(fresh)) {
                    readTokens += read.get(at) ? tokens + 2 : 0;
                    if (!shipped.get(at++)) {
                        continue;
                    }
                    inputTokens += tokens + 2;
                    for (int i = 0; i < cuts.length; i++) {
                        cutTokens[i] += Math.min(tokens + 2, cuts[i]);
                    }
                }
            }
        }
        System.out.printf("%,d chunks; whole embedded texts: %,d distinct, %,d tokens; shipped inputs: %,d distinct,"
                + " %,d tokens (%.1f%%)%n", chunks, together.size(), togetherTokens, inputs.size(), inputTokens,
                100.0 * inputTokens / togetherTokens);
        System.out.printf("data chunks (words only): %,d of %,d; the inputs of the other chunks: %,d distinct, %,d"
                + " tokens (%.1f%% of the shipped inputs')%n", dataChunks, chunks, readInputs.size(), readTokens,
                100.0 * readTokens / inputTokens);
        for (int i = 0; i < cuts.length; i++) {
            System.out.printf("inputs cut at %d tokens: %,d tokens (%.1f%% of the shipped inputs')%n", cuts[i],
                    cutTokens[i], 100.0 * cutTokens[i] / inputTokens);
        }
    }
}
