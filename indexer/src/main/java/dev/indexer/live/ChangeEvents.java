package dev.indexer.live;

import dev.indexer.walk.FileWalker;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Where a {@link TreeWatcher} gets its events from: the system's own way of telling of changes.
 * Linux (inotify) and Windows tell of one directory per watch, so every directory is registered;
 * macOS tells of a whole tree through FSEvents, which the JDK does not use (its watch service there
 * polls: seconds late, and CPU in proportion to the tree), so one registration of the root covers
 * everything and events name absolute paths.
 */
interface ChangeEvents extends AutoCloseable {
    /** What every watch asks to be told of. */
    WatchEvent.Kind<?>[] KINDS = {StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_DELETE,
        StandardWatchEventKinds.ENTRY_MODIFY};

    /** The service whose keys carry the events. */
    WatchService service();

    /**
     * Whether one registration of the root covers the whole tree: directories that appear need
     * none of their own, and events may come from directories a walk would not enter.
     */
    boolean wholeTree();

    /** Starts watching {@code dir} (with {@link #wholeTree()}, only the root is ever registered). */
    WatchKey register(Path dir) throws IOException;

    /** What the system's watching is, for people. */
    String describe();

    @Override
    void close() throws IOException;

    /**
     * This system's best: FSEvents on macOS (through {@code io.methvin:directory-watcher}), else the
     * JDK's watch service; where FSEvents cannot be loaded, the JDK's, with a warning.
     */
    static ChangeEvents forThisSystem(Path root, FileWalker directories, Consumer<String> warnings) throws IOException {
        if (System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("mac")) {
            try {
                return new FsEvents(root, directories);
            } catch (LinkageError | RuntimeException e) {
                warnings.accept("cannot use macOS FSEvents (" + e + "); watching through the JDK, which polls there");
            }
        }
        return perDirectory();
    }

    /** The JDK's watch service, one registration per directory. */
    static ChangeEvents perDirectory() throws IOException {
        WatchService service = FileSystems.getDefault().newWatchService();
        return new ChangeEvents() {
            @Override
            public WatchService service() {
                return service;
            }

            @Override
            public boolean wholeTree() {
                return false;
            }

            @Override
            public WatchKey register(Path dir) throws IOException {
                return dir.register(service, KINDS);
            }

            @Override
            public String describe() {
                return "file-system events";
            }

            @Override
            public void close() throws IOException {
                service.close();
            }
        };
    }
}
