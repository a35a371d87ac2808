package dev.indexer.live;

import dev.indexer.walk.FileWalker;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Watches a tree for changes and reports them in batches: the paths (relative to the root) that
 * were created, changed or deleted, once the tree has been quiet for a moment (or at the latest
 * after a longer one), so that a save is one report and a {@code git checkout} of thousands of
 * files is one too. Every directory an index walk would enter is watched (the same ignore rules,
 * the index home left out); directories that appear are watched from then on. When the system
 * drops events (an overflow), or a batch grows past {@link #MAX_PATHS}, the report is "everything"
 * (an empty set): a walk of the whole tree, which compares metadata and reads only what changed.
 *
 * <p>If the system runs out of watches (Linux's {@code fs.inotify.max_user_watches}), the watcher
 * says so once and reports "everything" every {@link #POLL_EVERY} instead.
 */
final class TreeWatcher implements AutoCloseable {
    /** A batch with more paths than this is reported as "everything": one walk beats many scopes. */
    static final int MAX_PATHS = 256;
    /** Polling, when the system cannot watch every directory. */
    static final Duration POLL_EVERY = Duration.ofSeconds(30);

    private final Path root;
    private final FileWalker directories;
    private final Duration quiet;
    private final Duration longest;
    private final Consumer<Set<String>> changes;
    private final Consumer<String> warnings;
    private final ChangeEvents events;
    /** The directory of each watch; touched by the watching thread only (and by start, before it runs). */
    private final Map<WatchKey, Path> watched = new HashMap<>();
    private final Thread thread;
    private volatile boolean polling;
    private volatile boolean closed;

    /**
     * Starts watching.
     *
     * @param root the tree, absolute
     * @param directories the walker whose rules say which directories hold indexed files
     * @param quiet how long the tree must be still before a batch is reported
     * @param longest the longest a batch waits while changes keep coming
     * @param changes told of each batch, on the watcher's thread: relative paths, or empty for everything
     * @param warnings told, once, of anything that makes the watching less than complete
     * @throws IOException if the file system cannot be watched at all
     */
    public static TreeWatcher start(Path root, FileWalker directories, Duration quiet, Duration longest,
            Consumer<Set<String>> changes, Consumer<String> warnings) throws IOException {
        return start(ChangeEvents.forThisSystem(root, directories, warnings), root, directories, quiet, longest,
                changes, warnings);
    }

    /** As {@link #start(Path, FileWalker, Duration, Duration, Consumer, Consumer)}, with these events. */
    static TreeWatcher start(ChangeEvents events, Path root, FileWalker directories, Duration quiet, Duration longest,
            Consumer<Set<String>> changes, Consumer<String> warnings) {
        TreeWatcher watcher = new TreeWatcher(events, root, directories, quiet, longest, changes, warnings);
        watcher.registerUnder("");
        watcher.thread.start();
        return watcher;
    }

    private TreeWatcher(ChangeEvents events, Path root, FileWalker directories, Duration quiet, Duration longest,
            Consumer<Set<String>> changes, Consumer<String> warnings) {
        this.root = root;
        this.directories = directories;
        this.quiet = quiet;
        this.longest = longest;
        this.changes = changes;
        this.warnings = warnings;
        this.events = events;
        this.thread = new Thread(this::run, "indexer-watch");
        this.thread.setDaemon(true);
    }

    /** How the tree is watched, for people: events, or polling and why. */
    public String mode() {
        return polling ? "polling every " + POLL_EVERY.toSeconds() + " s (the system ran out of file watches)"
                : events.describe();
    }

    /** Watches every directory at or under {@code relative} ("" for the root) that a walk would enter. */
    private void registerUnder(String relative) {
        if (polling) {
            return;
        }
        if (events.wholeTree()) {
            if (relative.isEmpty()) {
                try {
                    watched.put(events.register(root), root);
                } catch (IOException | RuntimeException e) {
                    startPolling("cannot watch " + root + " (" + e.getMessage() + ")");
                }
            }
            return; // one registration covers every directory, those to come too
        }
        try {
            directories.forEachDirectory(relative.isEmpty() ? List.of() : List.of(relative), dir -> {
                if (polling) {
                    return;
                }
                try {
                    watched.put(events.register(dir), dir);
                } catch (java.nio.file.NoSuchFileException | java.nio.file.NotDirectoryException gone) {
                    // removed since it was listed: its parent's event covers it
                } catch (IOException e) {
                    startPolling("cannot watch " + dir + " (" + e.getMessage() + ")");
                }
            });
        } catch (java.io.UncheckedIOException e) {
            startPolling("cannot list " + root + " (" + e.getMessage() + ")");
        }
    }

    private void startPolling(String why) {
        polling = true;
        warnings.accept(why + "; checking the whole tree every " + POLL_EVERY.toSeconds() + " s instead (on Linux,"
                + " raise fs.inotify.max_user_watches to watch it)");
        watched.keySet().forEach(WatchKey::cancel);
        watched.clear();
    }

    private void run() {
        WatchService service = events.service();
        Set<String> batch = new TreeSet<>();
        boolean everything = false;
        long first = 0;
        long last = 0;
        try {
            while (!closed) {
                WatchKey key;
                if (polling) {
                    Thread.sleep(POLL_EVERY.toMillis());
                    changes.accept(Set.of());
                    continue;
                }
                if (batch.isEmpty() && !everything) {
                    key = service.take();
                } else {
                    long now = System.nanoTime();
                    long wait = Math.min(last + quiet.toNanos(), first + longest.toNanos()) - now;
                    key = wait > 0 ? service.poll(wait, TimeUnit.NANOSECONDS) : null;
                    if (key == null) {
                        changes.accept(everything ? Set.of() : Set.copyOf(batch));
                        batch.clear();
                        everything = false;
                        continue;
                    }
                }
                if (batch.isEmpty() && !everything) {
                    first = System.nanoTime();
                }
                last = System.nanoTime();
                everything |= take(key, batch);
                if (batch.size() > MAX_PATHS) {
                    batch.clear();
                    everything = true;
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // closing
        }
    }

    /** Adds the key's events to {@code batch}; true if events were lost and everything must be checked. */
    private boolean take(WatchKey key, Set<String> batch) {
        Path dir = watched.get(key);
        boolean overflow = false;
        for (WatchEvent<?> event : key.pollEvents()) {
            if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
                overflow = true;
                continue;
            }
            if (dir == null) {
                continue;
            }
            // Per directory, an event names an entry of the key's directory; for a whole tree, a path.
            Path path = dir.resolve((Path) event.context());
            if (!path.startsWith(root) || path.equals(root)) {
                continue;
            }
            String relative = relative(path);
            if (events.wholeTree() && !directories.reaches(relative)) {
                continue; // under a directory a walk leaves out: unwatched where each directory has a watch
            }
            boolean isDirectory = Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS);
            if (event.kind() == StandardWatchEventKinds.ENTRY_MODIFY && isDirectory) {
                continue; // its own watch reports what changed inside it
            }
            if (event.kind() == StandardWatchEventKinds.ENTRY_CREATE && isDirectory) {
                registerUnder(relative); // before the run walks it, so nothing written after is missed
            }
            String name = path.getFileName().toString();
            if (name.equals(".gitignore") || name.equals(".indexerignore")) {
                // The rules of the whole directory changed: the root's are everything's.
                String parent = relative(dir);
                overflow |= parent.isEmpty();
                if (!parent.isEmpty()) {
                    batch.add(parent);
                }
                continue;
            }
            batch.add(relative);
        }
        if (!key.reset()) {
            watched.remove(key); // the directory is gone; its parent reported that
        }
        return overflow;
    }

    private String relative(Path path) {
        return root.relativize(path).toString().replace(java.io.File.separatorChar, '/');
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            events.close();
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (IOException e) {
            // nothing more to release
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
