package dev.indexer.embed.onnx;

import com.sun.jna.Library;
import com.sun.jna.Native;
import dev.indexer.IndexerException;
import java.util.Locale;

/**
 * Keeps ONNX Runtime from reporting to Microsoft. From 1.29 its official builds send usage events
 * on Linux and macOS too (the process, each session and model, run counts and times) to
 * {@code mobile.events.data.microsoft.com}, queue them in
 * {@code ~/.cache/Microsoft/DeveloperTools/.onnxruntime/onnxruntime.db} while offline and keep a
 * device id beside it. Only {@value #VARIABLE}{@code =1} in the process's environment when the
 * runtime starts turns all of that off; the Java API's {@code setTelemetry(false)} comes after the
 * start has been reported. Java cannot change its own environment, so the variable is set through
 * the C library's {@code setenv} (JNA, which DJL brings anyway) before any ONNX Runtime class loads.
 * Where that cannot be done the model is not started: this tool does not reach the network.
 */
final class OrtTelemetry {
    /** ONNX Runtime's opt-out, read once when its environment is created. */
    static final String VARIABLE = "ORT_DISABLE_TELEMETRY";

    /** The one C function needed. */
    private interface C extends Library {
        String getenv(String name);

        int setenv(String name, String value, int overwrite);
    }

    private static final Object LOCK = new Object();

    private OrtTelemetry() {}

    /**
     * Sets {@value #VARIABLE}=1 for this process unless it already is; call before the first ONNX
     * Runtime class is touched. Windows builds report through the system's event tracing instead,
     * which {@code setTelemetry(false)} on the environment turns off.
     *
     * @throws IndexerException where the variable is not set and cannot be
     */
    static void optOut() {
        synchronized (LOCK) {
            if ("1".equals(System.getenv(VARIABLE)) || isWindows()) {
                return;
            }
            int result;
            try {
                C c = Native.load("c", C.class);
                // Java's getenv is a copy taken at start; the C library's is what ONNX Runtime reads.
                result = "1".equals(c.getenv(VARIABLE)) ? 0 : c.setenv(VARIABLE, "1", 1);
            } catch (LinkageError | RuntimeException e) {
                throw refused(e.toString());
            }
            if (result != 0) {
                throw refused("setenv returned " + result + ", errno " + Native.getLastError());
            }
        }
    }

    private static IndexerException refused(String why) {
        return new IndexerException("ONNX Runtime would report usage to Microsoft and this process could not turn that"
                + " off (" + why + "); set " + VARIABLE + "=1 in the environment (scripts/indexer does) and run again.");
    }

    private static boolean isWindows() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
    }
}
