package dev.indexer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ONNX Runtime's native libraries come from the index home, unpacked once: a run leaves nothing in
 * the temporary directory (the runtime's own loader leaves a directory there at every start, and
 * its 28 MB when the process is killed).
 */
class NativeLibrariesTest {
    @TempDir
    Path dir;

    @Test
    void aRunLoadsTheRuntimeFromTheHomeAndLeavesTheTemporaryDirectoryEmpty() throws Exception {
        Path tree = Files.createDirectories(dir.resolve("tree"));
        Files.writeString(tree.resolve("Greeter.java"), "class Greeter {\n    String greet(String name) {\n"
                + "        return \"Hello, \" + name;\n    }\n}\n");
        Path home = dir.resolve("home");
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        Map<String, String> env = Map.of("JAVA_TOOL_OPTIONS", "-Djava.io.tmpdir=" + tmp);
        ChildProcess first = ChildProcess.start(dir.resolve("logs"), env, "index", tree.toString(), "--collection",
                "natives", "--index-dir", home.toString(), "-q");
        assertEquals(0, first.waitFor(), first.err());
        assertEquals(List.of(), list(tmp), "nothing left in the temporary directory");
        List<Path> unpacked;
        try (Stream<Path> files = Files.walk(home.resolve("native"))) {
            unpacked = files.filter(f -> f.getFileName().toString().startsWith(System.mapLibraryName("onnxruntime")))
                    .toList();
        }
        assertEquals(1, unpacked.size(), unpacked.toString());
        assertTrue(Files.size(unpacked.get(0)) > 1_000_000, "the runtime itself, not a stub");
        FileTime made = Files.getLastModifiedTime(unpacked.get(0));

        ChildProcess search = ChildProcess.start(dir.resolve("logs"), env, "search", "greet a person by name",
                "--collection", "natives", "--index-dir", home.toString(), "--mode", "vector");
        assertEquals(0, search.waitFor(), search.err());
        assertTrue(search.out().contains("Greeter.java"), search.out());
        assertEquals(made, Files.getLastModifiedTime(unpacked.get(0)), "unpacked once, then reused");
        assertEquals(List.of(), list(tmp));
    }

    private static List<String> list(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
