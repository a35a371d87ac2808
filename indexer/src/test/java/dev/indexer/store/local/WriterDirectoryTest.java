package dev.indexer.store.local;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.store.IndexOutput;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WriterDirectoryTest {
    @TempDir
    Path dir;

    @Test
    void onlyAMergesTemporaryQuantizedVectorsAndGraphsAreMapped() throws Exception {
        try (WriterDirectory directory = new WriterDirectory(dir)) {
            // Named the way Lucene's quantized vectors writer names its merge copy.
            String temp;
            try (IndexOutput out = directory.createTempOutput("_2l_Lucene99HnswScalarQuantizedVectorsFormat_0.veq",
                    "temp", IOContext.DEFAULT)) {
                out.writeInt(1);
                temp = out.getName();
            }
            assertTrue(WriterDirectory.readAtRandom(temp), temp);
            try (var in = directory.openInput(temp, IOContext.DEFAULT)) {
                assertTrue(in.getClass().getName().contains("MemorySegment") || in.getClass().getName().contains(
                        "ByteBuffer"), "mapped: " + in.getClass().getName());
            }
            assertTrue(WriterDirectory.readAtRandom("_2l_Lucene99HnswScalarQuantizedVectorsFormat_0.vex"));
            assertFalse(WriterDirectory.readAtRandom("_2l_Lucene99HnswScalarQuantizedVectorsFormat_0.veq"));
            assertFalse(WriterDirectory.readAtRandom("_2l_Lucene99FlatVectorsFormat_0.vec"));
            assertFalse(WriterDirectory.readAtRandom("_2l_Lucene99_0.tim"));
            try (IndexOutput out = directory.createOutput("_0.veq", IOContext.DEFAULT)) {
                out.writeInt(1);
            }
            try (var in = directory.openInput("_0.veq", IOContext.DEFAULT)) {
                assertTrue(in.getClass().getName().contains("NIOFS"), "plain reads: " + in.getClass().getName());
            }
        }
    }
}
