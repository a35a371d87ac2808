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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Benchmark only: where a tree's embedded tokens go, as the default chunker cuts it. Prints the
 * tokens of chunk headers (path and signatures), of lines that two chunks of a file share
 * (overlap), of chunks that are only comments at a file's start (license headers) and how many of
 * those are the same text, of import/package lines, of chunks whose text is in the tree more
 * than once, and what the model embeds: each distinct embedded text once (the vector cache's doing).
 *
 * <p>Usage: {@code TokenAccount TREE HOME_DIR}
 */
public final class TokenAccount {
    private TokenAccount() {}

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        EmbedderFactory.Tokenizer counter = OnnxEmbedder.factory(Path.of(args[1])).tokenizer(ModelSpec.BGE_SMALL);
        int special = 2;
        int model = Defaults.MODEL_INPUT_TOKENS - special;
        SourceReader reader = new SourceReader(new ContentSniffer(Defaults.MAX_LINE_LENGTH), new FileChunker(
                ChunkingOptions.withTextTokens(Defaults.CHUNK_TOKENS).withLineTokens(model), counter));
        long chunks = 0;
        long files = 0;
        long total = 0;
        long headers = 0;
        long overlap = 0;
        long leadingComments = 0;
        long leadingCommentChunks = 0;
        long imports = 0;
        long repeated = 0;
        Map<String, Integer> seen = new HashMap<>();
        Map<String, Integer> embedded = new HashMap<>();
        try (Stream<SourceFile> walk = new FileWalker(root, new WalkOptions(Defaults.MAX_FILE_SIZE,
                WalkOptions.SymlinkPolicy.SKIP), (p, r, d) -> {}).stream()) {
            for (SourceFile file : (Iterable<SourceFile>) walk::iterator) {
                List<Chunk> made = new ArrayList<>();
                reader.read(file, Optional.empty(), made::add);
                files++;
                int lastEnd = 0;
                for (Chunk chunk : made) {
                    chunks++;
                    int tokens = chunk.tokens() + special;
                    total += tokens;
                    String header = chunk.context().header();
                    if (!header.isEmpty()) {
                        headers += counter.countLines(List.of(header))[0];
                    }
                    List<String> lines = List.of(chunk.text().split("\n", -1));
                    if (chunk.startLine() <= lastEnd) {
                        int shared = Math.min(lastEnd, chunk.endLine()) - chunk.startLine() + 1;
                        overlap += sum(counter.countLines(lines.subList(0, Math.min(shared, lines.size()))));
                    }
                    lastEnd = Math.max(lastEnd, chunk.endLine());
                    if (chunk.ordinal() == 0 && onlyComments(lines)) {
                        leadingComments += tokens;
                        leadingCommentChunks++;
                    }
                    List<String> importLines = lines.stream()
                            .filter(l -> l.startsWith("import ") || l.startsWith("package ")).toList();
                    if (!importLines.isEmpty()) {
                        imports += sum(counter.countLines(importLines));
                    }
                    if (seen.merge(chunk.text(), 1, Integer::sum) > 1) {
                        repeated += tokens;
                    }
                    embedded.putIfAbsent(chunk.embedText(), tokens);
                }
            }
        }
        long distinctLeading = seen.size();
        System.out.printf("%d files, %d chunks, %d tokens embedded (special tokens included), %.1f per chunk%n",
                files, chunks, total, (double) total / chunks);
        row("headers (path and signatures)", headers, total);
        row("lines shared with the chunk before (overlap)", overlap, total);
        row("chunks of only comments at a file's start (" + leadingCommentChunks + ")", leadingComments, total);
        row("import and package lines", imports, total);
        row("chunks whose text came earlier in the tree", repeated, total);
        System.out.printf("distinct chunk texts: %d of %d%n", distinctLeading, chunks);
        long modelTokens = embedded.values().stream().mapToLong(Integer::longValue).sum();
        System.out.printf("what the model embeds (each distinct embedded text once, as the vector cache has it):"
                + " %,d texts, %,d tokens (%.1f%% of all)%n", embedded.size(), modelTokens, 100.0 * modelTokens / total);
        counter.close();
    }

    private static void row(String what, long tokens, long total) {
        System.out.printf("| %s | %,d | %.1f%% |%n", what, tokens, 100.0 * tokens / total);
    }

    private static long sum(int[] values) {
        long sum = 0;
        for (int v : values) {
            sum += v;
        }
        return sum;
    }

    private static boolean onlyComments(List<String> lines) {
        for (String line : lines) {
            String t = line.strip();
            if (!(t.isEmpty() || t.startsWith("/*") || t.startsWith("*") || t.startsWith("//") || t.startsWith("#"))) {
                return false;
            }
        }
        return true;
    }
}
