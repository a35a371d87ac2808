package dev.indexer.socket;

import dev.indexer.IndexerException;
import dev.indexer.engine.CollectionReader;
import dev.indexer.engine.SearchQuery;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The command's side of a server's {@link SearchSocket}: asks the server that holds a collection,
 * and says when it could not, so that the command searches the collection itself. A server that is
 * gone, refuses, or does not answer in time is never an error: only a search that failed on the
 * server is.
 */
public final class ServerSearch {
    /** Past this the server is taken to be stuck, and the command searches itself. */
    static final long ANSWER_MILLIS = 30_000;
    /** An answer of 1,000 hits with their text fits many times over. */
    private static final int MAX_ANSWER_BYTES = 256 * 1024 * 1024;

    private final Path file;
    private final String collection;
    private final String store;

    private ServerSearch(Path file, String collection, String store) {
        this.file = file;
        this.collection = collection;
        this.store = store;
    }

    /**
     * The server's socket for the collection in {@code dir}, if one is there (whether it answers is
     * known only by asking).
     *
     * @param store where the asker's collection is, as {@link dev.indexer.store.StoreTarget#describe} says it
     */
    public static Optional<ServerSearch> near(Path dir, String collection, String store) {
        Path file = dir.resolve(SearchSocket.FILE_NAME);
        return Files.exists(file, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)
                ? Optional.of(new ServerSearch(file, collection, store)) : Optional.empty();
    }

    /** What asking gave. */
    public sealed interface Reply {}

    /**
     * The server's answer.
     *
     * @param root the indexed tree's absolute path, as the server knows it
     * @param pid the server's process
     */
    public record Answered(CollectionReader.Results results, String root, long pid) implements Reply {}

    /** The server could not be asked, or would not answer; {@code why} says which, for {@code --verbose}. */
    public record Unanswered(String why) implements Reply {}

    /**
     * Asks the server.
     *
     * @throws IndexerException if the search failed on the server, with the server's message (the
     *     same failure a search here would meet)
     */
    public Reply search(SearchQuery query) {
        String line;
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(file));
            try (LineChannel lines = new LineChannel(channel)) {
                lines.writeLine(SearchWire.write(SearchWire.Request.of(collection, store, query)), ANSWER_MILLIS);
                Optional<String> answer = lines.readLine(ANSWER_MILLIS, MAX_ANSWER_BYTES);
                if (answer.isEmpty()) {
                    return new Unanswered("the server closed the connection without answering (busy)");
                }
                line = answer.get();
            }
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return new Unanswered("no server answers at " + file + " (" + e.getMessage() + ")");
        }
        SearchWire.Answer answer;
        try {
            answer = SearchWire.read(line, SearchWire.Answer.class);
        } catch (RuntimeException e) { // Gson's own, or a record's constructor refusing what came
            return new Unanswered("the server's answer could not be read (" + e.getMessage() + ")");
        }
        if (answer.error() != null) {
            throw new IndexerException(answer.error());
        }
        if (answer.refused() != null || answer.results() == null || answer.root() == null) {
            return new Unanswered("the server at " + file + " did not take the search"
                    + (answer.refused() == null ? "" : ": " + answer.refused()));
        }
        return new Answered(answer.results(), answer.root(), answer.pid() == null ? -1 : answer.pid());
    }
}
