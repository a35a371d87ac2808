package dev.indexer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ONNX Runtime's start-up recurses in native code as deep as the command line is long; on a small
 * thread stack (the wrapper's -Xss512k) a long command line used to kill the JVM with SIGSEGV.
 */
class LongCommandLineTest {
    @TempDir
    Path tree;

    @TempDir
    Path home;

    @Test
    void theModelLoadsWhateverTheCommandLineLength() throws Exception {
        Files.writeString(tree.resolve("Hello.java"), "class Hello {\n    /** Greets. */\n    void hi() {}\n}\n");
        // A document too: its parsers log through log4j-api, which must not complain on stderr.
        dev.indexer.chunk.Documents.docx(tree.resolve("notes.docx"), java.util.List.of("Greeting etiquette."));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder child = new ProcessBuilder(java, "-Xss512k", "-Dpadding=" + "x".repeat(8000),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "index", tree.toString(), "--collection", "long", "--index-dir", home.toString(), "--model", "minilm", "-q")
                .redirectErrorStream(true);
        child.environment().remove("QDRANT_URL");
        Process process = child.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), "exit " + process.exitValue() + " (139 is SIGSEGV): " + output);
        assertTrue(output.contains("2 written"), output);
        assertFalse(output.contains("Log4j") || output.contains("ERROR"), output);
    }
}
