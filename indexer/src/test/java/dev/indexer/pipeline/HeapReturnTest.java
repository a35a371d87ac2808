package dev.indexer.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The old generation given back, in a JVM run as the wrapper runs the indexer (serial collector):
 * promoted garbage that the collector would keep until the old generation filled is collected
 * once it is twice what lived after the last collection, and a small old generation is left alone.
 */
class HeapReturnTest {
    @Test
    void anOldGenerationFullOfPromotedGarbageIsCollectedAndOneBelowTwiceWhatLivesIsNot() throws Exception {
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-Xms256m", "-Xmx256m", "-Xmn8m", "-cp", System.getProperty("java.class.path"),
                Child.class.getName()).redirectErrorStream(true).start();
        assertTrue(child.waitFor(2, TimeUnit.MINUTES), "the child JVM ended");
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, child.exitValue(), output);
        Matcher m = Pattern.compile("small: (\\d+); alive: (\\d+) MB; below twice: (\\d+) MB, (\\d+); "
                + "grown: (\\d+) MB, (\\d+); after: (\\d+) MB").matcher(output);
        assertTrue(m.find(), output);
        int alive = Integer.parseInt(m.group(2));
        assertEquals(0, Integer.parseInt(m.group(1)), "an old generation under 32 MB is left alone: " + output);
        assertTrue(alive >= 36 && alive <= 48, output);
        assertTrue(Integer.parseInt(m.group(3)) > alive + 8, output);
        assertEquals(0, Integer.parseInt(m.group(4)), "below twice what lives, no collection: " + output);
        assertTrue(Integer.parseInt(m.group(5)) >= 2 * alive, output);
        assertEquals(1, Integer.parseInt(m.group(6)), "one collection at twice what lives: " + output);
        assertTrue(Integer.parseInt(m.group(7)) <= alive + 4, "what is left is what lives: " + output);
    }

    /** The JVM under test: 40 MB alive, then garbage that lives long enough to be promoted. */
    public static final class Child {
        private Child() {}

        public static void main(String[] args) {
            MemoryPoolMXBean old = ManagementFactory.getMemoryPoolMXBeans().stream()
                    .filter(p -> p.getName().equals("Tenured Gen")).findFirst().orElseThrow();
            List<GarbageCollectorMXBean> full = ManagementFactory.getGarbageCollectorMXBeans().stream()
                    .filter(c -> c.getName().equals("MarkSweepCompact")).toList();
            HeapReturn heap = new HeapReturn(0);
            long before = fullCollections(full);
            heap.check();
            long small = fullCollections(full) - before;
            byte[][] alive = new byte[160][];
            for (int i = 0; i < alive.length; i++) {
                alive[i] = new byte[256 << 10];
            }
            heap.collect();
            long aliveMb = old.getCollectionUsage().getUsed() >> 20;
            promote(old, aliveMb + 16);
            long below = old.getUsage().getUsed() >> 20;
            before = fullCollections(full);
            heap.check();
            long belowCollections = fullCollections(full) - before;
            promote(old, 2 * aliveMb + 8);
            long grown = old.getUsage().getUsed() >> 20;
            before = fullCollections(full);
            heap.check();
            long grownCollections = fullCollections(full) - before;
            System.out.printf("small: %d; alive: %d MB; below twice: %d MB, %d; grown: %d MB, %d; after: %d MB (%d)%n",
                    small, aliveMb, below, belowCollections, grown, grownCollections,
                    old.getUsage().getUsed() >> 20, alive.length);
        }

        /** Garbage promoted until the old generation holds {@code mb}: a ring of 16 MB, each array
         * outliving several collections of an 8 MB young generation. */
        private static void promote(MemoryPoolMXBean old, long mb) {
            byte[][] ring = new byte[64][];
            for (int i = 0; old.getUsage().getUsed() < (mb << 20) && i < 100_000; i++) {
                ring[i % ring.length] = new byte[256 << 10];
            }
        }

        private static long fullCollections(List<GarbageCollectorMXBean> full) {
            return full.stream().mapToLong(GarbageCollectorMXBean::getCollectionCount).sum();
        }
    }
}
