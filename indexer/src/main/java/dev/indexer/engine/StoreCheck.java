package dev.indexer.engine;

import dev.indexer.pipeline.ProgressListener;
import dev.indexer.state.Manifest;
import dev.indexer.store.StoreWriter;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The store and the manifest checked against each other when a collection opens for writing.
 * They agree after every commit and after any crash (the store commits first, so at worst it holds
 * a few files the manifest does not list yet, which the next run replaces). They disagree when
 * something outside the indexer got at them: an index directory deleted or restored from an
 * older backup, a Qdrant collection emptied by hand. Then:
 *
 * <ul>
 *   <li>files the manifest lists with more chunks than the store holds are forgotten, so this run
 *       indexes them again (with a warning, since it costs embedding);
 *   <li>chunks of files the manifest does not list as indexed are deleted: left as they are, a
 *       deleted file's chunks would answer searches forever.
 * </ul>
 *
 * The counts alone decide whether to look closer: a check costs one count when nothing is wrong.
 */
final class StoreCheck {
    private StoreCheck() {}

    static void reconcile(String collection, Manifest manifest, StoreWriter store, ProgressListener progress) {
        long listed = manifest.totals().chunks();
        long held = store.count();
        if (listed == held) {
            return;
        }
        Map<String, Integer> recorded = manifest.chunkCounts();
        Map<String, Integer> stored = new HashMap<>();
        store.scan((id, path) -> stored.merge(path, 1, Integer::sum));
        List<String> missing = recorded.keySet().stream()
                .filter(path -> stored.getOrDefault(path, 0) < recorded.get(path)).toList();
        List<String> orphans = stored.keySet().stream().filter(path -> !recorded.containsKey(path)).toList();
        orphans.forEach(store::deleteFile);
        if (!orphans.isEmpty() || !missing.isEmpty()) {
            store.commit();
        }
        if (!missing.isEmpty()) {
            manifest.forget(missing);
            progress.note(String.format(Locale.ROOT, "collection '%s': the store holds %,d of the %,d chunks the"
                    + " manifest lists (was its index deleted, damaged or restored from a backup?); %,d files"
                    + " will be indexed again.", collection, held, listed, missing.size()));
        }
    }
}
