package dev.indexer.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.indexer.config.ModelSpec;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class QueryVectorsTest {
    private final QueryVectors vectors = new QueryVectors();
    private final AtomicInteger calls = new AtomicInteger();

    private float[] embed(String text) {
        calls.incrementAndGet();
        return new float[] {text.length(), calls.get()};
    }

    @Test
    void aQueryAskedAgainIsNotEmbeddedAgainButAnotherTextOrModelIs() {
        float[] first = vectors.of(ModelSpec.BGE_SMALL, "resize the table", () -> embed("resize the table"));
        assertSame(first, vectors.of(ModelSpec.BGE_SMALL, "resize the table", () -> embed("x")));
        assertEquals(1, calls.get());
        vectors.of(ModelSpec.BGE_SMALL, "resize the table ", () -> embed("resize the table "));
        vectors.of(ModelSpec.MINILM, "resize the table", () -> embed("resize the table"));
        assertEquals(3, calls.get(), "the exact text, under its model");
    }

    @Test
    void theLeastRecentlyAskedGoFirstPastTheBound() {
        float[] kept = vectors.of(ModelSpec.BGE_SMALL, "q0", () -> embed("q0"));
        for (int i = 1; i <= QueryVectors.MAX_ENTRIES; i++) {
            String text = "q" + i;
            vectors.of(ModelSpec.BGE_SMALL, text, () -> embed(text));
            vectors.of(ModelSpec.BGE_SMALL, "q0", () -> embed("q0")); // asked again each time: stays
        }
        assertEquals(QueryVectors.MAX_ENTRIES + 1, calls.get());
        assertArrayEquals(kept, vectors.of(ModelSpec.BGE_SMALL, "q0", () -> embed("q0")));
        vectors.of(ModelSpec.BGE_SMALL, "q1", () -> embed("q1")); // the oldest other one went
        assertEquals(QueryVectors.MAX_ENTRIES + 2, calls.get());
    }
}
