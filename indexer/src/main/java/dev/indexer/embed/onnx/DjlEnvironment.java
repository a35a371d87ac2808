package dev.indexer.embed.onnx;

import java.nio.file.Path;

/**
 * DJL (whose binding of the Hugging Face tokenizers is used) reads its settings from system
 * properties when its classes first load: whether to send telemetry (an HTTP call to EC2 metadata
 * and S3), whether it may download, and where it caches native libraries. These must be set
 * before any DJL class is touched, so every entry point into DJL goes through
 * {@link #prepare(Path)} first. Settings the user passed explicitly are kept.
 */
final class DjlEnvironment {
    private DjlEnvironment() {}

    static void prepare(Path cacheDir) {
        setIfAbsent("OPT_OUT_TRACKING", "true");
        setIfAbsent("ai.djl.offline", "true");
        // The CPU build of the tokenizer library ships in its jar; GPU builds would be downloaded.
        setIfAbsent("RUST_FLAVOR", "cpu");
        setIfAbsent("DJL_CACHE_DIR", cacheDir.toString());
        setIfAbsent("ENGINE_CACHE_DIR", cacheDir.toString());
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
