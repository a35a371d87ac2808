package dev.indexer.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.indexer.chunk.TokenCounter;
import dev.indexer.config.ModelSpec;
import dev.indexer.embed.Embedder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class EmbedBatchesTest {
    /**
     * A model that makes each text's vector from its number ("t17" -> {17}), runs up to {@code
     * calls} calls at once, and records how many ran together and what each call was given.
     */
    private static final class Recording implements Embedder {
        final int calls;
        final AtomicInteger running = new AtomicInteger();
        final AtomicInteger mostAtOnce = new AtomicInteger();
        final List<List<String>> given = Collections.synchronizedList(new ArrayList<>());
        volatile String failOn;

        Recording(int calls) {
            this.calls = calls;
        }

        @Override
        public float[][] embedDocuments(List<String> texts) {
            int now = running.incrementAndGet();
            mostAtOnce.accumulateAndGet(now, Math::max);
            try {
                given.add(List.copyOf(texts));
                Thread.sleep(5);
                if (failOn != null && texts.contains(failOn)) {
                    throw new IllegalStateException("the model failed on " + failOn);
                }
                return texts.stream().map(t -> new float[] {Integer.parseInt(t.substring(1))}).toArray(float[][]::new);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            } finally {
                running.decrementAndGet();
            }
        }

        @Override
        public int documentCalls() {
            return calls;
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
            return lines -> lines.stream().mapToInt(String::length).toArray();
        }

        @Override
        public float[][] embedDocumentsForSearch(List<String> texts) {
            return embedDocuments(texts);
        }

        @Override
        public float[] embedQuery(String query) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void close() {}
    }

    private static List<String> texts(int n) {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            texts.add("t" + i);
        }
        return texts;
    }

    @Test
    void twoCallsRunAtOnceEachWithHalfTheBudgetAndEveryTextGetsItsOwnVector() throws Exception {
        Recording model = new Recording(2);
        int[] tokens = new int[300];
        Random random = new Random(7);
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = 3 + random.nextInt(120);
        }
        List<String> texts = texts(tokens.length);
        Thread caller = Thread.currentThread();
        float[][] vectors = new float[texts.size()][];
        AtomicBoolean elsewhere = new AtomicBoolean();
        EmbedBatches.embed(model, texts, tokens, 1024, 64, () -> false, (batch, made, nanos) -> {
            elsewhere.compareAndSet(false, Thread.currentThread() != caller);
            assertTrue(nanos > 0);
            for (int j = 0; j < batch.length; j++) {
                assertTrue(vectors[batch[j]] == null, "text " + batch[j] + " handed on twice");
                vectors[batch[j]] = made[j];
            }
        });
        for (int i = 0; i < texts.size(); i++) {
            assertEquals(i, (int) vectors[i][0], "text " + i + " got another text's vector");
        }
        assertEquals(2, model.mostAtOnce.get(), "calls did not overlap");
        assertTrue(!elsewhere.get(), "results were handed on from a helper thread");
        for (List<String> call : model.given) {
            int longest = call.stream().mapToInt(t -> tokens[Integer.parseInt(t.substring(1))]).max().orElseThrow();
            assertTrue(call.size() * longest <= 512, "a call of " + call.size() * longest + " padded tokens");
        }
        // The pool is terminated when embed returns, but its last worker thread may still be on its
        // way out (seen under load): a helper that lingers for seconds is a leak, one for a moment is not.
        long until = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
        while (helpersAlive() && System.nanoTime() < until) {
            Thread.sleep(10);
        }
        assertTrue(!helpersAlive(), "a helper outlived the embedding");
    }

    private static boolean helpersAlive() {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().startsWith("embed-call-"));
    }

    @Test
    void aBudgetThatHoldsOneLongestInputRunsOneCallAtATime() {
        Recording model = new Recording(2);
        assertEquals(1, EmbedBatches.callers(model, 256, 256));
        assertEquals(2, EmbedBatches.callers(model, 1024, 256));
        assertEquals(1, EmbedBatches.callers(new Recording(1), 1024, 256));
        int[] tokens = new int[40];
        Arrays.fill(tokens, 20);
        EmbedBatches.embed(model, texts(40), tokens, 256, 64);
        assertEquals(1, model.mostAtOnce.get());
    }

    @Test
    void aFailedCallStopsTheOthersAndItsErrorReachesTheCaller() {
        Recording model = new Recording(2);
        int[] tokens = new int[400];
        Arrays.fill(tokens, 100);
        model.failOn = "t200";
        IllegalStateException thrown = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> EmbedBatches.embed(model, texts(400), tokens, 1024, 64));
        assertEquals("the model failed on t200", thrown.getMessage());
        int callsMade = model.given.size();
        assertTrue(callsMade < 400 / 5, callsMade + " calls: the others did not stop");
        assertEquals(0, model.running.get());
    }

    @Test
    void onceStoppedNoCallStartsAndTheRestHaveNoVector() {
        Recording model = new Recording(2);
        int[] tokens = new int[200];
        Arrays.fill(tokens, 100);
        AtomicInteger asked = new AtomicInteger();
        float[][] vectors = EmbedBatches.embed(model, texts(200), tokens, 1024, 64, () -> asked.incrementAndGet() > 6);
        long made = Arrays.stream(vectors).filter(v -> v != null).count();
        assertTrue(made > 0 && made < 200, made + " made");
        assertEquals(made, model.given.stream().mapToInt(List::size).sum());
    }

    @Test
    void everyCallStaysWithinTheTokenBudgetAndEveryChunkIsEmbeddedOnce() {
        Random random = new Random(42);
        int[] tokens = new int[500];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = 3 + random.nextInt(254);
        }
        List<int[]> batches = EmbedBatches.plan(tokens, 4096, 64);
        boolean[] seen = new boolean[tokens.length];
        for (int[] batch : batches) {
            int longest = Arrays.stream(batch).map(i -> tokens[i]).max().orElseThrow();
            assertTrue(batch.length * longest <= 4096, "padded tokens " + batch.length * longest);
            assertTrue(batch.length <= 64);
            for (int index : batch) {
                assertTrue(!seen[index], "index " + index + " twice");
                seen[index] = true;
            }
        }
        for (boolean s : seen) {
            assertTrue(s);
        }
    }

    @Test
    void similarLengthsGoTogetherSoLittleIsPadding() {
        int[] tokens = {250, 10, 240, 12, 11, 245};
        List<int[]> batches = EmbedBatches.plan(tokens, 512, 64);
        assertEquals(List.of("[1, 4, 3]", "[2, 5]", "[0]"), batches.stream().map(Arrays::toString).toList());
    }

    @Test
    void aChunkLargerThanTheBudgetStillGetsItsOwnCall() {
        List<int[]> batches = EmbedBatches.plan(new int[] {600, 5}, 512, 64);
        assertEquals(2, batches.size());
    }

    @Test
    void inputCountIsCappedToo() {
        int[] tokens = new int[10];
        Arrays.fill(tokens, 4);
        assertEquals(4, EmbedBatches.plan(tokens, 100_000, 3).size());
    }
}
