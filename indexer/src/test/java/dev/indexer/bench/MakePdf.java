package dev.indexer.bench;

import dev.indexer.chunk.Documents;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a text-heavy PDF of about the given size, for the document memory benchmark
 * ({@code scripts/bench-documents}): pages of distinct sentences, so extraction and chunking do real work.
 *   usage: MakePdf FILE MEGABYTES
 */
public final class MakePdf {
    private MakePdf() {}

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        long target = Long.parseLong(args[1]) << 20;
        int pages = 200;
        while (true) {
            List<List<String>> content = new ArrayList<>();
            for (int p = 0; p < pages; p++) {
                List<String> lines = new ArrayList<>();
                for (int l = 0; l < 60; l++) {
                    lines.add("Section " + p + "." + l + ": the service retries request " + (p * 60 + l)
                            + " with exponential backoff and logs the outcome.");
                }
                content.add(lines);
            }
            Documents.pdf(file, content, null);
            long size = Files.size(file);
            if (size >= target * 95 / 100) {
                System.out.printf("%s: %d pages, %.1f MB%n", file, pages, size / 1048576.0);
                return;
            }
            pages = (int) Math.ceil(pages * (double) target / size * 1.02);
        }
    }
}
