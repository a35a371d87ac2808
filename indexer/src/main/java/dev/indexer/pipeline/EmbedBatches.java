package dev.indexer.pipeline;

import dev.indexer.embed.Embedder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
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
            BooleanSupplier stop) {
        float[][] vectors = new float[texts.size()][];
        try {
            embed(embedder, texts, tokens, tokenBudget, maxInputs, stop, (batch, result, nanos) -> {
                for (int j = 0; j < batch.length; j++) {
                    vectors[batch[j]] = result[j];
                }
            });
        } catch (InterruptedException e) {
            throw new AssertionError("a callback that never waits was interrupted", e);
        }
        return vectors;
    }

    /** What one model call made: the indices of its texts, their vectors in that order, and its time. */
    interface CallResult {
        void accept(int[] batch, float[][] vectors, long nanos) throws InterruptedException;
    }

    /**
     * How many calls run at once: as many as the embedder runs side by side ({@link
     * Embedder#documentCalls()}), each given an equal share of {@code tokenBudget}, so that the
     * working memory of the calls in flight is what one call of the whole budget would take; fewer
     * where a share could not hold one input of {@code longestInput} tokens.
     */
    static int callers(Embedder embedder, int tokenBudget, int longestInput) {
        return Math.max(1, Math.min(embedder.documentCalls(), tokenBudget / Math.max(1, longestInput)));
    }

    /**
     * The threads that make calls beside the caller's own: {@code callers - 1} of them, kept for a
     * stage's whole run (a thread's first calls are slower, and ONNX Runtime's per-thread buffers
     * are made again on each new thread); none for one caller. Shut it down when done.
     */
    static ExecutorService helpers(int callers) {
        if (callers <= 1) {
            return null;
        }
        AtomicInteger made = new AtomicInteger();
        return Executors.newFixedThreadPool(callers - 1, task -> {
            Thread thread = new Thread(task, "embed-call-" + made.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** As the method below, with helpers made for these texts alone. */
    static void embed(Embedder embedder, List<String> texts, int[] tokens, int tokenBudget, int maxInputs,
            BooleanSupplier stop, CallResult done) throws InterruptedException {
        if (texts.isEmpty()) {
            return;
        }
        ExecutorService helpers = helpers(callers(embedder, tokenBudget, embedder.maxTokens()));
        try {
            embed(helpers, embedder, texts, tokens, tokenBudget, maxInputs, stop, done);
        } finally {
            if (helpers != null) {
                helpers.shutdown();
                helpers.awaitTermination(1, TimeUnit.MINUTES); // idle already: every call has returned
            }
        }
    }

    /**
     * Embeds texts in calls planned by {@link #plan} over a share of {@code tokenBudget} each
     * ({@link #callers}), handing each call's vectors to {@code done} on this thread as soon as the
     * call returns, and asking {@code stop} before each call. With several callers the others run on
     * {@code helpers} ({@link #helpers}; null for one caller); the order in which calls end is theirs.
     */
    static void embed(ExecutorService helpers, Embedder embedder, List<String> texts, int[] tokens, int tokenBudget,
            int maxInputs, BooleanSupplier stop, CallResult done) throws InterruptedException {
        if (texts.isEmpty()) {
            return;
        }
        int callers = helpers == null ? 1 : callers(embedder, tokenBudget, embedder.maxTokens());
        List<int[]> calls = plan(tokens, tokenBudget / callers, maxInputs);
        if (callers == 1) {
            for (int[] batch : calls) {
                if (stop.getAsBoolean()) {
                    return;
                }
                long start = System.nanoTime();
                float[][] vectors = embedder.embedDocuments(Arrays.stream(batch).mapToObj(texts::get).toList());
                done.accept(batch, vectors, System.nanoTime() - start);
            }
            return;
        }
        new Callers(embedder, texts, calls, stop, callers).run(helpers, done);
    }

    /** Calls taken in turn by this thread and helpers; what helpers make is handed back here. */
    private static final class Callers {
        private final Embedder embedder;
        private final List<String> texts;
        private final List<int[]> calls;
        private final BooleanSupplier stop;
        private final int helpers;
        private final AtomicInteger next = new AtomicInteger();
        /** Made by helpers, not yet handed on: each helper waits while one of its own is here. */
        private final BlockingQueue<Made> made;
        private volatile boolean over;

        private record Made(int[] batch, float[][] vectors, long nanos, RuntimeException failure, boolean end) {}

        Callers(Embedder embedder, List<String> texts, List<int[]> calls, BooleanSupplier stop, int callers) {
            this.embedder = embedder;
            this.texts = texts;
            this.calls = calls;
            this.stop = stop;
            this.helpers = callers - 1;
            this.made = new ArrayBlockingQueue<>(helpers * 2);
        }

        void run(ExecutorService pool, CallResult done) throws InterruptedException {
            List<Future<?>> helping = new ArrayList<>(helpers);
            for (int i = 0; i < helpers; i++) {
                helping.add(pool.submit(this::help));
            }
            int ended = 0;
            try {
                for (int[] batch = take(); batch != null; batch = take()) {
                    long start = System.nanoTime();
                    float[][] vectors = embedder.embedDocuments(Arrays.stream(batch).mapToObj(texts::get).toList());
                    done.accept(batch, vectors, System.nanoTime() - start);
                    for (Made m = made.poll(); m != null; m = made.poll()) {
                        ended += handOn(m, done);
                    }
                }
                while (ended < helpers) {
                    ended += handOn(made.take(), done);
                }
            } finally {
                over = true;
                made.clear(); // a helper waiting to hand on a call goes on to see that it is over
                for (Future<?> helper : helping) {
                    awaitQuietly(helper); // its call in flight ends first: the caller may close the embedder next
                }
            }
        }

        private static void awaitQuietly(Future<?> helper) {
            boolean interrupted = false;
            while (true) {
                try {
                    helper.get();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException | java.util.concurrent.CancellationException e) {
                    break; // help() reports its failures through the queue
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }

        /** Hands on one helper's call; 1 if it was the helper's end. */
        private int handOn(Made m, CallResult done) throws InterruptedException {
            if (m.failure() != null) {
                throw m.failure();
            }
            if (m.end()) {
                return 1;
            }
            done.accept(m.batch(), m.vectors(), m.nanos());
            return 0;
        }

        /** The next call to make, or null once all are taken, the caller stopped or another failed. */
        private int[] take() {
            if (over || stop.getAsBoolean()) {
                return null;
            }
            int i = next.getAndIncrement();
            return i < calls.size() ? calls.get(i) : null;
        }

        private void help() {
            try {
                for (int[] batch = take(); batch != null; batch = take()) {
                    long start = System.nanoTime();
                    float[][] vectors = embedder.embedDocuments(Arrays.stream(batch).mapToObj(texts::get).toList());
                    if (!offer(new Made(batch, vectors, System.nanoTime() - start, null, false))) {
                        return;
                    }
                }
                offer(new Made(null, null, 0, null, true));
            } catch (RuntimeException e) {
                offer(new Made(null, null, 0, e, false));
            }
        }

        /** Waits for room; false once the caller has given up on what helpers make. */
        private boolean offer(Made m) {
            try {
                while (!over) {
                    if (made.offer(m, 50, TimeUnit.MILLISECONDS)) {
                        return true;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return false;
        }
    }
}
