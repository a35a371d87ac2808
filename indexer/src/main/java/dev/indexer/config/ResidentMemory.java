package dev.indexer.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * This process's resident memory as Linux counts it ({@code /proc/self/status}), split the way it
 * behaves: anonymous pages (the heap, native allocations, the model) stay until freed; file-backed
 * pages (the mapped index files, the model file, libraries) are the OS's cache, shared, and shrink
 * under pressure. Empty where there is no {@code /proc}.
 *
 * @param anonBytes {@code RssAnon}
 * @param fileBytes {@code RssFile}
 * @param peakBytes {@code VmHWM}: the most resident at once so far, both kinds
 */
public record ResidentMemory(long anonBytes, long fileBytes, long peakBytes) {

    public static Optional<ResidentMemory> ofThisProcess() {
        return read(Path.of("/proc/self/status"));
    }

    /** Another process's, when this user may read it; empty when it is gone or there is no {@code /proc}. */
    public static Optional<ResidentMemory> ofProcess(long pid) {
        return read(Path.of("/proc", Long.toString(pid), "status"));
    }

    static Optional<ResidentMemory> read(Path status) {
        Map<String, Long> kb = new HashMap<>();
        try {
            for (String line : Files.readAllLines(status, StandardCharsets.US_ASCII)) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.endsWith(" kB")) {
                    kb.put(line.substring(0, colon), Long.parseLong(line.substring(colon + 1, line.length() - 3).strip()));
                }
            }
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // not Linux, or unreadable
        }
        if (!kb.containsKey("RssAnon") || !kb.containsKey("RssFile") || !kb.containsKey("VmHWM")) {
            return Optional.empty();
        }
        return Optional.of(new ResidentMemory(kb.get("RssAnon") * 1024, kb.get("RssFile") * 1024,
                kb.get("VmHWM") * 1024));
    }
}
