package dev.indexer.store.qdrant;

import com.google.common.util.concurrent.ListenableFuture;
import dev.indexer.IndexerException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Sends a request until it succeeds, retrying the failures that a later try can cure: the server
 * restarting or failing over (UNAVAILABLE), answering too slowly (DEADLINE_EXCEEDED) or shedding
 * load (RESOURCE_EXHAUSTED). Waits double from {@code firstBackoff} up to {@code maxBackoff}, each
 * with half its length random, so that many clients do not come back in step. Every request this
 * store sends is idempotent (upserts and deletes by id or path), so sending one twice is harmless.
 */
final class Retrier {
    private static final Set<Status.Code> TRANSIENT =
            EnumSet.of(Status.Code.UNAVAILABLE, Status.Code.DEADLINE_EXCEEDED, Status.Code.RESOURCE_EXHAUSTED);

    private final QdrantAddress address;
    private final int attempts;
    private final Duration firstBackoff;
    private final Duration maxBackoff;

    Retrier(QdrantAddress address, QdrantSettings.UploadSettings settings) {
        this.address = address;
        this.attempts = settings.attempts();
        this.firstBackoff = settings.firstBackoff();
        this.maxBackoff = settings.maxBackoff();
    }

    /**
     * The request's result.
     *
     * @param action what the request does, for the error message ("store points")
     * @throws IndexerException after a permanent failure or the last try
     */
    <T> T call(String action, Supplier<ListenableFuture<T>> request) {
        for (int attempt = 1; ; attempt++) {
            try {
                return request.get().get();
            } catch (ExecutionException e) {
                StatusRuntimeException failure = asStatus(e.getCause());
                if (failure == null) {
                    throw new IndexerException("Qdrant at " + address + " failed to " + action + " ("
                            + e.getCause() + ").", e.getCause());
                }
                if (!TRANSIENT.contains(failure.getStatus().getCode()) || attempt >= attempts
                        || QdrantErrors.unresolvedHost(failure)) {
                    throw QdrantErrors.fatal(address, action, failure, attempt);
                }
                sleep(backoff(attempt));
            } catch (CancellationException e) {
                throw new IndexerException("A request to Qdrant at " + address + " to " + action + " was cancelled.", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IndexerException("Stopped while waiting for Qdrant at " + address + " to " + action + ".", e);
            }
        }
    }

    /** The wait after failed try number {@code attempt}: half fixed, half random. */
    Duration backoff(int attempt) {
        long cap = maxBackoff.toMillis();
        long exponential = firstBackoff.toMillis() << Math.min(attempt - 1, 30);
        long full = Math.min(cap, exponential < 0 ? cap : exponential);
        long half = full / 2;
        return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(half + 1));
    }

    private static StatusRuntimeException asStatus(Throwable cause) {
        if (cause instanceof StatusRuntimeException s) {
            return s;
        }
        if (cause instanceof io.grpc.StatusException s) {
            return new StatusRuntimeException(s.getStatus(), s.getTrailers());
        }
        return null;
    }

    private void sleep(Duration wait) {
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IndexerException("Stopped while waiting to retry a request to Qdrant at " + address + ".", e);
        }
    }
}
