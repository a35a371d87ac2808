package dev.indexer.chunk;

import dev.indexer.walk.SkipReason;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Maps a file one bounded window at a time and unmaps each window before mapping the next, so
 * address space and resident pages stay at one window however large the file. If a window cannot
 * be mapped (some file systems refuse, or address space runs out), that window is read into a
 * heap buffer instead.
 */
final class MappedWindows implements ByteWindows {
    /** Unsafe.invokeCleaner(ByteBuffer): the only way to unmap promptly before Java 19's Arena. */
    private static final MethodHandle UNMAP = findUnmapper();

    private final FileChannel channel;
    private final long size;
    private final int windowSize;
    private MappedByteBuffer mapped;
    private ByteBuffer fallback;
    private String fallbackReason = "";

    MappedWindows(FileChannel channel, long size, int windowSize) {
        this.channel = channel;
        this.size = size;
        this.windowSize = Math.max(16, windowSize);
    }

    @Override
    public ByteBuffer window(long position) throws IOException {
        release();
        long now = channel.size();
        if (now < size) {
            throw new SkippedFileException(SkipReason.CHANGED, "file shrank from " + size + " to " + now
                    + " bytes while reading");
        }
        int length = (int) Math.min(windowSize, size - position);
        try {
            mapped = channel.map(FileChannel.MapMode.READ_ONLY, position, length);
            return mapped;
        } catch (IOException | UnsupportedOperationException mapFailed) {
            if (fallbackReason.isEmpty()) {
                fallbackReason = String.valueOf(mapFailed.getMessage());
            }
            if (fallback == null) {
                fallback = ByteBuffer.allocate(windowSize);
            }
            fallback.clear().limit(length);
            PlainWindows.fill(channel, fallback, position, size);
            return fallback.flip();
        }
    }

    @Override
    public String fallback() {
        return fallbackReason;
    }

    private void release() {
        MappedByteBuffer buffer = mapped;
        mapped = null;
        if (buffer != null && UNMAP != null) {
            try {
                UNMAP.invokeExact(buffer);
            } catch (Throwable e) {
                // Unmapping is an optimisation; the garbage collector unmaps it later instead.
            }
        }
    }

    @Override
    public void close() {
        release();
    }

    private static MethodHandle findUnmapper() {
        try {
            Class<?> unsafeClass = Class.forName("sun.misc.Unsafe");
            Field field = unsafeClass.getDeclaredField("theUnsafe");
            field.setAccessible(true);
            Object unsafe = field.get(null);
            MethodHandle cleaner = MethodHandles.lookup()
                    .findVirtual(unsafeClass, "invokeCleaner", MethodType.methodType(void.class, ByteBuffer.class));
            return cleaner.bindTo(unsafe).asType(MethodType.methodType(void.class, MappedByteBuffer.class));
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
