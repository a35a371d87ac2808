package dev.indexer.pipeline;

import dev.indexer.walk.SkipReason;
import java.util.List;
import java.util.Map;

/**
 * A snapshot of a run: what the progress display shows while it runs and the report at its end.
 *
 * @param outcome how the run ended (while it runs: how it would end if it ended now)
 * @param phase lexical (files read, chunks stored, searchable by words), embedding (the model gives
 *     waiting chunks their vectors), or done
 * @param files what became of the files
 * @param chunks what became of the chunks and their vectors
 * @param changes how the tree differs from what the collection held
 * @param issues what was left out, or done a second-best way
 */
public record RunSummary(Outcome outcome, Phase phase, Files files, Chunks chunks, Changes changes, Issues issues,
        Cost cost) {

    /**
     * @param seen files met by the walker (indexed, skipped, or still in the pipeline)
     * @param leftOut files the walker itself left out by its rules (ignored, too large, binary or secret
     *     by name, unreadable, links...), before any was compared with the collection
     * @param indexed files whose chunks were all written
     * @param done files taken from the walk and finished: indexed, or skipped once read
     * @param expected files the walk will hand on for reading (what {@code done} counts up to), once
     *     a pre-count has finished; -1 before
     * @param bytesIndexed bytes of the files indexed
     * @param bytesDone bytes of the files done, indexed or not (what {@code expectedBytes} counts up to)
     * @param expectedBytes bytes the whole run will read, once known; -1 before
     * @param embedded files whose waiting chunks all got their vectors in the embedding phase
     * @param abandoned files started but not finished when the run was cancelled; the next run reads them
     */
    public record Files(long seen, long leftOut, long indexed, long done, long expected, long bytesIndexed, long bytesDone,
            long expectedBytes, long embedded, long abandoned) {}

    /**
     * @param tokens tokens in the chunks written (without special tokens)
     * @param embedded chunks run through the model
     * @param reused chunks whose text was unchanged, written with their stored vector
     * @param fromCache chunks whose exact text was embedded before (the vector cache, or another
     *     repository of the collection that holds it)
     * @param inCollection the collection's chunks, once the lexical phase is over; -1 before
     * @param withVectors how many of them have vectors (the semantic coverage), once known
     * @param wordsOnly how many of them are data that get no vector ({@link dev.indexer.chunk.Chunk#isData()})
     */
    public record Chunks(long written, long tokens, long embedded, long reused, long fromCache, long inCollection,
            long withVectors, long wordsOnly) {

        /** Chunks of the collection that have or are to have vectors: all but the data; -1 while unknown. */
        public long toEmbed() {
            return inCollection < 0 ? -1 : inCollection - wordsOnly;
        }

        /** Chunks of the collection still waiting for vectors; -1 while unknown. */
        public long waiting() {
            return inCollection < 0 ? -1 : Math.max(0, toEmbed() - withVectors);
        }
    }

    /**
     * The walk compared with the manifest.
     *
     * @param unchanged files with the recorded size and modification time, not read at all
     * @param added files the collection did not have, handed on for reading
     * @param changed files with new metadata, handed on for reading
     * @param touched changed files whose content turned out the same (only metadata recorded)
     * @param deleted files the collection had that are gone (or now ignored), removed
     * @param remaining files whose chunks still wait for vectors when --max-files (or a cancellation) stopped
     *     the embedding phase
     */
    public record Changes(long unchanged, long added, long changed, long touched, long deleted, long remaining) {}

    /**
     * @param skipped files (and directories) left out, by reason; only reasons that occurred
     * @param examples up to a few paths per reason, to show the user what was left out
     * @param filesWithReplacements files that had invalid UTF-8 bytes, decoded as U+FFFD
     * @param documentsTruncated documents whose text was cut at the per-document limit
     * @param filesWithSecrets files that had secrets in their text, taken out before chunking
     * @param secretsRedacted secrets taken out, by kind ({@code aws-access-key-id}, {@code private-key}...)
     * @param fallbacks things done a second-best way (line windows for a source file, plain reads for a
     *     file that could not be mapped, no pre-count), by kind; only kinds that occurred
     * @param fallbackExamples up to a few files (or reasons) per kind
     */
    public record Issues(Map<SkipReason, Long> skipped, Map<SkipReason, List<String>> examples,
            long filesWithReplacements, long documentsTruncated, long filesWithSecrets,
            Map<String, Long> secretsRedacted, Map<String, Long> fallbacks, Map<String, List<String>> fallbackExamples) {

        /** Files left out, not counting directories. */
        public long filesSkipped() {
            return skipped.entrySet().stream().filter(e -> !e.getKey().isDirectory()).mapToLong(Map.Entry::getValue)
                    .sum();
        }
    }

    /**
     * @param elapsedNanos time since the run started
     * @param lexicalNanos how long the lexical phase took: after it, every file was searchable by
     *     words; 0 before its end
     * @param embeddingNanos time since the embedding phase started; 0 before
     * @param peakHeapBytes the most heap in use, summed over the heap's pools
     * @param peakRssBytes the process's peak resident memory (Linux), or -1 where unknown
     */
    public record Cost(long elapsedNanos, long lexicalNanos, long embeddingNanos, long peakHeapBytes,
            long peakRssBytes) {

        public double elapsedSeconds() {
            return elapsedNanos / 1e9;
        }
    }

    /** Where a run is. */
    public enum Phase {
        /** Reading and chunking files, storing chunks: they become searchable by words. */
        LEXICAL,
        /** Giving waiting chunks their vectors: they become searchable by meaning. */
        EMBEDDING,
        /** Both over. */
        DONE
    }

    /** How a run ended. */
    public enum Outcome {
        /** Everything was done. */
        COMPLETED,
        /** It stopped at {@code --max-files} with files left for the next run. */
        STOPPED_AT_MAX_FILES,
        /** It was cancelled (a signal, a server stopping): what was done is kept, the next run continues. */
        INTERRUPTED
    }

    /** The model's pace in the embedding phase, chunks per second. */
    public double embeddedPerSecond() {
        return cost.embeddingNanos() > 0 ? chunks.embedded() / (cost.embeddingNanos() / 1e9) : 0;
    }

    /** Chunks written per second of the run. */
    public double chunksPerSecond() {
        double seconds = cost.elapsedSeconds();
        return seconds > 0 ? chunks.written() / seconds : 0;
    }

    /** Whether the run stopped at --max-files with files left over (not: was interrupted with files left). */
    public boolean moreRemain() {
        return outcome == Outcome.STOPPED_AT_MAX_FILES;
    }

    /** The outcome as the manifest records it and {@code status} shows it. */
    public String outcomeText() {
        return switch (outcome) {
            case COMPLETED -> "completed";
            case STOPPED_AT_MAX_FILES -> "stopped at --max-files; " + changes.remaining() + " files remain to embed";
            case INTERRUPTED -> "interrupted; " + files.indexed() + " files indexed and " + files.embedded()
                    + " embedded were kept";
        };
    }
}
