package dev.indexer.store;

import java.util.List;
import java.util.Map;

/**
 * One repository of a collection, as the store knows it: what {@code indexer repos} lists.
 *
 * @param name the repository's name
 * @param root the tree it was last indexed from, on the machine that indexed it
 * @param files files with chunks in the store
 * @param chunks its chunks in the store
 * @param embedded of those, chunks with a vector
 * @param wordsOnly of those, chunks of data that get no vector ({@link dev.indexer.chunk.Chunk#isData()}), as
 *     the manifest here or, for a shared store, the last runs' records count them
 * @param runs the last completed run of each part of its tree, newest first; empty if none completed
 */
public record RepoSummary(String name, String root, long files, long chunks, long embedded, long wordsOnly,
        List<RunRecord> runs) {
    public RepoSummary {
        runs = List.copyOf(runs);
    }

    /** The fields by name, as {@code repos --json} prints them. */
    public Map<String, Object> fields() {
        RunRecord last = runs.isEmpty() ? null : runs.get(0);
        return dev.indexer.json.Json.object("repo", name, "root", root, "files", files, "chunks", chunks,
                "embedded", embedded, "wordsOnly", wordsOnly, "commit", last == null ? "" : last.commit(),
                "finished", last == null ? "" : last.finished(),
                "runs", runs.stream().map(RunRecord::fields).toList());
    }
}
