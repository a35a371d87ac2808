package dev.indexer.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.indexer.walk.FileWalker;
import dev.indexer.walk.WalkOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.Watchable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The watcher over both kinds of system events: the JDK's, one watch per directory (Linux, for
 * real), and a whole tree's, as macOS's FSEvents gives them (one registration, absolute paths),
 * played here by a scripted event source since this machine has no FSEvents.
 */
class TreeWatcherTest {
    private static final Duration QUIET = Duration.ofMillis(150);
    private static final Duration LONGEST = Duration.ofSeconds(1);

    @TempDir
    Path tree;

    private final BlockingQueue<Set<String>> batches = new LinkedBlockingQueue<>();
    private final List<String> warnings = new ArrayList<>();
    private FileWalker walker;

    @BeforeEach
    void writeTree() throws IOException {
        Files.createDirectories(tree.resolve("src/main"));
        Files.createDirectories(tree.resolve("node_modules/lib"));
        Files.createDirectories(tree.resolve("generated"));
        Files.writeString(tree.resolve("src/main/App.java"), "class App {}\n");
        Files.writeString(tree.resolve(".gitignore"), "generated/\n");
        walker = new FileWalker(tree, new WalkOptions(1 << 20, WalkOptions.SymlinkPolicy.SKIP),
                (path, reason, detail) -> {});
    }

    private Set<String> nextBatch() throws InterruptedException {
        Set<String> batch = batches.poll(10, TimeUnit.SECONDS);
        assertNotNull(batch, "no batch within 10 s");
        return batch;
    }

    @Test
    void perDirectoryEventsReportWhatChangedInDirectoriesAWalkEnters() throws Exception {
        try (TreeWatcher watcher = TreeWatcher.start(ChangeEvents.perDirectory(), tree, walker, QUIET, LONGEST,
                batches::add, warnings::add)) {
            Files.writeString(tree.resolve("src/main/App.java"), "class App { int v; }\n");
            Files.writeString(tree.resolve("node_modules/lib/x.js"), "x\n"); // not watched
            Files.writeString(tree.resolve("generated/G.java"), "class G {}\n"); // ignored by .gitignore
            assertEquals(Set.of("src/main/App.java"), nextBatch());
            Files.createDirectories(tree.resolve("src/new"));
            Files.writeString(tree.resolve("src/new/B.java"), "class B {}\n");
            Set<String> created = nextBatch();
            assertTrue(created.contains("src/new"), created.toString());
            Files.writeString(tree.resolve("src/new/C.java"), "class C {}\n"); // the new directory is watched
            assertEquals(Set.of("src/new/C.java"), nextBatch());
            assertEquals("file-system events", watcher.mode());
        }
        assertTrue(warnings.isEmpty(), warnings.toString());
    }

    @Test
    void wholeTreeEventsAreKeptToWhatAWalkEntersAndNeedOneRegistration() throws Exception {
        ScriptedTreeEvents events = new ScriptedTreeEvents();
        try (TreeWatcher watcher = TreeWatcher.start(events, tree, walker, QUIET, LONGEST, batches::add,
                warnings::add)) {
            assertEquals(List.of(tree), events.registered, "the root only");
            Files.createDirectories(tree.resolve("src/new"));
            events.fire(StandardWatchEventKinds.ENTRY_CREATE, tree.resolve("src/new"));
            events.fire(StandardWatchEventKinds.ENTRY_CREATE, tree.resolve("src/new/B.java"));
            events.fire(StandardWatchEventKinds.ENTRY_MODIFY, tree.resolve("src/main/App.java"));
            events.fire(StandardWatchEventKinds.ENTRY_DELETE, tree.resolve("src/main/Gone.java"));
            events.fire(StandardWatchEventKinds.ENTRY_MODIFY, tree.resolve("node_modules/lib/x.js"));
            events.fire(StandardWatchEventKinds.ENTRY_DELETE, tree.resolve("generated/deep/G.java"));
            events.fire(StandardWatchEventKinds.ENTRY_MODIFY, tree.resolveSibling("elsewhere.txt"));
            assertEquals(Set.of("src/new", "src/new/B.java", "src/main/App.java", "src/main/Gone.java"), nextBatch());
            assertEquals(List.of(tree), events.registered, "a new directory needs no registration of its own");

            // A changed .gitignore at the root changes the rules of the whole tree.
            events.fire(StandardWatchEventKinds.ENTRY_MODIFY, tree.resolve(".gitignore"));
            assertEquals(Set.of(), nextBatch(), "everything");
            // More paths than one batch takes: everything, as for per-directory events.
            for (int i = 0; i <= TreeWatcher.MAX_PATHS; i++) {
                events.fire(StandardWatchEventKinds.ENTRY_CREATE, tree.resolve("src/main/F" + i + ".java"));
            }
            assertEquals(Set.of(), nextBatch(), "everything");
            assertEquals("scripted whole-tree events", watcher.mode());
        }
        assertTrue(events.closed);
    }

    @Test
    void onMacOsTheFilesKeptTrackOfAreThoseOfDirectoriesAWalkEnters() throws Exception {
        Files.writeString(tree.resolve("node_modules/lib/x.js"), "x\n");
        Files.writeString(tree.resolve("generated/G.java"), "class G {}\n");
        Set<Path> tracked = io.methvin.watcher.PathUtils.recursiveListFiles(new FsEvents.WalkedTree(walker), tree);
        assertEquals(Set.of(tree, tree.resolve("src"), tree.resolve("src/main"), tree.resolve("src/main/App.java"),
                tree.resolve(".gitignore")), tracked);
        assertEquals(Set.of(tree.resolve("src/main/App.java")), io.methvin.watcher.PathUtils.recursiveListFiles(
                new FsEvents.WalkedTree(walker), tree.resolve("src/main/App.java")));
    }

    @Test
    void whereFsEventsCannotBeLoadedTheJdksEventsAreTakenWithAWarning() throws Exception {
        // This machine has no Carbon framework: told it is a Mac, the watcher must fall back, not fail.
        String os = System.getProperty("os.name");
        System.setProperty("os.name", "Mac OS X");
        ChangeEvents events;
        try {
            events = ChangeEvents.forThisSystem(tree, walker, warnings::add);
        } finally {
            System.setProperty("os.name", os);
        }
        try (TreeWatcher watcher = TreeWatcher.start(events, tree, walker, QUIET, LONGEST, batches::add,
                warnings::add)) {
            assertEquals(1, warnings.size(), warnings.toString());
            assertTrue(warnings.get(0).startsWith("cannot use macOS FSEvents"), warnings.get(0));
            Files.writeString(tree.resolve("src/main/App.java"), "class App { int w; }\n");
            assertEquals(Set.of("src/main/App.java"), nextBatch());
            assertEquals("file-system events", watcher.mode());
        }
    }

    /** Events as FSEvents gives them: one key for the whole tree, each event an absolute path. */
    private static final class ScriptedTreeEvents implements ChangeEvents {
        final List<Path> registered = new ArrayList<>();
        final BlockingQueue<WatchKey> signalled = new LinkedBlockingQueue<>();
        volatile boolean closed;
        private Key key;

        @Override
        public WatchService service() {
            return new WatchService() {
                @Override
                public void close() {
                    closed = true;
                }

                @Override
                public WatchKey poll() {
                    return signalled.poll();
                }

                @Override
                public WatchKey poll(long timeout, TimeUnit unit) throws InterruptedException {
                    return signalled.poll(timeout, unit);
                }

                @Override
                public WatchKey take() throws InterruptedException {
                    return signalled.take();
                }
            };
        }

        @Override
        public boolean wholeTree() {
            return true;
        }

        @Override
        public synchronized WatchKey register(Path dir) {
            registered.add(dir);
            key = new Key(dir);
            return key;
        }

        @Override
        public String describe() {
            return "scripted whole-tree events";
        }

        @Override
        public void close() {
            closed = true;
            signalled.add(key); // wakes the watcher's thread, as closing a real service does
        }

        void fire(WatchEvent.Kind<Path> kind, Path absolute) {
            key.add(new WatchEvent<Path>() {
                @Override
                public Kind<Path> kind() {
                    return kind;
                }

                @Override
                public int count() {
                    return 1;
                }

                @Override
                public Path context() {
                    return absolute;
                }
            });
            signalled.add(key);
        }

        private static final class Key implements WatchKey {
            private final Path root;
            private final List<WatchEvent<?>> pending = new ArrayList<>();

            Key(Path root) {
                this.root = root;
            }

            synchronized void add(WatchEvent<?> event) {
                pending.add(event);
            }

            @Override
            public boolean isValid() {
                return true;
            }

            @Override
            public synchronized List<WatchEvent<?>> pollEvents() {
                List<WatchEvent<?>> events = new ArrayList<>(pending);
                pending.clear();
                return events;
            }

            @Override
            public boolean reset() {
                return true;
            }

            @Override
            public void cancel() {}

            @Override
            public Watchable watchable() {
                return root;
            }
        }
    }
}
