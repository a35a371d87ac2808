package dev.indexer.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResidentMemoryTest {
    @TempDir
    Path dir;

    @Test
    void anonymousFileBackedAndPeakFromProcStatus() throws IOException {
        Path status = Files.writeString(dir.resolve("status"), """
                Name:\tjava
                VmPeak:\t 5000000 kB
                VmHWM:\t  300000 kB
                VmRSS:\t  280000 kB
                RssAnon:\t  230000 kB
                RssFile:\t   49000 kB
                RssShmem:\t    1000 kB
                Threads:\t42
                """);
        assertEquals(Optional.of(new ResidentMemory(230000L * 1024, 49000L * 1024, 300000L * 1024)),
                ResidentMemory.read(status));
        assertEquals(Optional.empty(), ResidentMemory.read(Files.writeString(dir.resolve("other"), "VmRSS: 1 kB\n")));
        assertEquals(Optional.empty(), ResidentMemory.read(dir.resolve("none")));
    }

    @Test
    void thisProcessHasSomeOfBothOnLinux() {
        if (Files.isReadable(Path.of("/proc/self/status"))) {
            ResidentMemory memory = ResidentMemory.ofThisProcess().orElseThrow();
            assertTrue(memory.anonBytes() > 1 << 20 && memory.fileBytes() > 1 << 20, memory.toString());
            assertTrue(memory.peakBytes() >= memory.anonBytes(), memory.toString());
        }
    }
}
