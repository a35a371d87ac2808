package org.example.shelf;

/**
 * Limits how often callers may proceed: a bucket holds up to {@code capacity} permits and is
 * refilled continuously at {@code permitsPerSecond}. Each request takes one permit or is refused.
 */
public final class RateLimiter {
    private final double capacity;
    private final double permitsPerSecond;
    private double available;
    private long lastRefillNanos;

    public RateLimiter(double capacity, double permitsPerSecond) {
        this.capacity = capacity;
        this.permitsPerSecond = permitsPerSecond;
        this.available = capacity;
        this.lastRefillNanos = System.nanoTime();
    }

    /** Takes a permit if one is available; never blocks. */
    public synchronized boolean tryAcquire() {
        refill();
        if (available >= 1) {
            available -= 1;
            return true;
        }
        return false;
    }

    private void refill() {
        long now = System.nanoTime();
        double elapsedSeconds = (now - lastRefillNanos) / 1e9;
        available = Math.min(capacity, available + elapsedSeconds * permitsPerSecond);
        lastRefillNanos = now;
    }
}
