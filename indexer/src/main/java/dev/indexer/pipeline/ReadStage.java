package dev.indexer.pipeline;

import dev.indexer.chunk.Chunk;
import dev.indexer.chunk.FileChunker;
import dev.indexer.chunk.SkippedFileException;
import dev.indexer.chunk.SourceReader;
import dev.indexer.pipeline.Item.BatchEnd;
import dev.indexer.pipeline.Item.ChunkItem;
import dev.indexer.pipeline.Item.FileAbandoned;
import dev.indexer.pipeline.Item.FileEnd;
import dev.indexer.pipeline.Item.FileFailed;
import dev.indexer.pipeline.Item.FileSkipped;
import dev.indexer.pipeline.Item.FileStart;
import dev.indexer.pipeline.Item.FileTouched;
import dev.indexer.state.FileRecord;
import dev.indexer.walk.SkipReason;
import dev.indexer.walk.SourceFile;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The read stage: each new or changed file is read once ({@link SourceReader}: judged, hashed and
 * chunked), and every outcome becomes items for the stages after it, in file order. A file that
 * turns out unreadable, vanished or changed while it was read becomes a failure that withdraws
 * whatever chunks it already sent. Every {@code batchSize} files a batch ends.
 */
final class ReadStage implements Stage {
    private final SourceReader reader;
    private final int batchSize;
    private final RunReport report;
    private final Cancellation cancellation;
    private final BoundedQueue<Candidate> in;
    private final BoundedQueue<Item> out;
    /** Small files read at once, beside this stage's own thread sending them on. */
    private static final int READERS = 2;
    /** Files up to this size are read ahead and held whole (their chunks); bigger ones stream. */
    private static final long HELD_BYTES = 256 << 10;

    /** Thrown from the chunk sink to stop reading a file when the run is cancelled. */
    private static final class Cancelled extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Cancelled() {
            super(null, null, false, false);
        }
    }

    ReadStage(SourceReader reader, int batchSize, RunReport report, Cancellation cancellation,
            BoundedQueue<Candidate> in, BoundedQueue<Item> out) {
        this.reader = reader;
        this.batchSize = batchSize;
        this.report = report;
        this.cancellation = cancellation;
        this.in = in;
        this.out = out;
    }

    @Override
    public void run() throws InterruptedException {
        // Reading and chunking is the lexical phase's slowest stage (tree-sitter, on the JDK one
        // thread at 100% while Lucene's threads idled): small files are read on two threads at
        // once, their items held until their turn, so everything still goes out whole and in file
        // order. A big file streams, read here alone, as before: what is held stays small.
        ExecutorService readers = Executors.newFixedThreadPool(READERS, runnable -> {
            Thread thread = new Thread(runnable, "indexer-read-small");
            thread.setDaemon(true);
            return thread;
        });
        Deque<Future<List<Item>>> reading = new ArrayDeque<>();
        int inBatch = 0;
        try {
            for (Candidate candidate = in.take(); candidate != null; candidate = in.take()) {
                if (cancellation.isCancelled()) {
                    continue; // drained, not read: the walk stops soon
                }
                Candidate next = candidate;
                if (next.file().size() <= HELD_BYTES) {
                    reading.add(readers.submit(() -> {
                        List<Item> items = new ArrayList<>();
                        read(next.file(), next.previous(), items::add);
                        return items;
                    }));
                    while (reading.size() > READERS) {
                        inBatch = emit(reading.poll(), inBatch);
                    }
                } else {
                    while (!reading.isEmpty()) {
                        inBatch = emit(reading.poll(), inBatch);
                    }
                    read(candidate.file(), candidate.previous(), this::put);
                    inBatch = fileDone(inBatch);
                }
            }
            while (!reading.isEmpty()) {
                inBatch = emit(reading.poll(), inBatch);
            }
        } finally {
            readers.shutdownNow();
        }
        if (inBatch > 0) {
            put(new BatchEnd());
        }
        out.close();
    }

    /** Sends a file read on another thread, once it is read; a failure of that thread is this stage's. */
    private int emit(Future<List<Item>> file, int inBatch) throws InterruptedException {
        List<Item> items;
        try {
            items = file.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(cause);
        }
        for (Item item : items) {
            put(item);
        }
        return fileDone(inBatch);
    }

    /** Counts a file sent; every {@code batchSize} files a batch ends. */
    private int fileDone(int inBatch) throws InterruptedException {
        if (inBatch + 1 == batchSize) {
            put(new BatchEnd());
            return 0;
        }
        return inBatch + 1;
    }

    /** Where a file's items go: the next stage, or a list held until the file's turn. */
    @FunctionalInterface
    private interface ItemSink {
        void accept(Item item) throws InterruptedException;
    }

    private void read(SourceFile file, Optional<FileRecord> previous, ItemSink emit) throws InterruptedException {
        String path = file.relativePath();
        List<String> previousChunks = previous.filter(FileRecord::isIndexed).map(FileRecord::chunkHashes)
                .orElse(List.of());
        List<String> chunkHashes = new ArrayList<>();
        long[] tokens = {0};
        boolean[] started = {false};
        Chunk.Sink sink = chunk -> {
            if (cancellation.isCancelled()) {
                throw new Cancelled();
            }
            if (!started[0]) {
                started[0] = true;
                emit.accept(new FileStart(file, previousChunks));
            }
            tokens[0] += chunk.tokens();
            chunkHashes.add(chunk.hash());
            emit.accept(new ChunkItem(chunk, null));
        };
        try {
            SourceReader.Outcome outcome = reader.read(file,
                    previous.filter(FileRecord::isIndexed).map(FileRecord::hash), sink);
            if (outcome instanceof SourceReader.Unchanged) {
                report.fileTouched(file);
                emit.accept(new FileTouched(file, previous.orElseThrow().withMetadata(file.size(), file.modifiedMillis())));
            } else if (outcome instanceof SourceReader.Skipped skip) {
                report.fileFailed(file, skip.reason(), skip.detail());
                FileRecord record = FileRecord.skipped(path, file.size(), file.modifiedMillis(), skip.reason().name());
                emit.accept(new FileSkipped(file, record, previous.map(FileRecord::isIndexed).orElse(false)));
            } else if (outcome instanceof SourceReader.Chunked chunked) {
                if (!started[0]) {
                    emit.accept(new FileStart(file, previousChunks)); // a file with nothing to search still replaces its old chunks
                }
                note(path, chunked.result());
                // How many chunks wait for vectors, the write stage knows: it sees which came with one.
                FileRecord record = new FileRecord(path, file.size(), file.modifiedMillis(), chunked.hash(),
                        FileRecord.INDEXED, chunkHashes, 0, EmbedOrder.priority(path));
                emit.accept(new FileEnd(file, record, tokens[0], chunked.result().symbols()));
            }
        } catch (Cancelled e) {
            emit.accept(new FileAbandoned(file));
        } catch (SkippedFileException e) {
            failFile(emit, file, e.reason(), e.getMessage());
        } catch (NoSuchFileException e) {
            failFile(emit, file, SkipReason.VANISHED, "deleted before or while it was read");
        } catch (AccessDeniedException e) {
            failFile(emit, file, SkipReason.UNREADABLE, "permission denied");
        } catch (IOException e) {
            failFile(emit, file, SkipReason.UNREADABLE, String.valueOf(e.getMessage()));
        }
    }

    private void note(String path, FileChunker.Result result) {
        if (result.truncated()) {
            report.documentTruncated();
        }
        if (result.replacementChars() > 0) {
            report.fileHadReplacements();
        }
        if (!result.secrets().isEmpty()) {
            report.secretsRedacted(result.secrets());
        }
        if (!result.syntaxFallback().isEmpty()) {
            report.fallback(RunReport.LINE_WINDOWS, path, result.syntaxFallback());
        }
        if (!result.readFallback().isEmpty()) {
            report.fallback(RunReport.PLAIN_READS, path, result.readFallback());
        }
    }

    private void put(Item item) throws InterruptedException {
        out.put(item, item.weight());
    }

    private void failFile(ItemSink emit, SourceFile file, SkipReason reason, String detail)
            throws InterruptedException {
        report.fileFailed(file, reason, detail);
        emit.accept(new FileFailed(file, reason, detail));
    }
}
