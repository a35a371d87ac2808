package dev.indexer.pipeline;

import dev.indexer.chunk.Language;
import dev.indexer.navigate.NavigationWriter;
import dev.indexer.pipeline.Item.BatchEnd;
import dev.indexer.pipeline.Item.ChunkItem;
import dev.indexer.pipeline.Item.FileAbandoned;
import dev.indexer.pipeline.Item.FileEnd;
import dev.indexer.pipeline.Item.FileFailed;
import dev.indexer.pipeline.Item.FileSkipped;
import dev.indexer.pipeline.Item.FileStart;
import dev.indexer.pipeline.Item.FileTouched;
import dev.indexer.state.FileRecord;
import dev.indexer.state.Manifest;
import dev.indexer.store.EmbeddedChunk;
import dev.indexer.store.StoreWriter;
import dev.indexer.walk.SourceFile;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The lexical phase's write stage: sends chunks to the store, with their vectors where they have
 * them already, and commits at batch ends, at most once per commit interval (and always at the
 * end); each file's record counts the chunks that wait for the embedding phase, and the data
 * chunks that never will ({@link dev.indexer.chunk.Chunk#isData()}). Only after the store has
 * committed does the manifest record the files of that commit: store first, manifest second, so
 * a crash at any moment leaves a manifest that claims no more than the store holds.
 */
final class WriteStage implements Stage {
    private static final int UPSERT_BATCH = 256;
    /** Manifest rows owed past this many, a commit comes even before the interval is up. */
    private static final int MAX_OWED_ROWS = 4096;

    private final StoreWriter store;
    private final NavigationWriter navigation;
    private final Manifest manifest;
    private final long run;
    private final Duration commitInterval;
    private final RunReport report;
    private final BoundedQueue<Item> in;
    private final List<EmbeddedChunk> chunks = new ArrayList<>();
    private final List<FileRecord> records = new ArrayList<>();
    private final List<String> removed = new ArrayList<>();
    /** Chunks of each file being written that came without a vector: the embedding phase's work. */
    private final Map<String, Integer> waiting = new HashMap<>();
    /** Chunks of each file being written that are data: searched by words, never embedded. */
    private final Map<String, Integer> data = new HashMap<>();
    private long lastCommit = System.nanoTime();

    WriteStage(StoreWriter store, NavigationWriter navigation, Manifest manifest, long run, Duration commitInterval,
            RunReport report, BoundedQueue<Item> in) {
        this.store = store;
        this.navigation = navigation;
        this.manifest = manifest;
        this.run = run;
        this.commitInterval = commitInterval;
        this.report = report;
        this.in = in;
    }

    @Override
    public void run() throws InterruptedException {
        for (Item item = in.take(); item != null; item = in.take()) {
            if (item instanceof FileStart start) {
                store.deleteFile(start.file().relativePath());
            } else if (item instanceof ChunkItem c) {
                chunks.add(new EmbeddedChunk(c.chunk(), c.vector()));
                if (c.vector() == null) {
                    (c.chunk().isData() ? data : waiting).merge(c.chunk().path(), 1, Integer::sum);
                }
                if (chunks.size() >= UPSERT_BATCH) {
                    store.upsert(chunks);
                    chunks.clear();
                }
            } else if (item instanceof FileEnd end) {
                report.fileIndexed(end.file().size(), end.record().chunkHashes().size(), end.tokens());
                SourceFile file = end.file();
                navigation.put(file.relativePath(), Language.of(file.relativePath()), file.size(), file.modifiedMillis(),
                        file.path(), end.symbols(), end.record().hash());
                store.fileWritten(file.relativePath(), end.record().hash());
                records.add(end.record().withPending(waiting.getOrDefault(file.relativePath(), 0),
                        data.getOrDefault(file.relativePath(), 0)));
                waiting.remove(file.relativePath());
                data.remove(file.relativePath());
            } else if (item instanceof FileTouched touched) {
                navigation.touched(touched.file().relativePath(), touched.file().modifiedMillis());
                records.add(touched.record());
            } else if (item instanceof FileSkipped skipped) {
                if (skipped.wasIndexed()) {
                    store.deleteFile(skipped.file().relativePath());
                    navigation.delete(skipped.file().relativePath());
                }
                records.add(skipped.record());
            } else if (item instanceof FileFailed failed) {
                withdraw(failed.file().relativePath());
            } else if (item instanceof FileAbandoned abandoned) {
                withdraw(abandoned.file().relativePath());
                report.fileAbandoned();
            } else if (item instanceof BatchEnd) {
                boolean due = System.nanoTime() - lastCommit >= commitInterval.toNanos();
                if (due || records.size() + removed.size() >= MAX_OWED_ROWS) {
                    commit();
                }
            }
        }
        commit();
    }

    /** A file's chunks and its manifest row go: it is read again by the next run. */
    private void withdraw(String path) {
        waiting.remove(path);
        data.remove(path);
        chunks.removeIf(e -> e.chunk().path().equals(path));
        store.deleteFile(path);
        navigation.delete(path);
        removed.add(path);
    }

    /** Store first, manifest second: the manifest must never claim what the store has not kept. */
    private void commit() {
        store.upsert(chunks);
        chunks.clear();
        store.commit();
        navigation.commit();
        manifest.record(records, removed, run);
        records.clear();
        removed.clear();
        lastCommit = System.nanoTime();
    }
}
