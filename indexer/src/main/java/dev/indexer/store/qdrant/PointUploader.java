package dev.indexer.store.qdrant;

import dev.indexer.IndexerException;
import dev.indexer.store.EmbeddedChunk.Fields;
import io.qdrant.client.QdrantGrpcClient;
import io.qdrant.client.grpc.Common.Condition;
import io.qdrant.client.grpc.Common.FieldCondition;
import io.qdrant.client.grpc.Common.Filter;
import io.qdrant.client.grpc.Common.Match;
import io.qdrant.client.grpc.Common.RepeatedStrings;
import io.qdrant.client.grpc.Points.DeletePoints;
import io.qdrant.client.grpc.Points.PointStruct;
import io.qdrant.client.grpc.Points.PointsOperationResponse;
import io.qdrant.client.grpc.Points.PointsSelector;
import io.qdrant.client.grpc.Points.UpdateStatus;
import io.qdrant.client.grpc.Points.UpsertPoints;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Sends points and path deletions to Qdrant for one writer thread.
 *
 * <p>Points gather into a batch until its serialized size would pass {@code batchBytes}; a full
 * batch goes out as one upsert while the writer carries on, with at most {@code inFlight} upserts
 * unacknowledged (the writer waits for a free slot: memory stays at {@code (inFlight + 1) x
 * batchBytes}). Every request asks for {@code wait=true}, so an acknowledged upsert is applied and
 * durable; {@link #flush()} returns only when all are, which is what lets the manifest record files.
 *
 * <p>Deletions by path are sent, acknowledged, before the batch that holds the file's new points:
 * separate gRPC calls have no order, so a delete running beside an upsert of the same file could
 * remove new points. A path whose old points may still be in flight (a file that failed after some
 * of its chunks were sent) first waits for every upload to finish.
 */
final class PointUploader implements AutoCloseable {
    private static final int PATHS_PER_DELETE = 256;

    private final QdrantGrpcClient client;
    private final String collection;
    private final String repo;
    private final Retrier retrier;
    private final int batchBytes;
    private final Semaphore slots;
    private final int inFlight;
    private final ExecutorService senders;
    private final AtomicReference<RuntimeException> failure = new AtomicReference<>();

    private final List<PointStruct> batch = new ArrayList<>();
    private final List<String> batchPaths = new ArrayList<>();
    private int batchSize;
    private final Set<String> pendingDeletes = new LinkedHashSet<>();
    /** Paths with points sent since all uploads were last known to be done. */
    private final Set<String> sentPaths = new HashSet<>();

    PointUploader(QdrantGrpcClient client, String collection, String repo, Retrier retrier,
            QdrantSettings.UploadSettings settings) {
        this.client = client;
        this.collection = collection;
        this.repo = repo;
        this.retrier = retrier;
        this.batchBytes = settings.batchBytes();
        this.inFlight = settings.inFlight();
        this.slots = new Semaphore(inFlight);
        this.senders = Executors.newFixedThreadPool(inFlight, r -> {
            Thread t = new Thread(r, "qdrant-upload");
            t.setDaemon(true);
            return t;
        });
    }

    /** Queues a point of the file {@code path}; may block while {@code inFlight} batches are unanswered. */
    void add(PointStruct point, String path) {
        throwIfFailed();
        int size = point.getSerializedSize() + 8;
        if (!batch.isEmpty() && (batchSize + size > batchBytes || batch.size() >= QdrantSettings.UploadSettings.MAX_POINTS)) {
            sendBatch();
        }
        batch.add(point);
        batchPaths.add(path);
        batchSize += size;
    }

    /** Removes every point of {@code path}, before any point of it added after this call. */
    void deletePath(String path) {
        throwIfFailed();
        // Points of it not sent yet are simply dropped.
        for (int i = batch.size() - 1; i >= 0; i--) {
            if (batchPaths.get(i).equals(path)) {
                batchSize -= batch.get(i).getSerializedSize() + 8;
                batch.remove(i);
                batchPaths.remove(i);
            }
        }
        pendingDeletes.add(path);
        if (pendingDeletes.size() >= PATHS_PER_DELETE) {
            sendDeletes();
        }
    }

    /** Sends everything queued and returns when the server has applied all of it. */
    void flush() {
        sendBatch();
        sendDeletes();
        awaitUploads();
        throwIfFailed();
    }

    private void sendBatch() {
        sendDeletes();
        if (batch.isEmpty()) {
            return;
        }
        UpsertPoints request = UpsertPoints.newBuilder().setCollectionName(collection).setWait(true).addAllPoints(batch)
                .build();
        sentPaths.addAll(batchPaths);
        batch.clear();
        batchPaths.clear();
        batchSize = 0;
        acquireSlot();
        try {
            senders.execute(() -> {
                try {
                    if (failure.get() == null) {
                        checkApplied(retrier.call("store " + request.getPointsCount() + " points",
                                () -> client.points().upsert(request)));
                    }
                } catch (RuntimeException e) {
                    failure.compareAndSet(null, e);
                } finally {
                    slots.release();
                }
            });
        } catch (RejectedExecutionException e) {
            slots.release();
            throw new IndexerException("The Qdrant store was closed while points were being written.", e);
        }
    }

    private void sendDeletes() {
        if (pendingDeletes.isEmpty()) {
            return;
        }
        if (pendingDeletes.stream().anyMatch(sentPaths::contains)) {
            awaitUploads();
        }
        Iterator<String> paths = pendingDeletes.iterator();
        while (paths.hasNext()) {
            List<String> group = new ArrayList<>();
            while (paths.hasNext() && group.size() < PATHS_PER_DELETE) {
                group.add(paths.next());
            }
            DeletePoints request = DeletePoints.newBuilder().setCollectionName(collection).setWait(true)
                    .setPoints(PointsSelector.newBuilder().setFilter(byPaths(repo, group))).build();
            checkApplied(retrier.call("delete the old points of " + group.size() + " files",
                    () -> client.points().delete(request)));
        }
        pendingDeletes.clear();
    }

    /** The points of these files of {@code repo}. */
    static Filter byPaths(String repo, List<String> paths) {
        Match match = paths.size() == 1 ? Match.newBuilder().setKeyword(paths.get(0)).build()
                : Match.newBuilder().setKeywords(RepeatedStrings.newBuilder().addAllStrings(paths)).build();
        return Filter.newBuilder()
                .addMust(Condition.newBuilder().setField(FieldCondition.newBuilder().setKey(Fields.PATH).setMatch(match)))
                .addMust(PointCodec.inRepo(repo)).build();
    }

    private void checkApplied(PointsOperationResponse response) {
        UpdateStatus status = response.getResult().getStatus();
        if (status != UpdateStatus.Completed && status != UpdateStatus.Acknowledged) {
            throw new IndexerException("Qdrant did not apply an update to collection '" + collection + "' (status "
                    + status + "); run again: files whose points were not applied are not recorded.");
        }
    }

    private void acquireSlot() {
        try {
            slots.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IndexerException("Stopped while waiting for Qdrant to accept points.", e);
        }
    }

    /** Waits until no upload is in flight. */
    private void awaitUploads() {
        try {
            slots.acquire(inFlight);
            slots.release(inFlight);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IndexerException("Stopped while waiting for Qdrant to acknowledge points.", e);
        }
        sentPaths.clear();
    }

    private void throwIfFailed() {
        RuntimeException e = failure.get();
        if (e != null) {
            throw e;
        }
    }

    /** Stops sending; what was not flushed is dropped (the manifest has not recorded it). */
    @Override
    public void close() {
        batch.clear();
        batchPaths.clear();
        pendingDeletes.clear();
        senders.shutdownNow();
        try {
            senders.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
