package dev.indexer;

import dev.indexer.config.ModelSpec;
import dev.indexer.embed.onnx.OnnxEmbedder;
import java.nio.file.Path;

/** The real models for tests, unpacked once into the build directory and shared by all test classes. */
public final class TestModels {
    private TestModels() {}

    /** An index home under target/, so the models are unpacked once per build, not once per test. */
    public static Path home() {
        return Path.of("target", "test-home").toAbsolutePath();
    }

    public static OnnxEmbedder open(ModelSpec spec) {
        return OnnxEmbedder.open(spec, 256, 2, home());
    }
}
