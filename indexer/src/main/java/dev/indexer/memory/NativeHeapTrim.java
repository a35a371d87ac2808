package dev.indexer.memory;

import java.lang.management.ManagementFactory;
import java.util.Locale;
import javax.management.JMException;
import javax.management.ObjectName;

/**
 * glibc's free pages given back to the system, through the JVM's own {@code System.trim_native_heap}
 * (JDK 17.0.x and later) and its diagnostic command bean: {@code malloc_trim} needs native access
 * that this Java 17 code does not have. The first call starts the JVM's management server, which
 * stays (its beans, and the class path's jars opened for a service lookup).
 */
public final class NativeHeapTrim {
    private NativeHeapTrim() {}

    /** Trims once; false where that cannot be done (not glibc, a JVM without the command). */
    public static boolean trim() {
        try {
            Object said = ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "systemTrimNativeHeap",
                    new Object[] {null}, new String[] {String[].class.getName()});
            // Where the C library is not glibc the JVM says so instead of trimming.
            return !(said instanceof String text && text.toLowerCase(Locale.ROOT).contains("not available"));
        } catch (JMException | RuntimeException e) {
            return false;
        }
    }
}
