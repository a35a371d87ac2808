package dev.indexer.engine;

import dev.indexer.config.Shard;
import dev.indexer.pipeline.EmbedOrder;
import dev.indexer.pipeline.ProgressListener;
import dev.indexer.state.FileRecord;
import dev.indexer.state.Manifest;
import dev.indexer.state.StoredFiles;
import dev.indexer.store.StoreWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The store and the manifest checked against each other when a collection opens for writing; where
 * they disagree, the store is the truth. They agree after every commit and after any crash (the
 * store commits first, so at worst it holds a few files the manifest does not list yet). They
 * disagree when the index home is new to the collection (a CI runner that starts empty, a worker
 * of a shared Qdrant collection, a lost manifest), or when something outside the indexer got at
 * the store (an index deleted or restored from an older backup, a Qdrant collection emptied by
 * hand). Then:
 *
 * <ul>
 *   <li>files the manifest lists with more chunks than the store holds are forgotten, so this run
 *       indexes them again (with a warning, since it costs embedding);
 *   <li>files the store holds whole and the manifest does not list, or lists with other chunks (another
 *       machine indexed another version), are taken from the store: their
 *       chunk hashes, which chunks still wait for vectors, and their content hash where the store
 *       recorded one. The run then reads them (their modification times are unknown here) and
 *       finds them unchanged by content, or re-cuts them and embeds only chunks whose text is new;
 *       files that are gone from the tree are deleted by the run's sweep as usual;
 *   <li>chunks of files the store holds in part (a run stopped between writing a file's chunks and
 *       recording it) are deleted, and the run indexes those files again.
 * </ul>
 *
 * Only files of the run's {@link Shard} are looked at: the rest are other workers'. The counts alone
 * decide whether to look closer: a check costs one count when nothing is wrong (for a worker of one
 * part, a count of its part where the store can select it: Qdrant, by the path slot each point
 * carries; the embedded store holds one home's files and counts them all).
 */
final class StoreCheck {
    private static final int PAGE = 500;

    private StoreCheck() {}

    /** What a check found and did. */
    record Outcome(long adoptedFiles, long adoptedChunks, long forgottenFiles, long deletedFiles) {}

    static Outcome reconcile(String collection, Manifest manifest, StoreWriter store, Shard shard,
            ProgressListener progress) {
        // The whole tree's count is the manifest's total; a part's needs its files (read only then).
        Map<String, Integer> recorded = shard.isAll() ? null : manifest.chunkCounts();
        long listed = shard.isAll() ? manifest.totals().chunks()
                : recorded.entrySet().stream().filter(e -> shard.holds(e.getKey())).mapToLong(Map.Entry::getValue).sum();
        long held = store.count(shard);
        if (listed == held) {
            return new Outcome(0, 0, 0, 0);
        }
        Map<String, Integer> listedFiles = recorded != null ? recorded : manifest.chunkCounts();
        Map<String, Integer> stored = new HashMap<>();
        long adoptedFiles = 0;
        long adoptedChunks = 0;
        long replaced = 0;
        Set<String> partial = new TreeSet<>();
        try (StoredFiles files = manifest.storedFiles()) {
            store.scan(shard, chunk -> files.add(chunk.path(), chunk.ordinal(), chunk.hash(), chunk.fileHash(),
                    chunk.embedded()));
            String last = "";
            for (List<StoredFiles.StoredFile> page = files.page(last, PAGE); !page.isEmpty();
                    page = files.page(last, PAGE)) {
                List<FileRecord> adopted = new ArrayList<>();
                for (StoredFiles.StoredFile file : page) {
                    last = file.path();
                    stored.put(file.path(), file.chunkHashes().size());
                    if (!file.complete()) {
                        partial.add(file.path());
                        continue;
                    }
                    if (file.listedAlike()) {
                        continue; // what this home knows is what the store holds
                    }
                    if (listedFiles.containsKey(file.path())) {
                        replaced++; // another machine wrote another version of it: the store's is the one
                    }
                    // Size -1: the run reads the file, and its content hash decides whether it changed.
                    adopted.add(new FileRecord(file.path(), -1, -1, file.fileHash(), FileRecord.INDEXED,
                            file.chunkHashes(), file.pending(), EmbedOrder.priority(file.path())));
                    adoptedChunks += file.chunkHashes().size();
                }
                manifest.record(adopted, List.of(), 0);
                adoptedFiles += adopted.size();
            }
        }
        // Files whose chunks the store lacks, or holds only in part: indexed again.
        List<String> missing = listedFiles.keySet().stream().filter(shard::holds)
                .filter(path -> stored.getOrDefault(path, 0) < listedFiles.get(path) || partial.contains(path))
                .toList();
        partial.forEach(store::deleteFile);
        if (!partial.isEmpty()) {
            store.commit();
        }
        if (!missing.isEmpty()) {
            manifest.forget(missing);
            progress.note(String.format(Locale.ROOT, "collection '%s': the store holds %,d of the %,d chunks the"
                    + " manifest lists (was its index deleted, damaged or restored from a backup?); %,d files"
                    + " will be indexed again.", collection, held, listed, missing.size()));
        }
        if (adoptedFiles > 0) {
            progress.note(String.format(Locale.ROOT, "collection '%s': took %,d files (%,d chunks) from the store"
                    + " that this index home did not know%s; they are read again, and only chunks whose text changed"
                    + " are embedded.", collection, adoptedFiles, adoptedChunks,
                    replaced > 0 ? String.format(Locale.ROOT, " (%,d of them in another version)", replaced) : ""));
        }
        return new Outcome(adoptedFiles, adoptedChunks, missing.size(), partial.size());
    }
}
