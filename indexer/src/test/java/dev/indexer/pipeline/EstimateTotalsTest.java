package dev.indexer.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The estimator behind {@code estimate}'s chunks and tokens ({@link DryRun#total}). */
class EstimateTotalsTest {
    /** A sampled file: characters, lines, chunks, tokens. */
    private static long[] file(long chars, long lines, long chunks, long tokens) {
        return new long[] {chars, lines, chunks, tokens};
    }

    @Test
    void aTreeWhoseChunksFollowItsCharactersAndLinesIsEstimatedExactly() {
        // chunks = 2 + chars / 100 - lines / 10, tokens = chars / 2 + lines: code and data tables alike.
        Random random = new Random(1);
        List<long[]> sample = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            long lines = 10 + random.nextInt(500) * 10L;
            long chars = lines * (20 + random.nextInt(80)) * 10;
            sample.add(file(chars, lines, 2 + chars / 100 - lines / 10, chars / 2 + lines));
        }
        // The whole tree: 1,000 files, 30 M characters, 600 k lines.
        DryRun.Total chunks = DryRun.total(sample, 2, 1_000, 30_000_000, 600_000);
        assertEquals(2 * 1_000 + 300_000 - 60_000, chunks.value(), 1.0);
        assertTrue(chunks.relativeError() < 1e-6, "an exact fit has no error: " + chunks.relativeError());
        DryRun.Total tokens = DryRun.total(sample, 3, 1_000, 30_000_000, 600_000);
        assertEquals(15_000_000 + 600_000, tokens.value(), 10.0);
    }

    @Test
    void theErrorSaysHowFarTheSampleMayBeAndHoldsNineteenTimesInTwenty() {
        // A population of 5,000 files with noise; 200 drawn at random 200 times: the stated 95% range
        // must hold the true total in about 95% of the draws.
        Random random = new Random(7);
        List<long[]> population = new ArrayList<>();
        long chars = 0;
        long lines = 0;
        long truth = 0;
        for (int i = 0; i < 5_000; i++) {
            long l = 20 + random.nextInt(800);
            long c = l * (15 + random.nextInt(60));
            long chunks = Math.max(1, Math.round(c / 250.0 + l / 40.0 + random.nextGaussian() * 4));
            population.add(file(c, l, chunks, 0));
            chars += c;
            lines += l;
            truth += chunks;
        }
        int held = 0;
        for (int draw = 0; draw < 200; draw++) {
            List<long[]> sample = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                sample.add(population.get(random.nextInt(population.size())));
            }
            DryRun.Total total = DryRun.total(sample, 2, population.size(), chars, lines);
            if (Math.abs(total.value() - truth) <= total.relativeError() * total.value()) {
                held++;
            }
        }
        assertTrue(held >= 180 && held <= 200, held + " of 200 ranges held the true total");
    }

    @Test
    void fewOrAlikeFilesFallBackToTheRatioToCharacters() {
        List<long[]> two = List.of(file(1_000, 10, 5, 400), file(3_000, 30, 15, 1_200));
        DryRun.Total few = DryRun.total(two, 2, 100, 200_000, 2_000);
        assertEquals(1_000, few.value(), 1e-6, "5 chunks per 1,000 characters");
        assertTrue(Double.isFinite(few.relativeError()));
        List<long[]> alike = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            alike.add(file(2_000, 50, 8, 700));
        }
        DryRun.Total same = DryRun.total(alike, 3, 300, 600_000, 15_000);
        assertEquals(210_000, same.value(), 1e-6, "files alike in every count: the fit is undetermined");
        assertEquals(0, DryRun.total(List.of(), 2, 10, 1_000, 10).value());
        assertTrue(Double.isInfinite(DryRun.total(List.of(file(100, 1, 1, 1)), 2, 10, 1_000, 10).relativeError()));
    }

    @Test
    void theModelsPaceIsAnUndisturbedCallsNotTheWindowsAverage() {
        // 14 calls of 1,000 padded tokens at 12,000 tokens/s, as java/util's window timed; the first
        // three slowed (a new shape, the JIT) to half that and less, as seen in real estimates.
        List<double[]> calls = new java.util.ArrayList<>();
        for (int i = 0; i < 14; i++) {
            calls.add(new double[] {1_000, 1_000 / (i < 3 ? 5_000.0 + 1_000 * i : 12_000.0 + 50 * (i % 3))});
        }
        double pace = DryRun.undisturbedPace(calls);
        assertEquals(12_050, pace, 60);
        double average = 14_000 / calls.stream().mapToDouble(call -> call[1]).sum();
        assertTrue(average < 10_500, "the window's average is what the slow calls make it: " + average);
        assertEquals(7_000, DryRun.undisturbedPace(List.<double[]>of(new double[] {7_000, 1})), 1e-9);
    }
}
