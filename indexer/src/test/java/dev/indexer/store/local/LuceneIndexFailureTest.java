package dev.indexer.store.local;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.indexer.IndexerException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sentence a failed read gives: files missing from an index that is there, or the index gone. */
class LuceneIndexFailureTest {
    @TempDir
    Path tmp;

    @Test
    void filesMissingFromAnIndexThatIsThereAreDamageToRebuild() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("lucene"));
        String message = LuceneIndex.failure(dir, "c", "search", new NoSuchFileException(dir.resolve("_3.si").toString()),
                "").getMessage();
        assertTrue(message.contains("is damaged (missing file _3.si)") && message.contains("--reindex"), message);
    }

    @Test
    void anIndexWhoseDirectoryIsGoneWasDeletedNotDamaged() {
        Path dir = tmp.resolve("collections/c/lucene");
        IndexerException failure = LuceneIndex.failure(dir, "c", "search",
                new NoSuchFileException("no segments* file found in " + dir), "");
        assertTrue(failure.getMessage().contains("was deleted while it was being read"), failure.getMessage());
        assertTrue(failure.getMessage().contains("indexer index PATH --collection c"), failure.getMessage());
        assertFalse(failure.getMessage().contains("damaged") || failure.getMessage().contains("--reindex"),
                failure.getMessage());
    }
}
