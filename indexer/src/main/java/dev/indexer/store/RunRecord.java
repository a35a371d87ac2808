package dev.indexer.store;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A completed run as a shared store records it, for the part of the tree it covered, so that any
 * machine can say what the collection holds and from which commit (the index home that ran it may
 * be a CI runner long gone). One per part: workers of one tree ({@code --shard I/N}) each keep
 * their own, and a run never takes another part's for its own.
 *
 * @param repo the repository whose tree it indexed
 * @param part the part of the tree ({@code "0/2"}), or {@code "all"}
 * @param finished when it ended (ISO-8601, UTC)
 * @param outcome "completed", or "stopped at --max-files" (files still wait for vectors)
 * @param commit the git commit checked out in the tree; "" if it is not a checkout
 * @param files files of the part indexed after the run
 * @param chunks their chunks
 * @param embedded of those, chunks with vectors
 * @param wordsOnly of those, chunks of data that get no vector ({@link dev.indexer.chunk.Chunk#isData()});
 *     0 in a record of an earlier version
 * @param model the embedding model's id
 * @param chunker the chunker's version
 * @param indexer the indexer's version
 */
public record RunRecord(String repo, String part, String finished, String outcome, String commit, long files,
        long chunks, long embedded, long wordsOnly, String model, String chunker, String indexer) {

    /** The manifest's key for the last run recorded on this machine, as {@link dev.indexer.json.Json} text. */
    public static final String META_KEY = "last_run";

    /** A record from its JSON text; empty for text that is not one (an earlier version's, another tool's). */
    public static Optional<RunRecord> parse(String json) {
        try {
            RunRecord run = new com.google.gson.Gson().fromJson(json, RunRecord.class);
            return run != null && run.repo() != null && run.part() != null && run.finished() != null
                    ? Optional.of(run) : Optional.empty();
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * A repository's data chunks as its runs recorded them ({@code newestFirst}: its records, the
     * newest first). The parts of the newest record's split are disjoint and cover the tree; a
     * record of another split (the whole tree before it was split, or a split in three before one
     * in two) covers the same files again and does not count.
     */
    public static long wordsOnlyOf(List<RunRecord> newestFirst) {
        if (newestFirst.isEmpty()) {
            return 0;
        }
        String split = split(newestFirst.get(0).part());
        return newestFirst.stream().filter(r -> split(r.part()).equals(split)).mapToLong(RunRecord::wordsOnly).sum();
    }

    /** How many parts the tree was split into, from a part's name ({@code "0/2"}: "2"; {@code "all"}: "all"). */
    private static String split(String part) {
        return part.substring(part.indexOf('/') + 1);
    }

    /** The record's fields by name, as status shows them. */
    public Map<String, Object> fields() {
        return dev.indexer.json.Json.object("repo", repo, "part", part, "finished", finished, "outcome", outcome,
                "commit", commit,
                "files", files, "chunks", chunks, "embedded", embedded, "wordsOnly", wordsOnly, "model", model,
                "chunker", chunker,
                "indexer", indexer);
    }
}
