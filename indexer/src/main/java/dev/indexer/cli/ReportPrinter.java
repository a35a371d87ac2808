package dev.indexer.cli;

import dev.indexer.config.ByteSize;
import dev.indexer.json.Json;
import dev.indexer.pipeline.RunSummary;
import dev.indexer.walk.SkipReason;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The end-of-run report, as text for people or JSON for scripts. */
final class ReportPrinter {
    private ReportPrinter() {}

    static void text(PrintWriter out, String header, RunSummary r) {
        RunSummary.Changes c = r.changes();
        out.println(header);
        out.printf(Locale.ROOT, "  files    %,d seen: %,d new, %,d changed, %,d unchanged, %,d left out by rules; %,d deleted%n",
                r.files().seen(), c.added(), c.changed(), c.unchanged(), r.files().leftOut(), c.deleted());
        out.printf(Locale.ROOT, "           %,d indexed, %,d with only new metadata, %,d skipped in all (below)%n",
                r.files().indexed(), c.touched(), r.issues().filesSkipped());
        if (!r.issues().skipped().isEmpty()) {
            out.println("  skipped  " + skipped(r.issues().skipped()));
            for (Map.Entry<SkipReason, List<String>> e : r.issues().examples().entrySet()) {
                if (shown(e.getKey())) {
                    for (String example : e.getValue()) {
                        out.println("           " + e.getKey().label() + ": " + example);
                    }
                }
            }
        }
        if (r.issues().filesWithReplacements() > 0) {
            out.printf(Locale.ROOT, "  note     %,d files had invalid UTF-8 bytes, indexed as U+FFFD%n",
                    r.issues().filesWithReplacements());
        }
        if (r.issues().documentsTruncated() > 0) {
            out.printf(Locale.ROOT, "  note     %,d %s indexed only up to the first %,d characters of text%n",
                    r.issues().documentsTruncated(), r.issues().documentsTruncated() == 1 ? "document was" : "documents were",
                    dev.indexer.chunk.FileChunker.DOCUMENT_MAX_CHARS);
        }
        if (r.issues().filesWithSecrets() > 0) {
            out.printf(Locale.ROOT, "  secrets  %,d redacted in %,d %s before indexing: %s%n",
                    r.issues().secretsRedacted().values().stream().mapToLong(Long::longValue).sum(), r.issues().filesWithSecrets(),
                    r.issues().filesWithSecrets() == 1 ? "file" : "files", r.issues().secretsRedacted().entrySet().stream()
                            .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", ")));
        }
        if (!r.issues().fallbacks().isEmpty()) {
            out.println("  fallback " + r.issues().fallbacks().entrySet().stream()
                    .map(e -> e.getValue() + " " + e.getKey()).collect(Collectors.joining(", ")));
            for (Map.Entry<String, List<String>> e : r.issues().fallbackExamples().entrySet()) {
                for (String example : e.getValue()) {
                    out.println("           " + e.getKey() + ": " + example);
                }
            }
        }
        out.printf(Locale.ROOT, "  chunks   %,d written, %,d tokens, from %s of text%n", r.chunks().written(), r.chunks().tokens(),
                ByteSize.format(r.files().bytesIndexed()));
        out.printf(Locale.ROOT, "  vectors  %,d embedded by the model, %,d kept (text unchanged), %,d from the cache%n",
                r.chunks().embedded(), r.chunks().reused(), r.chunks().fromCache());
        if (r.chunks().inCollection() >= 0) {
            out.printf(Locale.ROOT, "  meaning  %,d of %,d chunks have vectors%s%s%n", r.chunks().withVectors(),
                    r.chunks().toEmbed(), r.chunks().waiting() > 0
                            ? String.format(Locale.ROOT, "; %,d wait (searchable by words meanwhile)", r.chunks().waiting())
                            : "", r.chunks().wordsOnly() > 0 ? String.format(Locale.ROOT, "; %,d more are data (tables,"
                                    + " escapes, numbers), searched by their words only", r.chunks().wordsOnly()) : "");
        }
        out.printf(Locale.ROOT, "  time     %.1f s (searchable by words after %.1f s)%s%n", r.cost().elapsedSeconds(),
                r.cost().lexicalNanos() / 1e9, r.chunks().embedded() > 0
                        ? String.format(Locale.ROOT, ", the model at %.1f chunks/s", r.embeddedPerSecond()) : "");
        out.printf(Locale.ROOT, "  memory   peak heap %s%s%n", ByteSize.format(r.cost().peakHeapBytes()),
                r.cost().peakRssBytes() > 0 ? ", peak RSS " + ByteSize.format(r.cost().peakRssBytes()) : "");
        if (r.moreRemain()) {
            out.printf(Locale.ROOT, "Stopped at --max-files: %,d files wait for vectors; run again to continue.%n",
                    c.remaining());
        } else if (r.outcome() == RunSummary.Outcome.INTERRUPTED) {
            out.printf(Locale.ROOT, "Interrupted: what was done is kept%s; run again to continue.%n", c.remaining() > 0
                    ? String.format(Locale.ROOT, " (%,d files wait for vectors)", c.remaining()) : "");
        }
        out.flush();
    }

    /** Skip counts by their labels, in order. */
    static Map<String, Long> labels(Map<SkipReason, Long> counts) {
        Map<String, Long> labelled = new LinkedHashMap<>();
        counts.forEach((reason, count) -> labelled.put(reason.label(), count));
        return labelled;
    }

    /** Skip counts as one line: {@code ignored 2, binary 1}. */
    static String skipped(Map<SkipReason, Long> counts) {
        return counts.entrySet().stream().map(e -> e.getKey().label() + " " + e.getValue())
                .collect(Collectors.joining(", "));
    }

    /** Ignored entries and links are expected in every tree; examples of the rest tell the user something. */
    private static boolean shown(SkipReason reason) {
        return reason != SkipReason.IGNORED && reason != SkipReason.IGNORED_DIRECTORY && reason != SkipReason.SYMLINK;
    }

    static void json(PrintWriter out, String collection, String repo, String model, RunSummary r) {
        RunSummary.Changes c = r.changes();
        RunSummary.Files f = r.files();
        RunSummary.Issues i = r.issues();
        RunSummary.Chunks k = r.chunks();
        out.println(Json.of(Json.object("collection", collection, "repo", repo, "model", model, "filesSeen", f.seen(),
                "filesLeftOut", f.leftOut(), "filesNew", c.added(), "filesChanged", c.changed(),
                "filesUnchanged", c.unchanged(), "filesDeleted", c.deleted(), "filesTouched", c.touched(),
                "filesIndexed", f.indexed(), "filesSkipped", i.filesSkipped(), "remaining", c.remaining(),
                "skipped", labels(i.skipped()), "outcome", r.outcome().name().toLowerCase(Locale.ROOT),
                "filesAbandoned", f.abandoned(), "filesWithSecrets", i.filesWithSecrets(),
                "secretsRedacted", i.secretsRedacted(), "fallbacks", i.fallbacks(),
                "fallbackExamples", i.fallbackExamples(), "filesWithReplacements", i.filesWithReplacements(),
                "documentsTruncated", i.documentsTruncated(), "chunks", k.written(), "chunksEmbedded", k.embedded(),
                "chunksFromCache", k.fromCache(), "filesEmbedded", f.embedded(), "collectionChunks", k.inCollection(),
                "collectionEmbedded", k.withVectors(), "chunksWaiting", k.waiting(), "chunksWordsOnly", k.wordsOnly(),
                "chunksReused", k.reused(),
                "tokens", k.tokens(), "bytesIndexed", f.bytesIndexed(),
                "elapsedSeconds", Math.round(r.cost().elapsedSeconds() * 1000) / 1000.0,
                "chunksPerSecond", Math.round(r.chunksPerSecond() * 10) / 10.0,
                "embeddedPerSecond", Math.round(r.embeddedPerSecond() * 10) / 10.0,
                "lexicalSeconds", Math.round(r.cost().lexicalNanos() / 1e6) / 1000.0,
                "embeddingSeconds", Math.round(r.cost().embeddingNanos() / 1e6) / 1000.0,
                "peakHeapBytes", r.cost().peakHeapBytes(), "peakRssBytes", r.cost().peakRssBytes())));
        out.flush();
    }
}
