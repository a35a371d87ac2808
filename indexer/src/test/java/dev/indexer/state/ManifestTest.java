package dev.indexer.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.indexer.IndexerException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestTest {
    @TempDir
    Path dir;

    private static FileRecord indexed(String path, String... chunkHashes) {
        return new FileRecord(path, 10, 1000, "h-" + path, FileRecord.INDEXED, List.of(chunkHashes));
    }

    @Test
    void recordsSurviveReopeningAndRemovalsApply() {
        Path file = dir.resolve("manifest.db");
        try (Manifest manifest = Manifest.open(file)) {
            long run = manifest.startRun();
            manifest.record(List.of(indexed("a.java", "h1", "h2"), indexed("b.java", "h3"),
                    new FileRecord("logo.png", 5, 7, "hp", "BINARY", List.of())), List.of(), run);
            manifest.record(List.of(), List.of("b.java"), run);
        }
        try (Manifest manifest = Manifest.open(file)) {
            assertEquals(List.of("h1", "h2"), manifest.get("a.java").orElseThrow().chunkHashes());
            assertTrue(manifest.get("b.java").isEmpty());
            FileRecord png = manifest.get("logo.png").orElseThrow();
            assertEquals("BINARY", png.status());
            assertTrue(png.sameMetadata(5, 7));
            assertEquals(new Manifest.Totals(2, 1, 2), manifest.totals());
            assertEquals(Map.of("a.java", 2), manifest.chunkCounts());
        }
    }

    @Test
    void filesNotSeenByACompletedWalkAreTheDeletedOnes() {
        try (Manifest manifest = Manifest.open(dir.resolve("manifest.db"))) {
            long first = manifest.startRun();
            manifest.record(List.of(indexed("a"), indexed("b"), indexed("c")), List.of(), first);
            long second = manifest.startRun();
            assertEquals(first + 1, second);
            manifest.markSeen(List.of("a", "c", "not-recorded"), second);
            assertEquals(List.of("b"), manifest.unseen(second, 10));
            manifest.record(List.of(indexed("b")), List.of(), second);
            assertEquals(List.of(), manifest.unseen(second, 10));
        }
    }

    @Test
    void anotherModelIsRefusedWithTheWayOut() {
        try (Manifest manifest = Manifest.open(dir.resolve("manifest.db"))) {
            manifest.checkSettings("c", Map.of("model", "bge-small", "dimension", "384"));
            manifest.putMeta(Map.of("model", "bge-small", "dimension", "384"));
            manifest.checkSettings("c", Map.of("model", "bge-small", "dimension", "384"));
            IndexerException e = assertThrows(IndexerException.class,
                    () -> manifest.checkSettings("c", Map.of("model", "minilm", "dimension", "384")));
            assertEquals("Collection 'c' was built with model bge-small (not minilm); rerun with the settings it was"
                    + " built with, or with --reindex to rebuild it from scratch.", e.getMessage());
            assertEquals("bge-small", manifest.meta().get("model"));
        }
    }
}
