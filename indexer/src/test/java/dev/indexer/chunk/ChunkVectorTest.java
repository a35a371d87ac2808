package dev.indexer.chunk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChunkVectorTest {
    private static final Chunk IN_CLASS = new Chunk("src/Ledger.java", 0, 2, 4, "java", "long settle() { return 1; }", 12,
            new Chunk.Context("src/Ledger.java\nclass Ledger", "settle", "method", "Ledger"));
    private static final Chunk PATH_ONLY = new Chunk("docs/notes.md", 0, 1, 1, "markdown", "plain words", 5,
            Chunk.Context.headerOnly("docs/notes.md"));
    private static final Chunk BARE = new Chunk("notes.txt", 0, 1, 1, "text", "plain words", 2);

    @Test
    void theSignaturesAroundAChunkAreAnInputOfTheirOwnAndThePathStaysWithTheText() {
        assertEquals(List.of("src/Ledger.java\nlong settle() { return 1; }", "class Ledger"), IN_CLASS.embedParts());
        assertEquals(List.of("docs/notes.md\nplain words"), PATH_ONLY.embedParts());
        assertEquals(List.of("plain words"), BARE.embedParts());
    }

    @Test
    void theVectorAddsTheSignaturesAtTheirWeightAtUnitLengthAndIsNoneWhileAnInputIsMissing() {
        Map<String, float[]> inputs = new HashMap<>();
        inputs.put(IN_CLASS.embedParts().get(0), new float[] {4, 0, 0});
        assertNull(IN_CLASS.vectorFrom(inputs::get), "the signatures' vector is not there yet");
        inputs.put("class Ledger", new float[] {0, 10, 0});
        // (4, 0, 0) + 0.3 * (0, 10, 0) = (4, 3, 0): length 5
        assertArrayEquals(new float[] {0.8f, 0.6f, 0}, IN_CLASS.vectorFrom(inputs::get), 1e-6f);
        inputs.put(PATH_ONLY.embedText(), new float[] {0, 0, 2});
        assertArrayEquals(new float[] {0, 0, 1}, PATH_ONLY.vectorFrom(inputs::get), 1e-6f);
        assertArrayEquals(new float[] {4, 0, 0}, inputs.get(IN_CLASS.embedParts().get(0)), "inputs' vectors unchanged");
    }
}
