package dev.indexer.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/** What the machine can give: memory available now (Linux {@code MemAvailable}), where known. */
final class MachineMemory {
    private MachineMemory() {}

    static OptionalLong available() {
        return available(Path.of("/proc/meminfo"));
    }

    static OptionalLong available(Path meminfo) {
        try {
            for (String line : Files.readAllLines(meminfo, StandardCharsets.US_ASCII)) {
                if (line.startsWith("MemAvailable:")) {
                    return OptionalLong.of(Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024);
                }
            }
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty(); // not Linux, or unreadable: no check
        }
        return OptionalLong.empty();
    }
}
