package dev.indexer.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What a shared store says of a repository's data chunks, from the records its runs left. */
class RunRecordTest {
    private static RunRecord run(String part, String finished, long wordsOnly) {
        return new RunRecord("shop", part, finished, "completed", "", 10, 100, 100 - wordsOnly, wordsOnly,
                "bge-small", "1", "test");
    }

    @Test
    void thePartsOfTheNewestSplitCountAndRecordsOfAnotherSplitDoNot() {
        RunRecord whole = run("all", "2026-12-01T10:00:00Z", 40);
        RunRecord first = run("0/2", "2026-12-02T10:00:00Z", 15);
        RunRecord second = run("1/2", "2026-12-02T09:00:00Z", 27);
        assertEquals(42, RunRecord.wordsOnlyOf(List.of(first, second, whole)), "the two halves, not the whole too");
        RunRecord wholeAgain = run("all", "2026-12-03T10:00:00Z", 44);
        assertEquals(44, RunRecord.wordsOnlyOf(List.of(wholeAgain, first, second)), "the whole, not its old halves");
        RunRecord third = run("2/3", "2026-12-04T10:00:00Z", 9);
        assertEquals(9, RunRecord.wordsOnlyOf(List.of(third, wholeAgain, first, second)), "one part of three so far");
        assertEquals(0, RunRecord.wordsOnlyOf(List.of()));
    }
}
