package dev.indexer.config;

import dev.indexer.chunk.ChunkingOptions;
import dev.indexer.embed.ModelSpec;
import dev.indexer.pipeline.PipelineSettings;
import dev.indexer.walk.WalkOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Everything an index run needs, validated once, with every default in this one place.
 *
 * @param root the tree to index, absolute
 * @param collection the collection's name
 * @param home where collections and models live
 * @param model the embedding model
 * @param batchSize files per batch
 * @param maxFileSize larger files are skipped
 * @param maxFiles stop after this many files; {@link Long#MAX_VALUE} for no limit
 * @param symlinks whether to follow symbolic links
 * @param threads ONNX Runtime threads
 * @param commitInterval the least time between two commits while running
 * @param memory how the memory budget is spent
 */
public record IndexerConfig(
        Path root,
        String collection,
        IndexHome home,
        ModelSpec model,
        int batchSize,
        long maxFileSize,
        long maxFiles,
        WalkOptions.SymlinkPolicy symlinks,
        int threads,
        Duration commitInterval,
        MemoryBudget memory,
        Chunker chunker) {

    /** How files are cut into chunks. */
    public enum Chunker {
        /** Source code at definitions (tree-sitter), everything else in line windows; all with headers. */
        SYNTAX,
        /** Line windows for every file, with the path as header: the baseline syntax chunks are measured against. */
        LINES;

        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public static Chunker byId(String id) {
            for (Chunker c : values()) {
                if (c.id().equals(id)) {
                    return c;
                }
            }
            throw new IllegalArgumentException("unknown chunker '" + id + "'; use syntax or lines");
        }

        /** The rules' version: a collection made with other rules must be rebuilt, as chunk ids would differ. */
        public String version() {
            return (this == SYNTAX ? "syntax-2/" : "lines-2/") + CHUNK_TOKENS;
        }
    }

    public static final int DEFAULT_BATCH_SIZE = 25;
    public static final String DEFAULT_MAX_FILE_SIZE = "5MB";
    /** The id of the default model, {@link ModelSpec#BGE_SMALL}; a string so annotations can use it. */
    public static final String DEFAULT_MODEL = "bge-small";
    /** Tokens per chunk, special tokens included: the sweet spot of small embedding models. */
    public static final int CHUNK_TOKENS = 256;
    public static final int EMBED_BATCH_INPUTS = 64;
    public static final int QUEUE_ITEMS = 1024;
    /** Work since the last commit is what a crash costs; a commit costs a few fsyncs. */
    public static final String DEFAULT_COMMIT_INTERVAL = "10s";
    public static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(1);
    /** Lines longer than this in a file's head mark it as minified or generated. */
    public static final int MAX_LINE_LENGTH = 4000;

    private static final Pattern COLLECTION_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    public IndexerConfig {
        checkCollectionName(collection);
        if (batchSize < 1 || batchSize > 100_000) {
            throw new IllegalArgumentException("--batch-size must be from 1 to 100000, was " + batchSize);
        }
        if (maxFileSize < 1) {
            throw new IllegalArgumentException("--max-file-size must be at least 1 byte");
        }
        if (maxFiles < 1) {
            throw new IllegalArgumentException("--max-files must be at least 1, was " + maxFiles);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1");
        }
        if (commitInterval.isNegative()) {
            throw new IllegalArgumentException("--commit-interval cannot be negative");
        }
    }

    /** @throws IllegalArgumentException if {@code name} cannot name a collection */
    public static String checkCollectionName(String name) {
        if (!COLLECTION_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("'" + name + "' is not a valid collection name; use 1 to 64 letters,"
                    + " digits, '.', '_' or '-', starting with a letter or digit");
        }
        return name;
    }

    /** What a collection must keep the same for its vectors and chunk ids to stay comparable. */
    public Map<String, String> collectionSettings() {
        return Map.of(
                "model", model.id(),
                "dimension", Integer.toString(model.dimension()),
                "chunker", chunker.version());
    }

    /** How the last run walked, so that {@code status} can compare the tree the same way. */
    public Map<String, String> walkSettings() {
        return Map.of(
                "root", root.toString(),
                "max_file_size", Long.toString(maxFileSize),
                "follow_symlinks", Boolean.toString(symlinks == WalkOptions.SymlinkPolicy.FOLLOW));
    }

    public WalkOptions walkOptions() {
        return new WalkOptions(maxFileSize, symlinks);
    }

    /** Chunk sizes for {@code model}, cut as {@code chunker} says. */
    public static ChunkingOptions chunkingOptions(ModelSpec model, Chunker chunker) {
        ChunkingOptions options = ChunkingOptions.forModel(CHUNK_TOKENS, model.specialTokens());
        return chunker == Chunker.SYNTAX ? options : options.withLineWindows(true);
    }

    public PipelineSettings pipelineSettings() {
        return new PipelineSettings(
                batchSize,
                maxFiles,
                QUEUE_ITEMS,
                memory.queueBytes(),
                memory.embedBatchTokens(),
                EMBED_BATCH_INPUTS,
                commitInterval,
                PROGRESS_INTERVAL);
    }
}
