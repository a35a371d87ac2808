package dev.indexer.bench;

import dev.indexer.redact.SecretKind;
import dev.indexer.redact.SecretRedactor;
import dev.indexer.walk.FileWalker;
import dev.indexer.walk.SourceFile;
import dev.indexer.walk.WalkOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Benchmark only: what the secret redactor finds in a tree, to measure its false positives on code
 * that holds no secrets (the JDK's sources, this project). Prints files and lines scanned, the time,
 * and each finding as {@code kind path:line}, the line cut short so no real secret is printed whole.
 *
 * <p>Usage: {@code SecretScan TREE}
 */
public final class SecretScan {
    private SecretScan() {}

    public static void main(String[] args) throws IOException {
        Path root = Path.of(args[0]);
        long files = 0;
        long lines = 0;
        Map<String, Long> byKind = new TreeMap<>();
        List<String> findings = new ArrayList<>();
        long start = System.nanoTime();
        try (Stream<SourceFile> walk = new FileWalker(root, new WalkOptions(5L << 20, WalkOptions.SymlinkPolicy.SKIP),
                (p, r, d) -> {}).stream()) {
            for (SourceFile file : (Iterable<SourceFile>) walk::iterator) {
                List<String> text;
                try {
                    text = Files.readAllLines(file.path(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    continue; // not UTF-8: the indexer skips it too
                }
                files++;
                SecretRedactor redactor = new SecretRedactor(file.relativePath());
                for (int i = 0; i < text.size(); i++) {
                    lines++;
                    String line = text.get(i);
                    Map<SecretKind, Integer> before = redactor.found();
                    String redacted = redactor.redact(line);
                    if (!redactor.found().equals(before)) {
                        for (Map.Entry<SecretKind, Integer> e : redactor.found().entrySet()) {
                            int added = e.getValue() - before.getOrDefault(e.getKey(), 0);
                            if (added > 0) {
                                byKind.merge(e.getKey().id(), (long) added, Long::sum);
                                String shown = redacted.strip();
                                findings.add(e.getKey().id() + "  " + file.relativePath() + ":" + (i + 1) + "  "
                                        + (shown.length() > 110 ? shown.substring(0, 107) + "..." : shown));
                            }
                        }
                    }
                }
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("scanned %,d files, %,d lines in %.1f s; %,d findings %s%n", files, lines, seconds,
                byKind.values().stream().mapToLong(Long::longValue).sum(), byKind);
        findings.forEach(System.out::println);
    }
}
