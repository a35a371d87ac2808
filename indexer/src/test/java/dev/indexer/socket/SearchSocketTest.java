package dev.indexer.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.indexer.IndexerException;
import dev.indexer.engine.CollectionReader;
import dev.indexer.engine.SearchQuery;
import dev.indexer.store.PathGlob;
import dev.indexer.store.SearchHit;
import dev.indexer.store.SearchMode;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A server's search socket and the command's side of it, over a real Unix-domain socket. */
class SearchSocketTest {
    private static final String STORE = "embedded store at /somewhere/collections/c/lucene";

    @TempDir
    Path dir;

    private final List<SearchQuery> asked = new CopyOnWriteArrayList<>();
    private final List<String> log = Collections.synchronizedList(new ArrayList<>());

    private static final SearchHit LEDGER = new SearchHit("id-1", "billing/Ledger.java", 5, 12, "java",
            "long settleInvoices(long customer, long payment) {\n    return payment - customer; // é, \"quoted\" <b>\n}",
            0.016393442f, "settleInvoices", "method", "Ledger", "");
    /** With a copy: the same text in a vendored file. */
    private static final SearchHit RETRY = new SearchHit("id-2", "net/retry.py", 4, 11, "python", "def retry():\n\tpass",
            Float.MIN_VALUE, "", "", "", "", List.of(new SearchHit.Copy("id-3", "", "third_party/net/retry.py", 4, 11)));

    private SearchSocket open(String collection) {
        return SearchSocket.open(dir, new SearchSocket.Served(collection, STORE, () -> "/repo/root", query -> {
            asked.add(query);
            if (query.text().equals("fail")) {
                throw new IndexerException("The index of collection 'c' at /x is damaged (missing file _3.si); rebuild it.");
            }
            if (query.text().equals("crash")) {
                throw new IllegalStateException("boom");
            }
            return new CollectionReader.Results(List.of(LEDGER, RETRY), List.of("meaning search covers 1 of 2 chunks"),
                    1, Set.of("id-2"));
        }), log::add).orElseThrow();
    }

    private static SearchQuery query(String text) {
        return new SearchQuery(text, 7, SearchMode.VECTOR, Optional.of("Java"), Optional.of(PathGlob.of("src/**/*.java")));
    }

    @Test
    void theAnswerComesBackWholeAndTheQueryArrivesAsAsked() {
        try (SearchSocket socket = open("c")) {
            Path file = dir.resolve(SearchSocket.FILE_NAME);
            assertEquals("rw-------", PosixFilePermissions.toString(assertDoesNotThrowPermissions(file)));
            ServerSearch.Reply reply = ServerSearch.near(dir, "c", STORE).orElseThrow().search(query("settle invoices"));
            ServerSearch.Answered answered = assertInstanceOf(ServerSearch.Answered.class, reply);
            assertEquals(List.of(LEDGER, RETRY), answered.results().hits(), "every field, the score to the last bit");
            assertEquals(List.of("meaning search covers 1 of 2 chunks"), answered.results().notes());
            assertEquals(1, answered.results().embeddedNow());
            assertEquals(Set.of("id-2"), answered.results().hitsEmbeddedNow());
            assertEquals("/repo/root", answered.root());
            assertEquals(ProcessHandle.current().pid(), answered.pid());
            SearchQuery received = asked.get(0);
            assertEquals("settle invoices", received.text());
            assertEquals(7, received.k());
            assertEquals(SearchMode.VECTOR, received.mode());
            assertEquals(Optional.of("java"), received.language());
            assertEquals("src/**/*.java", received.path().orElseThrow().toString());
        }
        assertFalse(Files.exists(dir.resolve(SearchSocket.FILE_NAME)), "closing removes the socket's file");
    }

    private static Set<java.nio.file.attribute.PosixFilePermission> assertDoesNotThrowPermissions(Path file) {
        try {
            return Files.getPosixFilePermissions(file);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void anotherCollectionOrStoreIsRefusedAndTheCommandSearchesItself() {
        try (SearchSocket socket = open("c")) {
            ServerSearch.Reply other = ServerSearch.near(dir, "d", STORE).orElseThrow().search(query("x"));
            assertTrue(assertInstanceOf(ServerSearch.Unanswered.class, other).why().contains("holds collection 'c'"),
                    other.toString());
            ServerSearch.Reply qdrant = ServerSearch.near(dir, "c", "Qdrant collection 'c' at http://localhost:6334")
                    .orElseThrow().search(query("x"));
            assertInstanceOf(ServerSearch.Unanswered.class, qdrant);
            assertTrue(asked.isEmpty(), "nothing was searched for them");
        }
    }

    @Test
    void aSearchThatFailsOnTheServerIsTheCommandsErrorWithTheServersWords() {
        try (SearchSocket socket = open("c")) {
            ServerSearch search = ServerSearch.near(dir, "c", STORE).orElseThrow();
            IndexerException failed = assertThrows(IndexerException.class, () -> search.search(query("fail")));
            assertEquals("The index of collection 'c' at /x is damaged (missing file _3.si); rebuild it.",
                    failed.getMessage());
            IndexerException crashed = assertThrows(IndexerException.class, () -> search.search(query("crash")));
            assertTrue(crashed.getMessage().contains("the server could not answer (boom)"), crashed.getMessage());
            assertTrue(log.stream().anyMatch(l -> l.contains("boom")), log.toString());
            assertInstanceOf(ServerSearch.Answered.class, search.search(query("still serving")));
        }
    }

    @Test
    void noSocketOrOneADeadServerLeftIsNoServer() throws IOException {
        assertTrue(ServerSearch.near(dir, "c", STORE).isEmpty());
        // A server killed outright leaves its file; nothing listens on it.
        Path file = dir.resolve(SearchSocket.FILE_NAME);
        try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            dead.bind(UnixDomainSocketAddress.of(file));
        }
        assertTrue(Files.exists(file));
        ServerSearch.Reply reply = ServerSearch.near(dir, "c", STORE).orElseThrow().search(query("x"));
        assertTrue(assertInstanceOf(ServerSearch.Unanswered.class, reply).why().startsWith("no server answers at"),
                reply.toString());
        // The next server replaces it.
        try (SearchSocket socket = open("c")) {
            assertInstanceOf(ServerSearch.Answered.class, ServerSearch.near(dir, "c", STORE).orElseThrow()
                    .search(query("x")));
        }
        // A regular file of that name is no server either.
        Files.writeString(file, "not a socket");
        assertInstanceOf(ServerSearch.Unanswered.class, ServerSearch.near(dir, "c", STORE).orElseThrow().search(query("x")));
    }

    @Test
    void aSocketWhoseFileWasDeletedListensAgain() throws Exception {
        try (SearchSocket socket = open("c")) {
            Path file = dir.resolve(SearchSocket.FILE_NAME);
            Files.delete(file); // the collection's directory emptied under a server that builds it again
            // The file appears at bind, before its permissions are narrowed; the log line comes after both.
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (List.copyOf(log).stream().noneMatch(l -> l.contains("listening again"))
                    && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertTrue(Files.exists(file), log.toString());
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
            assertInstanceOf(ServerSearch.Answered.class, ServerSearch.near(dir, "c", STORE).orElseThrow()
                    .search(query("after the file went")));
            assertTrue(log.stream().anyMatch(l -> l.contains("listening again")), log.toString());
        }
        assertFalse(Files.exists(dir.resolve(SearchSocket.FILE_NAME)));
    }

    @Test
    void garbageOversizedAndOtherVersionsAreAnsweredOrCutOffAndTheServerGoesOn() throws IOException {
        try (SearchSocket socket = open("c")) {
            assertTrue(raw("this is not JSON\n").contains("\"refused\":\"not a search request\""));
            assertTrue(raw("{\"version\":99,\"collection\":\"c\"}\n").contains("speaks version " + SearchWire.VERSION + ", not 99"));
            assertTrue(raw("[1,2,3]\n").contains("not a search request"));
            String empty = raw("{\"version\":" + SearchWire.VERSION + ",\"collection\":\"c\",\"store\":\"" + STORE + "\",\"query\":\" \",\"k\":5}\n");
            assertTrue(empty.contains("\"error\":\"the search request is not valid: query is empty"), empty);
            String tooMany = raw("{\"version\":" + SearchWire.VERSION + ",\"collection\":\"c\",\"store\":\"" + STORE
                    + "\",\"query\":\"x\",\"k\":100000}\n");
            assertTrue(tooMany.contains("k must be from 1 to 1000"), tooMany);
            String badMode = raw("{\"version\":" + SearchWire.VERSION + ",\"collection\":\"c\",\"store\":\"" + STORE
                    + "\",\"query\":\"x\",\"k\":5,\"mode\":\"psychic\"}\n");
            assertTrue(badMode.contains("\"error\""), badMode);
            // A line without end longer than any request: the connection is closed, nothing answered.
            assertEquals("", raw("x".repeat(SearchSocket.MAX_REQUEST_BYTES + 20_000)));
            assertTrue(asked.isEmpty());
            assertInstanceOf(ServerSearch.Answered.class, ServerSearch.near(dir, "c", STORE).orElseThrow()
                    .search(query("after all that")));
        }
    }

    /** Sends {@code text} as it is and returns all the server says before closing. */
    private String raw(String text) throws IOException {
        try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(dir.resolve(SearchSocket.FILE_NAME)))) {
            ByteBuffer out = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
            try {
                while (out.hasRemaining()) {
                    channel.write(out);
                }
            } catch (IOException e) {
                // the server closed on an oversized line while this still wrote
            }
            StringBuilder answer = new StringBuilder();
            ByteBuffer in = ByteBuffer.allocate(8192);
            try {
                while (channel.read(in.clear()) > 0) {
                    answer.append(StandardCharsets.UTF_8.decode(in.flip()));
                }
            } catch (IOException e) {
                // reset by the server
            }
            return answer.toString();
        }
    }
}
