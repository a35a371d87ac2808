package dev.indexer.store.qdrant;

import java.io.IOException;

/**
 * The protocol stand-in as a process: {@link FakeQdrant} on 127.0.0.1:PORT until killed, so that
 * scenarios with several indexer processes (workers of one collection, a fresh CI runner) run as a
 * user runs them, with {@code --qdrant-url http://127.0.0.1:PORT}. Everything is kept in memory.
 * Run by {@code scripts/qdrant-standin}.
 */
public final class StandInServer {
    private StandInServer() {}

    public static void main(String[] args) throws IOException, InterruptedException {
        int port;
        try {
            port = Integer.parseInt(args.length == 1 ? args[0] : "");
        } catch (NumberFormatException e) {
            System.err.println("usage: qdrant-standin PORT (1-65535; 0 picks a free one)");
            System.exit(2);
            return;
        }
        FakeQdrant server = FakeQdrant.start();
        int bound;
        try {
            bound = server.listenOn(port);
        } catch (IOException e) {
            System.err.println("qdrant-standin: cannot listen on 127.0.0.1:" + port + " (" + e.getMessage() + ")");
            System.exit(1);
            return;
        }
        System.out.println("Qdrant protocol stand-in listening on http://127.0.0.1:" + bound
                + " (in memory, gone when this process ends); Ctrl-C stops it");
        System.out.flush();
        Thread.currentThread().join();
    }
}
