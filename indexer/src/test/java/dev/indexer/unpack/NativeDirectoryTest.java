package dev.indexer.unpack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NativeDirectoryTest {
    /** Any file on the test class path stands in for a library. */
    private static final String PRESENT = "logo.png";
    private static final String ABSENT = "no/such/library.so";

    @TempDir
    Path home;

    /** A property of this test alone: system properties are the whole JVM's. */
    private final String property = "indexer.test.native." + UUID.randomUUID();

    @AfterEach
    void clearProperty() {
        System.clearProperty(property);
    }

    private NativeDirectory.Loader loader(Optional<NativeDirectory.Plan> plan) {
        return new NativeDirectory.Loader("a test library", List.of(property), () -> plan,
                dir -> Map.of(property, dir.toString()));
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = NativeDirectoryTest.class.getClassLoader().getResourceAsStream(name)) {
            return in.readAllBytes();
        }
    }

    @Test
    void theFilesAreCopiedUnderTheHomeAndTheLoaderPointedThere() throws IOException {
        NativeDirectory.Plan plan = new NativeDirectory.Plan("lib-1.0-linux", List.of(
                new NativeDirectory.Library(PRESENT, "libmain.so", false),
                new NativeDirectory.Library(PRESENT, "lib/libgrammar.so", true),
                new NativeDirectory.Library(ABSENT, "libproviders.so", true)));
        assertTrue(NativeDirectory.use(home, loader(Optional.of(plan))));
        Path dir = home.resolve("native").resolve("lib-1.0-linux");
        assertEquals(dir.toString(), System.getProperty(property));
        assertArrayEquals(resource(PRESENT), Files.readAllBytes(dir.resolve("libmain.so")));
        assertArrayEquals(resource(PRESENT), Files.readAllBytes(dir.resolve("lib/libgrammar.so")),
                "a file's place under the directory is kept");
        assertFalse(Files.exists(dir.resolve("libproviders.so")), "an optional file the jar lacks is skipped");
    }

    @Test
    void aPropertyTheUserSetWins() {
        System.setProperty(property, "/opt/own-libraries");
        NativeDirectory.Plan plan = new NativeDirectory.Plan("lib-1.0-linux",
                List.of(new NativeDirectory.Library(PRESENT, "libmain.so", false)));
        assertFalse(NativeDirectory.use(home, loader(Optional.of(plan))));
        assertEquals("/opt/own-libraries", System.getProperty(property));
        assertFalse(Files.exists(home.resolve("native")), "nothing is copied");
    }

    @Test
    void aPlatformWithoutFilesLeavesTheLoaderItsOwnWay() {
        assertFalse(NativeDirectory.use(home, loader(Optional.empty())));
        assertNull(System.getProperty(property));
        assertFalse(Files.exists(home.resolve("native")));
    }

    @Test
    void aMissingRequiredFileLeavesTheLoaderItsOwnWay() {
        NativeDirectory.Plan plan = new NativeDirectory.Plan("lib-1.0-linux", List.of(
                new NativeDirectory.Library(PRESENT, "libmain.so", false),
                new NativeDirectory.Library(ABSENT, "libjni.so", false)));
        assertFalse(NativeDirectory.use(home, loader(Optional.of(plan))));
        assertNull(System.getProperty(property), "a loader pointed at half its files would fail to load");
    }

    @Test
    void aHomeThatCannotTakeTheFilesLeavesTheLoaderItsOwnWay() throws IOException {
        Files.writeString(home.resolve("native"), "a file where the directory should be");
        NativeDirectory.Plan plan = new NativeDirectory.Plan("lib-1.0-linux",
                List.of(new NativeDirectory.Library(PRESENT, "libmain.so", false)));
        assertFalse(NativeDirectory.use(home, loader(Optional.of(plan))));
        assertNull(System.getProperty(property));
    }

    @Test
    void partialCopiesAKilledProcessLeftAreRemovedOnceAbandoned() throws IOException {
        Path dir = Files.createDirectories(home.resolve("native").resolve("lib-1.0-linux").resolve("lib"));
        Path abandoned = Files.writeString(dir.resolve("libgrammar.so123.part"), "half a library");
        Files.setLastModifiedTime(abandoned,
                FileTime.from(Instant.now().minus(ClassPathFiles.ABANDONED_AFTER).minusSeconds(60)));
        Path writing = Files.writeString(dir.resolve("libgrammar.so456.part"), "being copied now");
        NativeDirectory.Plan plan = new NativeDirectory.Plan("lib-1.0-linux",
                List.of(new NativeDirectory.Library(PRESENT, "lib/libgrammar.so", false)));
        assertTrue(NativeDirectory.use(home, loader(Optional.of(plan))));
        assertFalse(Files.exists(abandoned), "an hour-old partial file is gone");
        assertTrue(Files.exists(writing), "one another process may be writing stays");
        assertTrue(Files.exists(dir.resolve("libgrammar.so")));
    }
}
