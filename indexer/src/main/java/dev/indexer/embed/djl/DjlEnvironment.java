package dev.indexer.embed.djl;

import java.nio.file.Path;

/**
 * DJL reads its settings from system properties when its classes first load: whether to send
 * telemetry (an HTTP call to EC2 metadata and S3), whether it may download, and where it caches
 * native libraries. These must be set before any DJL class is touched, so every entry point into
 * DJL goes through {@link #prepare(Path)} first; the model's also starts ONNX Runtime
 * ({@link #startOnnxRuntime()}), which a tokenizer alone does not need. Settings the user passed
 * explicitly are kept.
 */
final class DjlEnvironment {
    private DjlEnvironment() {}

    static void prepare(Path cacheDir) {
        setIfAbsent("OPT_OUT_TRACKING", "true");
        setIfAbsent("ai.djl.offline", "true");
        setIfAbsent("ai.djl.default_engine", "OnnxRuntime");
        // The CPU build of the tokenizer library ships in its jar; GPU builds would be downloaded.
        setIfAbsent("RUST_FLAVOR", "cpu");
        setIfAbsent("DJL_CACHE_DIR", cacheDir.toString());
        setIfAbsent("ENGINE_CACHE_DIR", cacheDir.toString());
    }

    /** Stack for the thread that starts ONNX Runtime; its own threads are not affected. */
    private static final long STARTUP_STACK_BYTES = 64L << 20;

    /**
     * Creates ONNX Runtime's process-wide environment on a thread with a large stack. Creating it
     * recurses in native code to a depth that grows with the length of the process's command line
     * (seen with ORT 1.29: a 3,000-character command line overflowed a 512 KB thread stack, a 5 KB
     * classpath the default 1 MB one), and a native stack overflow kills the JVM with SIGSEGV and no
     * message. Later calls find the environment made and return at once.
     */
    static void startOnnxRuntime() {
        Throwable[] failure = new Throwable[1];
        // Through DJL's engine, which creates the environment with its threading options once per process.
        Thread starter = new Thread(null, () -> {
            try {
                ai.djl.engine.Engine.getEngine("OnnxRuntime");
            } catch (RuntimeException | Error e) {
                failure[0] = e;
            }
        }, "onnxruntime-start", STARTUP_STACK_BYTES);
        starter.start();
        try {
            starter.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting ONNX Runtime", e);
        }
        if (failure[0] instanceof RuntimeException e) {
            throw e;
        }
        if (failure[0] instanceof Error e) {
            throw e;
        }
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
