package dev.indexer.socket;

import com.google.gson.JsonParseException;
import dev.indexer.IndexerException;
import dev.indexer.engine.CollectionReader;
import dev.indexer.engine.SearchQuery;
import dev.indexer.state.CollectionFiles;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

/**
 * Lets {@code indexer search} ask the server that holds a collection instead of opening it cold
 * (loading the model and mapping a large index takes a second or more; the server has both warm).
 * A Unix-domain socket in the collection's directory: reachable from this machine only, its file
 * readable and writable by its owner only, and each peer checked to be that same user where the
 * system says who it is. One request line, one answer line, per connection; requests wait in a
 * bounded queue for a few workers, and what does not fit is closed (the asker then searches itself).
 */
public final class SearchSocket implements AutoCloseable {
    /** The socket's file in a collection's directory. */
    public static final String FILE_NAME = CollectionFiles.SEARCH_SOCKET;
    /** Longer requests are not searches the command sends. */
    static final int MAX_REQUEST_BYTES = 64 * 1024;
    /** A request must arrive this soon after connecting. */
    static final long REQUEST_MILLIS = 5_000;
    /** An answer must be taken by the asker within this. */
    static final long ANSWER_MILLIS = 30_000;
    /** How often the acceptor looks whether its file is still there. */
    private static final long WATCH_MILLIS = 1_000;
    private static final int WORKERS = 2;
    private static final int WAITING = 16;
    private static final SearchQuery.Names NAMES = new SearchQuery.Names("query", "k", SearchQuery.MAX_HITS);

    /**
     * What the socket answers for.
     *
     * @param collection the collection's name
     * @param store where its chunks are, as {@link dev.indexer.store.StoreTarget#describe} says it
     * @param root the indexed tree's absolute path, for the hits' {@code file}
     * @param search what a search does on the server
     */
    public record Served(String collection, String store, Supplier<String> root,
            Function<SearchQuery, CollectionReader.Results> search) {}

    private final Path file;
    private final Served served;
    /** Replaced when its file was deleted (the collection's directory removed under the server). */
    private volatile ServerSocketChannel server;
    private final UserPrincipal owner;
    private final ThreadPoolExecutor workers;
    private final Thread acceptor;
    private final Consumer<String> log;
    private volatile boolean closed;

    private SearchSocket(Path file, Served served, ServerSocketChannel server, UserPrincipal owner,
            Consumer<String> log) {
        this.file = file;
        this.served = served;
        this.server = server;
        this.owner = owner;
        this.log = log;
        AtomicInteger count = new AtomicInteger();
        this.workers = new ThreadPoolExecutor(WORKERS, WORKERS, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(WAITING),
                task -> {
                    Thread thread = new Thread(task, "indexer-search-socket-" + count.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        workers.allowCoreThreadTimeOut(true);
        this.acceptor = new Thread(this::accept, "indexer-search-socket");
        acceptor.setDaemon(true);
    }

    /**
     * Listens at {@code dir}/{@value #FILE_NAME}, replacing what a server that died left there (the
     * caller holds the collection's writer lock, so no live server owns it). Empty, with a line to
     * {@code log}, where it cannot: searches from the command line then open the collection themselves.
     */
    public static Optional<SearchSocket> open(Path dir, Served served, Consumer<String> log) {
        Path file = dir.resolve(FILE_NAME);
        try {
            ServerSocketChannel server = listen(file);
            try {
                SearchSocket socket = new SearchSocket(file, served, server, Files.getOwner(file), log);
                socket.acceptor.start();
                return Optional.of(socket);
            } catch (IOException | RuntimeException e) {
                server.close();
                throw e;
            }
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            log.accept("indexer search will open the collection itself rather than ask this server: could not"
                    + " listen at " + file + " (" + e.getMessage() + ")");
            return Optional.empty();
        }
    }

    /** A channel bound at {@code file} (what was there first removed), its file the owner's only, not blocking. */
    private static ServerSocketChannel listen(Path file) throws IOException {
        if (Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(file + " is a directory");
        }
        Files.deleteIfExists(file);
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            server.bind(UnixDomainSocketAddress.of(file));
            // Until this narrows it, the file has the umask's permissions; a peer that connects in
            // that moment is still checked by samePeer, which is the guard that counts.
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system (Windows): the directory's own permissions guard it
            }
            server.configureBlocking(false);
            return server;
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
    }

    /**
     * Hands each connection to a worker; every {@link #WATCH_MILLIS} it also looks whether its file
     * is still there, and listens again when it is not (the collection's directory was deleted and
     * the server builds it again): else every search from the command line would open the
     * collection itself from then on.
     */
    private void accept() {
        try (Selector selector = Selector.open()) {
            ServerSocketChannel listening = server;
            listening.register(selector, SelectionKey.OP_ACCEPT);
            while (!closed) {
                selector.select(WATCH_MILLIS);
                selector.selectedKeys().clear();
                for (SocketChannel channel = listening.accept(); channel != null; channel = listening.accept()) {
                    SocketChannel accepted = channel;
                    try {
                        workers.execute(() -> answer(accepted));
                    } catch (RejectedExecutionException e) {
                        closeQuietly(accepted); // busy: the asker searches itself
                    }
                }
                if (!closed && !Files.exists(file, LinkOption.NOFOLLOW_LINKS) && Files.isDirectory(file.getParent())) {
                    listening = listenAgain(selector, listening);
                }
            }
        } catch (ClosedChannelException e) {
            // closed
        } catch (IOException e) {
            if (!closed) {
                log.accept("the search socket stopped accepting: " + e.getMessage());
            }
        }
    }

    /** A new channel at the file, registered in place of {@code old}; {@code old} if that fails (tried again later). */
    private ServerSocketChannel listenAgain(Selector selector, ServerSocketChannel old) throws IOException {
        ServerSocketChannel again;
        try {
            again = listen(file);
        } catch (IOException e) {
            return old;
        }
        again.register(selector, SelectionKey.OP_ACCEPT);
        server = again;
        old.close();
        if (closed) {
            // close() ran meanwhile: it closed the old channel and removed the old file, not these
            again.close();
            Files.deleteIfExists(file);
        }
        log.accept("the search socket's file was deleted; listening again at " + file);
        return again;
    }

    private void answer(SocketChannel channel) {
        if (!samePeer(channel)) {
            closeQuietly(channel);
            return;
        }
        try (LineChannel lines = new LineChannel(channel)) {
            Optional<String> line = lines.readLine(REQUEST_MILLIS, MAX_REQUEST_BYTES);
            if (line.isEmpty()) {
                return;
            }
            lines.writeLine(SearchWire.write(answer(line.get())), ANSWER_MILLIS);
            lines.shutdownOutput();
        } catch (IOException e) {
            // the asker went away or broke the protocol: it searches itself, nothing here to keep
        }
    }

    /** The answer to one request line. */
    SearchWire.Answer answer(String line) {
        SearchWire.Request request;
        try {
            request = SearchWire.read(line, SearchWire.Request.class);
        } catch (JsonParseException e) {
            return SearchWire.Answer.refusing("not a search request");
        }
        if (request.version() != SearchWire.VERSION) {
            return SearchWire.Answer.refusing("this server speaks version " + SearchWire.VERSION + ", not "
                    + request.version());
        }
        if (!served.collection().equals(request.collection()) || !served.store().equals(request.store())) {
            return SearchWire.Answer.refusing("this server holds collection '" + served.collection() + "' ("
                    + served.store() + ")");
        }
        SearchQuery query;
        try {
            query = request.query(NAMES);
        } catch (IllegalArgumentException | NullPointerException e) {
            return SearchWire.Answer.failing("the search request is not valid: " + e.getMessage());
        }
        try {
            return SearchWire.Answer.of(served.root().get(), served.search().apply(query));
        } catch (IndexerException e) {
            return SearchWire.Answer.failing(e.getMessage());
        } catch (RuntimeException e) {
            log.accept("a search from the command line failed: " + e);
            return SearchWire.Answer.failing("the server could not answer (" + e.getMessage() + ")");
        }
    }

    /**
     * Whether the peer is the user who owns the socket, where the system says who the peer is (Linux
     * and macOS do); elsewhere the file's permissions are the guard.
     */
    private boolean samePeer(SocketChannel channel) {
        try {
            UnixDomainPrincipal peer = channel.getOption(ExtendedSocketOptions.SO_PEERCRED);
            return peer == null || peer.user().getName().equals(owner.getName());
        } catch (UnsupportedOperationException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Stops listening and removes the socket's file; searches in progress finish. Safe twice. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // stopping anyway
        }
        workers.shutdown();
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a file left behind refuses connections; the next server replaces it
        }
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // gone either way
        }
    }
}
