package dev.indexer.engine;

import java.nio.file.Path;

/** Holds a collection's lock in a separate process until killed: what a concurrent indexer run does. */
public final class LockHolder {
    private LockHolder() {}

    public static void main(String[] args) throws InterruptedException {
        try (CollectionLock lock = CollectionLock.acquire(Path.of(args[0]), "c")) {
            System.out.println("locked");
            System.out.flush();
            Thread.sleep(60_000);
        }
    }
}
