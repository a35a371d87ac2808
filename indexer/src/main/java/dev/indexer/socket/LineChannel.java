package dev.indexer.socket;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * One connection of a search socket, as lines of UTF-8 text: a line is read within a time limit
 * and a size limit (a peer that sends nothing, or sends without end, holds nothing for long), and
 * written whole. Unix-domain channels have no read timeout of their own, so reads wait on a selector.
 */
final class LineChannel implements AutoCloseable {
    private final SocketChannel channel;
    private final Selector selector;
    private final ByteBuffer buffer = ByteBuffer.allocate(16 * 1024);

    LineChannel(SocketChannel channel) throws IOException {
        this.channel = channel;
        this.selector = Selector.open();
        try {
            channel.configureBlocking(false);
            channel.register(selector, SelectionKey.OP_READ);
        } catch (IOException | RuntimeException e) {
            selector.close();
            throw e;
        }
    }

    SocketChannel channel() {
        return channel;
    }

    /**
     * The next line, without its end; empty when the peer closed before sending one.
     *
     * @throws SocketTimeoutException if no whole line came within {@code timeoutMillis}
     * @throws IOException if the line is longer than {@code maxBytes}, or the connection failed
     */
    Optional<String> readLine(long timeoutMillis, int maxBytes) throws IOException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            buffer.clear();
            int read = channel.read(buffer);
            if (read < 0) {
                return Optional.empty();
            }
            for (int i = 0; i < read; i++) {
                byte b = buffer.get(i);
                if (b == '\n') {
                    return Optional.of(line.toString(StandardCharsets.UTF_8));
                }
                line.write(b);
            }
            if (line.size() > maxBytes) {
                throw new IOException("a message longer than " + maxBytes + " bytes");
            }
            if (read == 0) {
                long left = (deadline - System.nanoTime()) / 1_000_000L;
                if (left <= 0) {
                    throw new SocketTimeoutException("no answer within " + timeoutMillis + " ms");
                }
                selector.select(left);
                selector.selectedKeys().clear();
            }
        }
    }

    /** Writes {@code text} and a line end, all of it (waiting for the peer to take it, within the limit). */
    void writeLine(String text, long timeoutMillis) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap((text + "\n").getBytes(StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        SelectionKey key = channel.keyFor(selector);
        try {
            while (bytes.hasRemaining()) {
                if (channel.write(bytes) == 0) {
                    long left = (deadline - System.nanoTime()) / 1_000_000L;
                    if (left <= 0) {
                        throw new SocketTimeoutException("the peer took no more within " + timeoutMillis + " ms");
                    }
                    key.interestOps(SelectionKey.OP_WRITE);
                    selector.select(left);
                    selector.selectedKeys().clear();
                }
            }
        } finally {
            key.interestOps(SelectionKey.OP_READ);
        }
    }

    /** Says that nothing more will be written (the peer's read then ends). */
    void shutdownOutput() throws IOException {
        channel.shutdownOutput();
    }

    @Override
    public void close() {
        try {
            selector.close();
        } catch (IOException ignored) {
            // the channel goes next
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // closed either way
        }
    }
}
