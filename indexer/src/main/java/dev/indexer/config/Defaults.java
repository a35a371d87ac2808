package dev.indexer.config;

import java.time.Duration;

/**
 * Every default of the indexer, defined once. Option annotations need compile-time constants,
 * hence the {@code _TEXT} forms next to the values they spell.
 */
public final class Defaults {
    private Defaults() {}

    /** Files per batch: the unit the embed stage sorts within and the writer commits at. */
    public static final int BATCH_SIZE = 25;
    public static final String BATCH_SIZE_TEXT = "" + BATCH_SIZE;
    public static final String MAX_FILE_SIZE_TEXT = "5MB";
    public static final long MAX_FILE_SIZE = 5L << 20;
    /** The id of the default model, {@link ModelSpec#BGE_SMALL}. */
    public static final String MODEL_TEXT = "bge-small";
    public static final ModelSpec MODEL = ModelSpec.BGE_SMALL;
    public static final String CHUNKER_TEXT = "syntax";
    public static final ChunkerKind CHUNKER = ChunkerKind.SYNTAX;
    /**
     * The most tokens one model input holds, special tokens included: chunks are shorter (below);
     * a longer query is cut here.
     */
    public static final int MODEL_INPUT_TOKENS = 256;
    /**
     * Tokens of text in one chunk, its header included. 128 rather than the 254 the model would
     * take: on the tuning half of the multi-language evaluation (docs/benchmarks.md) chunks of 128
     * found the right function more often in all four languages (hybrid MRR@10 0.688 against 0.659),
     * for 9-13% more tokens embedded per file; the hit also points closer to the function.
     */
    public static final int CHUNK_TOKENS = 128;
    /**
     * Model calls that run at once, each on an equal share of the cores: two where there are two
     * cores or more. A call's operators are small (a layer norm of 1,000 x 384 values), so one call
     * split over both cores of a 2-core machine leaves its threads waiting on one another; two calls
     * of a core each embedded java/util 1.20x as fast (docs/benchmarks.md, "Fifteenth round").
     */
    public static int modelCalls(int cores) {
        return Math.max(1, Math.min(2, cores));
    }

    public static final String MODEL_CALLS_TEXT = "2 (1 on one core, or where the memory budget cannot hold two)";

    /** The most inputs in one model call, however short they are. */
    public static final int EMBED_BATCH_INPUTS = 64;
    /** The most items in each queue between stages (their bytes are bounded by the memory budget). */
    public static final int QUEUE_ITEMS = 1024;
    /** Work since the last commit is what a crash costs; a commit costs a few fsyncs. */
    public static final String COMMIT_INTERVAL_TEXT = "10s";
    public static final Duration COMMIT_INTERVAL = Duration.ofSeconds(10);
    public static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(1);
    /** Lines longer than this in a file's head mark it as minified or generated. */
    public static final int MAX_LINE_LENGTH = 4000;
    /**
     * The vector cache of an index home: vectors by model and exact text, so that text embedded once
     * (on another branch, in another collection, before a --reindex) is not embedded again. 1 GB
     * holds about 640,000 vectors of 384 dimensions: a tree of the JDK's size, twice over.
     */
    public static final String VECTOR_CACHE_TEXT = "1GB";
    public static final long VECTOR_CACHE = 1L << 30;
    /** Search results when the caller does not say. */
    public static final int SEARCH_HITS = 10;
    public static final String SEARCH_HITS_TEXT = "" + SEARCH_HITS;

    /**
     * How long a completed {@code indexer index} may spend merging the segments it left, so that
     * searches do not wait for a server's idle time: a tenth of the run's own time, at least
     * {@link #SETTLE_MIN} (a small tree's merges take milliseconds; a medium one's a few seconds) and
     * at most {@link #SETTLE_MAX} (merging the JDK's vector segments takes minutes of one core).
     */
    public static Duration settleBudget(Duration run) {
        Duration share = run.dividedBy(10);
        return share.compareTo(SETTLE_MIN) < 0 ? SETTLE_MIN : share.compareTo(SETTLE_MAX) > 0 ? SETTLE_MAX : share;
    }

    public static final Duration SETTLE_MIN = Duration.ofSeconds(30);
    public static final Duration SETTLE_MAX = Duration.ofMinutes(10);
}
