package dev.indexer.pipeline;

import dev.indexer.embed.Embedder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Groups chunks into model calls bounded in tokens. A call costs memory in proportion to
 * batch size x padded length (and attention to its square), and every input is padded to the
 * longest in its call, so chunks are sorted by length first: similar lengths share a call and
 * little compute is spent on padding.
 */
final class EmbedBatches {
    private EmbedBatches() {}

    /**
     * Plans calls over chunks with the given token counts (special tokens included).
     *
     * @param tokenBudget the most padded tokens (inputs x longest input) in one call
     * @param maxInputs the most inputs in one call
     * @return groups of indices into {@code tokens}; every index appears exactly once
     */
    static List<int[]> plan(int[] tokens, int tokenBudget, int maxInputs) {
        Integer[] order = IntStream.range(0, tokens.length).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingInt(i -> tokens[i]));
        List<int[]> batches = new ArrayList<>();
        List<Integer> current = new ArrayList<>();
        for (int index : order) {
            // Sorted ascending, so the newest chunk is the longest and sets the padded length.
            long padded = (long) (current.size() + 1) * tokens[index];
            if (!current.isEmpty() && (padded > tokenBudget || current.size() >= maxInputs)) {
                batches.add(current.stream().mapToInt(Integer::intValue).toArray());
                current.clear();
            }
            current.add(index);
        }
        if (!current.isEmpty()) {
            batches.add(current.stream().mapToInt(Integer::intValue).toArray());
        }
        return batches;
    }

    /**
     * Embeds texts in calls planned by {@link #plan}; {@code tokens} are their padded lengths
     * (special tokens included). Returns one vector per text, in the order given.
     */
    static float[][] embed(Embedder embedder, List<String> texts, int[] tokens, int tokenBudget, int maxInputs) {
        return embed(embedder, texts, tokens, tokenBudget, maxInputs, () -> false);
    }

    /**
     * As {@link #embed(Embedder, List, int[], int, int)}, asking {@code stop} before each call: once
     * it says so, the texts not yet embedded get no vector (null).
     */
    static float[][] embed(Embedder embedder, List<String> texts, int[] tokens, int tokenBudget, int maxInputs,
            java.util.function.BooleanSupplier stop) {
        float[][] vectors = new float[texts.size()][];
        try {
            embed(embedder, texts, tokens, tokenBudget, maxInputs, stop, (batch, result) -> {
                for (int j = 0; j < batch.length; j++) {
                    vectors[batch[j]] = result[j];
                }
            });
        } catch (InterruptedException e) {
            throw new AssertionError("a callback that never waits was interrupted", e);
        }
        return vectors;
    }

    /** What one model call made: the indices of its texts, and their vectors in that order. */
    interface CallResult {
        void accept(int[] batch, float[][] vectors) throws InterruptedException;
    }

    /**
     * Embeds texts in calls planned by {@link #plan}, handing each call's vectors to {@code done}
     * as soon as it returns, and asking {@code stop} before each call.
     */
    static void embed(Embedder embedder, List<String> texts, int[] tokens, int tokenBudget, int maxInputs,
            java.util.function.BooleanSupplier stop, CallResult done) throws InterruptedException {
        for (int[] batch : plan(tokens, tokenBudget, maxInputs)) {
            if (stop.getAsBoolean()) {
                return;
            }
            done.accept(batch, embedder.embedDocuments(Arrays.stream(batch).mapToObj(texts::get).toList()));
        }
    }
}
