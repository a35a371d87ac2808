package dev.indexer.mcp;

import dev.indexer.pipeline.Cancellation;
import io.modelcontextprotocol.json.McpJsonMapper;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The stdio transport's stdin and stdout, kept to what the MCP SDK can take. The SDK ends its
 * session for good on the first line it cannot read as one JSON-RPC message (a blank line,
 * {@code {}}, a batch, truncated JSON), and leaves a request sent before {@code initialize}
 * unanswered, so that the client waits forever and the server never sees stdin end. Every line is
 * therefore looked at here first, as JSON-RPC 2.0 asks: a blank line is skipped; a line that is not
 * JSON gets a parse error (-32700, id null); JSON that is not one JSON-RPC 2.0 message gets an
 * invalid-request error (-32600); until the session is initialized ({@code initialize}, then
 * {@code notifications/initialized}), {@code ping} gets its empty result and any other request an
 * error saying what to send first. Only the rest reach the SDK, whose reads
 * drive this (no thread of its own). The end of stdin, or a failure to read it, stops the server.
 */
final class StdioGuard {
    /** The longest message taken, well below the SDK's own limit (16 MB): a longer line is answered and skipped. */
    static final int MAX_LINE_BYTES = 4 << 20;
    /** JSON-RPC's range for errors of the server's own: the session is not initialized yet. */
    static final int NOT_INITIALIZED = -32000;
    /** How long, after stdin ends, requests already taken may still be answered before the server stops. */
    static final java.time.Duration DRAIN = java.time.Duration.ofSeconds(30);

    private final InputStream stdin;
    private final Messages stdout;
    private final McpJsonMapper json;
    private final Cancellation stop;
    private byte[] pending = new byte[0];
    private int at;
    /** Where the session is: the SDK answers requests only once the client said it is initialized. */
    private Phase phase = Phase.NEW;
    private boolean ended;
    /** Requests handed to the SDK and not answered yet, by id as JSON: stdin's end waits for them. */
    private final Set<String> awaited = ConcurrentHashMap.newKeySet();

    private enum Phase { NEW, INITIALIZING, READY }

    StdioGuard(InputStream stdin, OutputStream stdout, McpJsonMapper json, Cancellation stop) {
        this.stdin = new BufferedInputStream(stdin);
        this.stdout = new Messages(stdout, this::answered);
        this.json = json;
        this.stop = stop;
    }

    /** What the SDK reads: the messages it can take, each on its line. */
    InputStream input() {
        return new InputStream() {
            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                if (length == 0) {
                    return 0;
                }
                if (at == pending.length && !nextMessage()) {
                    return -1;
                }
                int n = Math.min(length, pending.length - at);
                System.arraycopy(pending, at, buffer, offset, n);
                at += n;
                return n;
            }

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }
        };
    }

    /** What the SDK writes: each message reaches stdout whole, never interleaved with an answer of this guard's. */
    OutputStream output() {
        return stdout;
    }

    /** Reads lines until one the SDK can take, answering the others; false at the end of stdin. */
    private boolean nextMessage() throws IOException {
        while (!ended) {
            Line line = readLine();
            if (line == null) {
                end();
                return false;
            }
            if (line.tooLong()) {
                answer(JsonRpcCheck.error(null, JsonRpcCheck.PARSE_ERROR, "the message is longer than "
                        + (MAX_LINE_BYTES >> 20) + " MB"));
                continue;
            }
            String text = new String(line.bytes(), StandardCharsets.UTF_8).strip();
            if (!text.isEmpty() && take(text)) {
                pending = (text + "\n").getBytes(StandardCharsets.UTF_8);
                at = 0;
                return true;
            }
        }
        return false;
    }

    /** Whether the SDK gets {@code text}; if not, it has been answered (or, a notification, dropped). */
    private boolean take(String text) throws IOException {
        JsonRpcCheck message = JsonRpcCheck.of(json, text);
        if (!message.passed()) {
            answer(message.error());
            return false;
        }
        if (phase != Phase.READY && !message.response()) {
            if ("initialize".equals(message.method())) {
                phase = Phase.INITIALIZING;
            } else if ("notifications/initialized".equals(message.method()) && phase == Phase.INITIALIZING) {
                phase = Phase.READY;
            } else {
                if (message.id() != null) {
                    answer("ping".equals(message.method())
                            ? Map.of("jsonrpc", "2.0", "id", message.id(), "result", Map.of())
                            : JsonRpcCheck.error(message.id(), NOT_INITIALIZED, "the session is not initialized: send "
                                    + (phase == Phase.NEW ? "initialize" : "notifications/initialized") + " first"));
                }
                return false; // a notification before the session is initialized has nothing to act on
            }
        }
        if (message.isRequest()) {
            awaited.add(json.writeValueAsString(message.id()));
        }
        return true;
    }

    /**
     * Stdin ended (or broke): the client sends nothing more, but may still read. Requests the SDK
     * has taken are answered first (for at most {@link #DRAIN}), then the server is stopped; the
     * SDK's reader waits here meanwhile, since the end of its input would end its session.
     */
    private void end() {
        ended = true;
        long deadline = System.nanoTime() + DRAIN.toNanos();
        synchronized (awaited) {
            try {
                for (long left = DRAIN.toMillis(); !awaited.isEmpty() && left > 0;
                        left = (deadline - System.nanoTime()) / 1_000_000) {
                    awaited.wait(left);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        stop.cancel();
    }

    /** The SDK wrote a message: if it answers a request, that request is no longer awaited. */
    private void answered(byte[] message) {
        try {
            if (json.readValue(message, Object.class) instanceof Map<?, ?> map && map.containsKey("id")
                    && (map.containsKey("result") || map.containsKey("error"))) {
                synchronized (awaited) {
                    awaited.remove(json.writeValueAsString(map.get("id")));
                    awaited.notifyAll();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not one message: nothing to match
        }
    }

    private void answer(Map<String, Object> message) throws IOException {
        stdout.message((json.writeValueAsString(message) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** One line of stdin without its end, or null at the end; a line over the limit is read to its end and dropped. */
    private Line readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        boolean tooLong = false;
        int b;
        try {
            while ((b = stdin.read()) >= 0 && b != '\n') {
                if (line.size() < MAX_LINE_BYTES) {
                    line.write(b);
                } else {
                    tooLong = true;
                }
            }
        } catch (IOException e) {
            end();
            throw e;
        }
        if (b < 0 && line.size() == 0 && !tooLong) {
            return null;
        }
        return new Line(line.toByteArray(), tooLong);
    }

    private record Line(byte[] bytes, boolean tooLong) {}

    /**
     * Stdout, written a message at a time: the SDK writes a message and its line end separately
     * and then flushes, so each thread's bytes are gathered and written whole at its flush.
     */
    private static final class Messages extends OutputStream {
        private final OutputStream out;
        private final java.util.function.Consumer<byte[]> written;
        private final ThreadLocal<ByteArrayOutputStream> gathered = ThreadLocal.withInitial(ByteArrayOutputStream::new);

        /** {@code written} is told of each message the SDK wrote. */
        Messages(OutputStream out, java.util.function.Consumer<byte[]> written) {
            this.out = out;
            this.written = written;
        }

        @Override
        public void write(int b) {
            gathered.get().write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            gathered.get().write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            ByteArrayOutputStream bytes = gathered.get();
            if (bytes.size() > 0) {
                byte[] message = bytes.toByteArray();
                bytes.reset();
                message(message);
                written.accept(message);
            }
        }

        synchronized void message(byte[] bytes) throws IOException {
            out.write(bytes);
            out.flush();
        }

        @Override
        public void close() throws IOException {
            flush();
            out.close();
        }
    }
}
