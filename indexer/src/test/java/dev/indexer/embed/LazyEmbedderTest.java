package dev.indexer.embed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.indexer.chunk.TokenCounter;
import dev.indexer.config.ModelSpec;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the lazy embedder loads, when, with which tokenizer, and in what order it lets go. */
class LazyEmbedderTest {
    private final List<String> events = new ArrayList<>();

    private final class CountingTokenizer implements EmbedderFactory.Tokenizer {
        @Override
        public int[] countLines(List<String> lines) {
            events.add("count " + lines.size());
            return lines.stream().mapToInt(String::length).toArray();
        }

        @Override
        public void close() {
            events.add("tokenizer closed");
        }
    }

    private final class Model implements Embedder {
        private final EmbedderFactory.Tokenizer counting;

        Model(EmbedderFactory.Tokenizer counting) {
            this.counting = counting;
        }

        @Override
        public ModelSpec model() {
            return ModelSpec.BGE_SMALL;
        }

        @Override
        public int maxTokens() {
            return 256;
        }

        @Override
        public int specialTokens() {
            return 2;
        }

        @Override
        public TokenCounter tokenCounter() {
            return counting;
        }

        @Override
        public float[][] embedDocuments(List<String> texts) {
            return texts.stream().map(t -> new float[] {t.length()}).toArray(float[][]::new);
        }

        @Override
        public float[][] embedDocumentsForSearch(List<String> texts) {
            return embedDocuments(texts);
        }

        @Override
        public float[] embedQuery(String query) {
            return new float[] {-query.length()};
        }

        @Override
        public void close() {
            events.add("model closed");
        }
    }

    private final EmbedderFactory factory = new EmbedderFactory() {
        @Override
        public Embedder open(ModelSpec model, int maxTokens, int threads) {
            events.add("model opened with a tokenizer of its own");
            return new Model(new CountingTokenizer());
        }

        @Override
        public Embedder open(ModelSpec model, int maxTokens, int threads, Tokenizer counting) {
            events.add("model opened");
            sharedWith.add(counting);
            return new Model(counting);
        }

        @Override
        public Tokenizer tokenizer(ModelSpec model) {
            events.add("tokenizer opened");
            Tokenizer made = new CountingTokenizer();
            tokenizers.add(made);
            return made;
        }
    };
    private final List<EmbedderFactory.Tokenizer> tokenizers = new ArrayList<>();
    private final List<EmbedderFactory.Tokenizer> sharedWith = new ArrayList<>();

    @Test
    void countingLoadsTheTokenizerAloneAndTheModelCountsWithThatSameOne() {
        Embedder lazy = factory.lazily(ModelSpec.BGE_SMALL, 256, 2);
        assertArrayEquals(new int[] {3, 5}, lazy.tokenCounter().countLines(List.of("abc", "defgh")));
        assertEquals(List.of("tokenizer opened", "count 2"), events);
        assertArrayEquals(new float[] {4}, lazy.embedDocuments(List.of("abcd"))[0]);
        assertEquals(List.of("tokenizer opened", "count 2", "model opened"), events);
        assertEquals(1, tokenizers.size(), "no second tokenizer");
        assertSame(tokenizers.get(0), sharedWith.get(0));
        lazy.tokenCounter().countLines(List.of("x"));
        lazy.close();
        assertEquals(List.of("tokenizer opened", "count 2", "model opened", "count 1", "model closed",
                "tokenizer closed"), events, "the model lets go of the tokenizer before it is closed");
        assertThrows(IllegalStateException.class, () -> lazy.embedQuery("after close"));
    }

    @Test
    void aRunThatEmbedsWithoutCountingFirstStillLoadsOneTokenizer() {
        try (Embedder lazy = factory.lazily(ModelSpec.BGE_SMALL, 256, 2)) {
            assertArrayEquals(new float[] {-5}, lazy.embedQuery("hello"));
            lazy.tokenCounter().countLines(List.of("a", "b", "c"));
        }
        assertEquals(List.of("tokenizer opened", "model opened", "count 3", "model closed", "tokenizer closed"),
                events);
        assertEquals(1, tokenizers.size());
    }

    @Test
    void aRunThatNeitherCountsNorEmbedsLoadsNothing() {
        factory.lazily(ModelSpec.BGE_SMALL, 256, 2).close();
        assertEquals(List.of(), events);
    }
}
