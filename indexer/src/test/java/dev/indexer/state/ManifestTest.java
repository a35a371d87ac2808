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

    private static FileRecord waiting(String path, int priority, String... chunkHashes) {
        return new FileRecord(path, 10, 1000, "h-" + path, FileRecord.INDEXED, List.of(chunkHashes),
                chunkHashes.length, priority);
    }

    private static FileRecord indexed(String path, String... chunkHashes) {
        return new FileRecord(path, 10, 1000, "h-" + path, FileRecord.INDEXED, List.of(chunkHashes), 0, 0);
    }

    @Test
    void recordsSurviveReopeningAndRemovalsApply() {
        Path file = dir.resolve("manifest.db");
        try (Manifest manifest = Manifest.open(file)) {
            long run = manifest.startRun();
            manifest.record(List.of(indexed("a.java", "h1", "h2"), indexed("b.java", "h3"),
                    FileRecord.skipped("logo.png", 5, 7, "BINARY")), List.of(), run);
            manifest.record(List.of(), List.of("b.java"), run);
        }
        try (Manifest manifest = Manifest.open(file)) {
            assertEquals(List.of("h1", "h2"), manifest.get("a.java").orElseThrow().chunkHashes());
            assertTrue(manifest.get("b.java").isEmpty());
            FileRecord png = manifest.get("logo.png").orElseThrow();
            assertEquals("BINARY", png.status());
            assertTrue(png.sameMetadata(5, 7));
            assertEquals(new Manifest.Totals(2, 1, 2, 0, 0, 0), manifest.totals());
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
    void filesWaitingForVectorsComeInEmbeddingOrderAPageAtATime() {
        try (Manifest manifest = Manifest.open(dir.resolve("manifest.db"))) {
            long run = manifest.startRun();
            manifest.record(List.of(
                    waiting("test/ATest.java", 2, "t1"),
                    waiting("src/B.java", 0, "b1", "b2"),
                    waiting("src/A.java", 0, "a1"),
                    waiting("README.md", 1, "r1"),
                    indexed("src/Done.java", "d1")), List.of(), run);
            List<Manifest.Pending> first = manifest.pending(null, 2);
            assertEquals(List.of("src/A.java", "src/B.java"), first.stream().map(Manifest.Pending::path).toList());
            assertEquals(List.of("README.md", "test/ATest.java"),
                    manifest.pending(first.get(1), 10).stream().map(Manifest.Pending::path).toList());
            assertEquals(new Manifest.Totals(5, 5, 6, 4, 5, 0), manifest.totals());
            manifest.markEmbedded(Map.of("src/A.java", 0, "src/B.java", 0));
            assertEquals(List.of("README.md", "test/ATest.java"),
                    manifest.pending(null, 10).stream().map(Manifest.Pending::path).toList());
            assertEquals(3, manifest.totals().embeddedChunks() - 1);
        }
    }

    @Test
    void chunksOfDataAreCountedApartFromTheEmbeddedAndTheWaitingOnes() {
        try (Manifest manifest = Manifest.open(dir.resolve("manifest.db"))) {
            long run = manifest.startRun();
            // GBK.java: 5 chunks, 3 of them data, 1 waiting; Doc.java: 2 chunks, both embedded
            manifest.record(List.of(indexed("src/GBK.java", "g1", "g2", "g3", "g4", "g5").withPending(1, 3),
                    indexed("src/Doc.java", "d1", "d2")), List.of(), run);
            Manifest.Totals totals = manifest.totals();
            assertEquals(new Manifest.Totals(2, 2, 7, 1, 1, 3), totals);
            assertEquals(3, totals.embeddedChunks());
            assertEquals(4, totals.chunksToEmbed());
            // A file read back from the store (or by an earlier version) counted its data as waiting:
            // the embedding phase finds out and records how many of its chunks get no vector.
            manifest.record(List.of(indexed("src/Old.java", "o1", "o2", "o3").withPending(3, 0)), List.of(), run);
            manifest.markEmbedded(Map.of("src/GBK.java", 3, "src/Old.java", 2));
            totals = manifest.totals();
            assertEquals(new Manifest.Totals(3, 3, 10, 0, 0, 5), totals);
            assertEquals(5, totals.embeddedChunks());
            assertEquals(2, manifest.get("src/Old.java").orElseThrow().wordsOnly());
            // A touch keeps the counts.
            FileRecord touched = manifest.get("src/GBK.java").orElseThrow().withMetadata(99, 99);
            assertEquals(3, touched.wordsOnly());
        }
    }

    @Test
    void aManifestFromBeforeTheEmbeddingPhaseIsMigratedAndReadAsFullyEmbedded() throws Exception {
        Path file = dir.resolve("old.db");
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file);
                java.sql.Statement s = c.createStatement()) {
            s.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
            s.execute("CREATE TABLE files (path TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime INTEGER NOT NULL,"
                    + " hash TEXT NOT NULL, status TEXT NOT NULL, chunk_hashes TEXT NOT NULL, seen_run INTEGER NOT NULL)"
                    + " WITHOUT ROWID");
            s.execute("INSERT INTO files VALUES ('a.java', 1, 2, 'h', 'indexed', 'x y', 1)");
        }
        try (Manifest reader = Manifest.openForReading(file)) {
            assertEquals(new Manifest.Totals(1, 1, 2, 0, 0, 0), reader.totals());
            assertEquals(0, reader.get("a.java").orElseThrow().pending());
        }
        try (Manifest manifest = Manifest.open(file)) {
            assertEquals(new Manifest.Totals(1, 1, 2, 0, 0, 0), manifest.totals());
            manifest.record(List.of(indexed("b.java", "z", "w").withPending(1, 1)), List.of(), 2);
            assertEquals(1, manifest.totals().pendingChunks());
            assertEquals(1, manifest.totals().wordsOnlyChunks());
            assertEquals(1, manifest.get("b.java").orElseThrow().wordsOnly());
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

    @Test
    void chunksOfAnEarlierVersionAskForAReindex() {
        try (Manifest manifest = Manifest.open(dir.resolve("manifest.db"))) {
            manifest.putMeta(Map.of("model", "bge-small", "chunker", "syntax-2/256"));
            IndexerException e = assertThrows(IndexerException.class,
                    () -> manifest.checkSettings("c", Map.of("model", "bge-small", "chunker", "syntax-3/128")));
            assertEquals("Collection 'c' was cut into chunks by an earlier version of the indexer (syntax-2/256; this"
                    + " version makes syntax-3/128); rerun with --reindex to rebuild it.", e.getMessage());
            IndexerException other = assertThrows(IndexerException.class,
                    () -> manifest.checkSettings("c", Map.of("model", "bge-small", "chunker", "lines-3/128")));
            assertTrue(other.getMessage().contains("was built with chunker syntax-2/256 (not lines-3/128)"),
                    other.getMessage());
        }
    }

    @Test
    void chunksOfANewerVersionAreNeitherRebuiltNorAddedTo() {
        try (Manifest manifest = Manifest.open(dir.resolve("manifest.db"))) {
            manifest.putMeta(Map.of("model", "bge-small", "chunker", "syntax-12/128"));
            Map<String, String> older = Map.of("model", "bge-small", "chunker", "syntax-4/128");
            assertTrue(manifest.outdatedChunker(older).isEmpty(), "a server must not rebuild it");
            IndexerException e = assertThrows(IndexerException.class, () -> manifest.checkSettings("c", older));
            assertEquals("Collection 'c' was cut into chunks by a newer version of the indexer (syntax-12/128; this"
                    + " version makes syntax-4/128); use that version, or rerun with --reindex to rebuild it with"
                    + " this one.", e.getMessage());
            assertEquals("syntax-12/128", manifest.meta().get("chunker"));
            // A version this indexer cannot read is taken for an earlier one: rebuilt, as before.
            manifest.putMeta(Map.of("chunker", "syntax-x/128"));
            assertEquals("syntax-x/128", manifest.outdatedChunker(older).orElseThrow());
        }
    }
}
