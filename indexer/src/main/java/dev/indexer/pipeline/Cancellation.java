package dev.indexer.pipeline;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A request, from any thread, that a run stop early: a signal, a server shutting down, a newer
 * edit that makes the running work moot. Stages stop taking new work, what the store has
 * acknowledged is committed and recorded, and the run ends as {@link RunSummary.Outcome#INTERRUPTED}.
 * One per run; cancelling twice is the same as once.
 */
public final class Cancellation {
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean cancelled;

    public void cancel() {
        synchronized (this) {
            if (cancelled) {
                return;
            }
            cancelled = true;
        }
        listeners.forEach(Runnable::run);
    }

    public boolean isCancelled() {
        return cancelled;
    }

    /** Runs {@code listener} on cancellation (at once if already cancelled); closing the handle removes it. */
    public AutoCloseable onCancel(Runnable listener) {
        listeners.add(listener);
        if (cancelled) {
            listener.run();
        }
        return () -> listeners.remove(listener);
    }
}
