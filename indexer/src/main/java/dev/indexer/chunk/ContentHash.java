package dev.indexer.chunk;

import dev.indexer.walk.SourceFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 of file contents and chunk texts, as lowercase hex. */
public final class ContentHash {
    private static final int BUFFER = 64 * 1024;

    private ContentHash() {}

    /**
     * Hashes the first {@code file.size()} bytes of the file, streaming through a small buffer.
     *
     * @throws FileChangedException if the file is now shorter than the walk saw
     */
    public static String of(SourceFile file) throws IOException {
        MessageDigest digest = sha256();
        try (FileChannel channel = FileChannel.open(file.path(), StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(BUFFER, Math.max(16, file.size())));
            long position = 0;
            while (position < file.size()) {
                buffer.clear().limit((int) Math.min(buffer.capacity(), file.size() - position));
                PlainWindows.fill(channel, buffer, position, file.size());
                buffer.flip();
                position += buffer.remaining();
                digest.update(buffer);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    static String ofText(String text) {
        return HexFormat.of().formatHex(sha256().digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
