package dev.indexer.live;

import dev.indexer.walk.FileWalker;
import io.methvin.watcher.hashing.FileHash;
import io.methvin.watcher.hashing.FileHasher;
import io.methvin.watcher.visitor.FileTreeVisitor;
import io.methvin.watchservice.MacOSXListeningWatchService;
import io.methvin.watchservice.WatchablePath;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.List;

/**
 * macOS's FSEvents, one stream for the whole tree, through {@code io.methvin:directory-watcher}.
 * The library tells created from changed from deleted files by keeping a map of the tree's files;
 * here that map holds only the files of directories an index walk enters (not {@code node_modules},
 * {@code target}...), with their size and time instead of a hash of their content, so it costs
 * about 200 bytes per file and reads none.
 */
final class FsEvents implements ChangeEvents {
    /** A file's size and modification time as its "hash": what the index compares too. */
    private static final FileHasher METADATA = path -> {
        var attrs = Files.readAttributes(path, java.nio.file.attribute.BasicFileAttributes.class);
        return FileHash.fromLong(attrs.size() * 1_000_003L ^ attrs.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS));
    };

    private final Path root;
    private final MacOSXListeningWatchService service;

    /**
     * @throws LinkageError where the system's Carbon framework cannot be loaded (loaded here, so that
     *     the JDK's watch service can be taken instead, not when the root is registered)
     */
    FsEvents(Path root, FileWalker directories) {
        this.root = root;
        java.util.Objects.requireNonNull(io.methvin.watchservice.jna.CarbonAPI.INSTANCE);
        this.service = new MacOSXListeningWatchService(new MacOSXListeningWatchService.Config() {
            @Override
            public boolean fileLevelEvents() {
                return true; // events name the file, so a change never means listing its directory
            }

            @Override
            public FileHasher fileHasher() {
                return METADATA; // size and time tell a change, as for the index itself; no file is read
            }

            @Override
            public FileTreeVisitor fileTreeVisitor() {
                return new WalkedTree(directories);
            }
        });
    }

    @Override
    public WatchService service() {
        return service;
    }

    @Override
    public boolean wholeTree() {
        return true;
    }

    @Override
    public WatchKey register(Path dir) throws IOException {
        return new WatchablePath(dir).register(service, KINDS);
    }

    @Override
    public String describe() {
        return "FSEvents for " + root;
    }

    @Override
    public void close() {
        service.close();
    }

    /** The files the library keeps track of: those of the directories a walk enters. */
    record WalkedTree(FileWalker directories) implements FileTreeVisitor {
        @Override
        public void recursiveVisitFiles(Path file, Callback onDirectory, Callback onFile) throws IOException {
            if (!Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) {
                onFile.call(file);
                return;
            }
            String relative = directories.root().relativize(file).toString().replace(java.io.File.separatorChar, '/');
            try {
                directories.forEachDirectory(relative.isEmpty() ? List.of() : List.of(relative), dir -> {
                    try {
                        onDirectory.call(dir);
                        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
                            for (Path entry : entries) {
                                if (!Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                                    onFile.call(entry);
                                }
                            }
                        }
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
        }
    }
}
