package dev.indexer.memory;

import com.sun.jna.Library;
import com.sun.jna.Native;

/**
 * glibc's free pages given back to the system: the C library's {@code malloc_trim(0)}, called
 * through JNA (which the project uses for ONNX Runtime's telemetry opt-out too). The JVM's own
 * {@code System.trim_native_heap} does the same through its diagnostic command bean, but the first
 * call through that bean starts the JVM's management server, which stays (8 MB of heap, and the
 * class path's jars opened for a service lookup).
 */
public final class NativeHeapTrim {
    /** The one C function needed; glibc only. */
    private interface C extends Library {
        int malloc_trim(long pad);
    }

    private NativeHeapTrim() {}

    /** Trims once; false where that cannot be done (a C library without {@code malloc_trim}: not glibc). */
    public static boolean trim() {
        try {
            Native.load("c", C.class).malloc_trim(0);
            return true;
        } catch (LinkageError | RuntimeException e) {
            return false;
        }
    }
}
