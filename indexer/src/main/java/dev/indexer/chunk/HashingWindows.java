package dev.indexer.chunk;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * Windows that feed a SHA-256 digest as they are handed out, so a file is hashed by the same read
 * that decodes it. Readers may ask for a window that overlaps the last one (a character cut by a
 * window's end is read again); each byte is digested once, in order.
 */
final class HashingWindows implements ByteWindows {
    private final ByteWindows source;
    private final long size;
    private final MessageDigest digest = ContentHash.sha256();
    private long hashedUpTo;
    /** The last window handed out, valid until the next request: asked for again, it is not read again. */
    private ByteBuffer last;
    private long lastPosition = -1;

    HashingWindows(ByteWindows source, long size) {
        this.source = source;
        this.size = size;
    }

    @Override
    public ByteBuffer window(long position) throws IOException {
        if (position == lastPosition) {
            return last.duplicate().position(0);
        }
        ByteBuffer window = source.window(position);
        last = window.duplicate();
        lastPosition = position;
        long end = position + window.limit();
        if (end > hashedUpTo && position <= hashedUpTo) {
            ByteBuffer fresh = window.duplicate();
            fresh.position((int) (hashedUpTo - position));
            try {
                digest.update(fresh);
            } catch (InternalError e) {
                throw SkippedFileException.truncatedWhileMapped(e);
            }
            hashedUpTo = end;
        }
        return window;
    }

    /** The hash of the whole file, reading whatever the caller did not. */
    String finish() throws IOException {
        while (hashedUpTo < size) {
            window(hashedUpTo);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    @Override
    public String fallback() {
        return source.fallback();
    }

    @Override
    public void close() throws IOException {
        source.close();
    }
}
