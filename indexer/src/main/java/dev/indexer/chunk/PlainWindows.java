package dev.indexer.chunk;

import dev.indexer.walk.SkipReason;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/** Reads windows into one reused heap buffer: for small files, and when mapping is not possible. */
final class PlainWindows implements ByteWindows {
    private final FileChannel channel;
    private final long size;
    private final ByteBuffer buffer;

    PlainWindows(FileChannel channel, long size, int bufferSize) {
        this.channel = channel;
        this.size = size;
        this.buffer = ByteBuffer.allocate((int) Math.max(16, Math.min(bufferSize, Math.max(size, 16))));
    }

    @Override
    public ByteBuffer window(long position) throws IOException {
        buffer.clear();
        buffer.limit((int) Math.min(buffer.capacity(), size - position));
        fill(channel, buffer, position, size);
        return buffer.flip();
    }

    static void fill(FileChannel channel, ByteBuffer buffer, long position, long expectedSize) throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, at);
            if (n < 0) {
                throw new SkippedFileException(SkipReason.CHANGED,
                        "file shrank while reading: ended at byte " + at + " of " + expectedSize);
            }
            at += n;
        }
    }

    @Override
    public void close() {
        // the channel belongs to the caller
    }
}
