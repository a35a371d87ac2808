package dev.indexer.walk;

import dev.indexer.config.ByteSize;
import dev.indexer.config.IndexHome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Walks a tree depth-first as a lazy stream: only the directories on the current path are held,
 * each as its sorted list of entry names, so memory follows the depth and the widest directory,
 * never the size of the tree. Everything it leaves out goes to the {@link SkipListener}.
 *
 * <p>Order of checks for each entry: symlink policy, secrets (not overridable), ignore rules
 * (built-in excludes, {@code .git/info/exclude}, then {@code .gitignore} and
 * {@code .indexerignore} of each directory), file type, and the size cap from metadata.
 */
public final class FileWalker {
    private final Path root;
    private final WalkOptions options;
    private final SkipListener skips;
    private final IgnoreRules secrets = IgnoreRules.of(BuiltinRules.SECRETS);

    public FileWalker(Path root, WalkOptions options, SkipListener skips) {
        this.root = root.toAbsolutePath().normalize();
        this.options = Objects.requireNonNull(options);
        this.skips = Objects.requireNonNull(skips);
    }

    /** The walk root, absolute and normalized. */
    public Path root() {
        return root;
    }

    /**
     * A lazy, depth-first stream of the files to index, in a stable order (entries sorted by name
     * within each directory).
     *
     * @throws UncheckedIOException from the stream if the root itself cannot be listed
     */
    public Stream<SourceFile> stream() {
        return stream(List.of());
    }

    /**
     * As {@link #stream()}, over only {@code scope}: paths relative to the root ('/' between names),
     * each a file or a directory to walk whole; empty for the whole tree. Every rule applies as in
     * a walk from the root (an entry under an ignored directory is ignored); an entry that does not
     * exist yields nothing and is not reported.
     */
    public Stream<SourceFile> stream(List<String> scope) {
        Walk walk = new Walk(scope, null, true);
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(walk,
                Spliterator.ORDERED | Spliterator.NONNULL), false).onClose(walk::clear);
    }

    /**
     * Calls {@code action} for every directory a walk of {@code scope} (empty: the whole tree)
     * enters, the root or each scope's start included, with the same rules: the directories whose
     * files an index holds, which a watcher watches.
     */
    public void forEachDirectory(List<String> scope, Consumer<Path> action) {
        new Walk(scope, action, true).forEachRemaining(file -> {});
    }

    /**
     * Whether a walk enters every directory above {@code relative} (a path relative to the root,
     * there or not): whether a change at that path can matter to an index, as it would be met by a
     * watch of every directory a walk enters. The path itself may still be left out by a rule.
     */
    public boolean reaches(String relative) {
        return relative.isEmpty() || new Walk(List.of(), null, false).parentFrame(relative) != null;
    }

    /**
     * One directory being listed: its entries not yet visited and the rules in force there. Entries
     * are kept as the paths the directory listing gave, which hold the name's bytes as they are on
     * disk: a name that is not valid in the platform's encoding still opens.
     */
    private record Frame(Path dir, String relative, Iterator<Path> entries, IgnoreRules rules, Object key) {}

    /** A collection's directory holds its manifest and its lock. */
    private static final List<String> COLLECTION_MARKERS = List.of("manifest.db", "indexer.lock");

    private final class Walk implements Iterator<SourceFile> {
        private final Deque<Frame> stack = new ArrayDeque<>();
        /** The index home's identity on disk, so it is left out under any name it is reached by. */
        private final Object homeKey;
        /** The root's rules: built-in excludes and .git/info/exclude, then the root's ignore files. */
        private final IgnoreRules rootRules;
        private final Object rootKey;
        /** Scope entries not yet started. */
        private final Deque<String> scope;
        /** Told of each directory entered, when walking for a watcher; null otherwise. */
        private final Consumer<Path> entered;
        private SourceFile next;

        /** {@code start}: whether to walk (false: only to check paths with {@link #parentFrame}). */
        Walk(List<String> scope, Consumer<Path> entered, boolean start) {
            this.scope = new ArrayDeque<>(new java.util.TreeSet<>(scope)); // in name order, as a whole walk goes
            this.entered = entered;
            homeKey = options.indexHome().map(FileWalker::fileKey).orElse(null);
            try {
                BasicFileAttributes attrs = Files.readAttributes(root, BasicFileAttributes.class);
                if (!attrs.isDirectory()) {
                    throw new UncheckedIOException(new IOException(root + " is not a directory"));
                }
                Path infoExclude = root.resolve(".git").resolve("info").resolve("exclude");
                rootRules = IgnoreRules.of(BuiltinRules.DEFAULT_EXCLUDES).enter(root, "", infoExclude);
                rootKey = attrs.fileKey();
                if (scope.isEmpty() && start) {
                    stack.push(new Frame(root, "", list(root).iterator(), rootRules, rootKey));
                    if (entered != null) {
                        entered.accept(root);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + root + ": " + describe(e), e);
            }
        }

        /**
         * Starts the next scope entry: a frame for its parent directory that holds only the entry, so
         * that the entry meets every check a full walk would make. The parent is reached from the
         * root one directory at a time, each checked as the walk would check it; if one would not be
         * entered, neither is anything under it.
         */
        private void startNextScope() {
            String relative = scope.poll();
            Frame parent = parentFrame(relative);
            if (parent == null) {
                return;
            }
            Path entry = parent.dir().resolve(relative.substring(relative.lastIndexOf('/') + 1));
            if (Files.exists(entry, LinkOption.NOFOLLOW_LINKS)) {
                stack.push(new Frame(parent.dir(), parent.relative(), List.of(entry).iterator(), parent.rules(),
                        parent.key()));
            }
        }

        /**
         * The directory that holds {@code relative}, reached from the root one directory at a time,
         * each checked as the walk would check it (with no entries of its own); null if one of them
         * would not be entered, or is not there.
         */
        Frame parentFrame(String relative) {
            String[] names = relative.split("/");
            Path dir = root;
            String dirRelative = "";
            IgnoreRules rules = rootRules;
            Object key = rootKey;
            try {
                for (int i = 0; i < names.length - 1; i++) {
                    Path child = dir.resolve(names[i]);
                    String childRelative = dirRelative.isEmpty() ? names[i] : dirRelative + "/" + names[i];
                    BasicFileAttributes attrs = Files.readAttributes(child, BasicFileAttributes.class,
                            LinkOption.NOFOLLOW_LINKS);
                    if (attrs.isSymbolicLink()) {
                        if (options.symlinks() == WalkOptions.SymlinkPolicy.SKIP) {
                            return null;
                        }
                        attrs = Files.readAttributes(child, BasicFileAttributes.class);
                    }
                    if (!attrs.isDirectory() || secrets.isIgnored(childRelative, true)
                            || rules.isIgnored(childRelative, true)
                            || (attrs.fileKey() != null && attrs.fileKey().equals(homeKey))
                            || Files.exists(child.resolve(IndexHome.MARKER), LinkOption.NOFOLLOW_LINKS)
                            || COLLECTION_MARKERS.stream().allMatch(m -> Files.exists(child.resolve(m)))) {
                        return null;
                    }
                    rules = rules.enter(child, childRelative);
                    dir = child;
                    dirRelative = childRelative;
                    key = attrs.fileKey();
                }
            } catch (IOException e) {
                return null; // gone, or not a directory: nothing of the scope is there to index
            }
            return new Frame(dir, dirRelative, java.util.Collections.emptyIterator(), rules, key);
        }

        @Override
        public boolean hasNext() {
            while (next == null && (!stack.isEmpty() || !scope.isEmpty())) {
                if (stack.isEmpty()) {
                    startNextScope();
                    continue;
                }
                Frame frame = stack.peek();
                if (!frame.entries().hasNext()) {
                    stack.pop();
                    continue;
                }
                visit(frame, frame.entries().next());
            }
            return next != null;
        }

        @Override
        public SourceFile next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            SourceFile file = next;
            next = null;
            return file;
        }

        void clear() {
            stack.clear();
        }

        private void visit(Frame frame, Path path) {
            String name = path.getFileName().toString();
            String relative = frame.relative().isEmpty() ? name : frame.relative() + "/" + name;
            if (!representable(path, name)) {
                skips.skipped(relative, SkipReason.BAD_NAME, badNameDetail());
                return;
            }
            BasicFileAttributes attrs;
            try {
                attrs = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                if (attrs.isSymbolicLink()) {
                    if (options.symlinks() == WalkOptions.SymlinkPolicy.SKIP) {
                        skips.skipped(relative, SkipReason.SYMLINK, "links are not followed by default");
                        return;
                    }
                    attrs = Files.readAttributes(path, BasicFileAttributes.class);
                }
            } catch (NoSuchFileException e) {
                skips.skipped(relative, SkipReason.VANISHED, "gone before it could be read, or a dangling link");
                return;
            } catch (IOException e) {
                skips.skipped(relative, SkipReason.UNREADABLE, describe(e));
                return;
            }
            boolean directory = attrs.isDirectory();
            if (!directory && !options.shard().holds(relative)) {
                return; // another worker's file: neither indexed here nor skipped
            }
            if (secrets.isIgnored(relative, directory)) {
                skips.skipped(relative, SkipReason.SECRET, "matches a secrets pattern; never indexed");
                return;
            }
            if (frame.rules().isIgnored(relative, directory)) {
                skips.skipped(relative, directory ? SkipReason.IGNORED_DIRECTORY : SkipReason.IGNORED,
                        "matched by an ignore rule");
                return;
            }
            if (directory) {
                enter(frame, path, relative, attrs);
            } else if (!attrs.isRegularFile()) {
                skips.skipped(relative, SkipReason.NOT_REGULAR, "device, pipe or socket");
            } else if (attrs.size() > options.maxFileSize()) {
                skips.skipped(relative, SkipReason.TOO_LARGE,
                        ByteSize.format(attrs.size()) + " > " + ByteSize.format(options.maxFileSize()) + " cap");
            } else {
                next = new SourceFile(path, relative, attrs.size(), attrs.lastModifiedTime().toMillis());
            }
        }

        private void enter(Frame parent, Path dir, String relative, BasicFileAttributes attrs) {
            Object key = attrs.fileKey();
            Optional<Frame> loop = options.symlinks() == WalkOptions.SymlinkPolicy.FOLLOW && key != null
                    ? stack.stream().filter(ancestor -> key.equals(ancestor.key())).findFirst() : Optional.empty();
            if (loop.isPresent()) {
                String to = loop.get().relative();
                skips.skipped(relative, SkipReason.SYMLINK_LOOP, "leads back to " + (to.isEmpty() ? "the root" : to));
                return;
            }
            if (key != null && key.equals(homeKey)) {
                skips.skipped(relative, SkipReason.INDEX_DIRECTORY, "the index home in use; never indexed");
                return;
            }
            try {
                List<Path> entries = list(dir);
                String marker = indexMarker(entries);
                if (!marker.isEmpty()) {
                    skips.skipped(relative, SkipReason.INDEX_DIRECTORY, marker + "; never indexed");
                    return;
                }
                IgnoreRules rules = parent.rules().enter(dir, relative);
                stack.push(new Frame(dir, relative, entries.iterator(), rules, key));
                if (entered != null) {
                    entered.accept(dir);
                }
            } catch (NoSuchFileException e) {
                skips.skipped(relative, SkipReason.VANISHED, "directory removed while walking");
            } catch (IOException e) {
                skips.skipped(relative, SkipReason.UNREADABLE, "directory cannot be listed: " + describe(e));
            }
        }
    }

    /** A directory's entries, sorted by name; a directory that opens but cannot be read is an IOException. */
    private static List<Path> list(Path dir) throws IOException {
        List<Path> entries = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            stream.forEach(entries::add);
        } catch (DirectoryIteratorException e) {
            throw e.getCause(); // /proc/1/map_files and its like: the open succeeds, reading does not
        }
        entries.sort(Comparator.comparing(entry -> entry.getFileName().toString()));
        return entries;
    }

    /** Why a directory holding these entries is an index of ours; empty if it is not. */
    private static String indexMarker(List<Path> entries) {
        Set<String> names = entries.stream().map(entry -> entry.getFileName().toString()).collect(Collectors.toSet());
        return names.contains(IndexHome.MARKER) ? "an index home"
                : names.containsAll(COLLECTION_MARKERS) ? "a collection's directory" : "";
    }

    /**
     * Whether the name, as text, names the same file again. It does not when the name's bytes are
     * not valid in the platform's encoding for file names (invalid UTF-8, or anything but ASCII
     * under the C locale): the text then holds a replacement character or a question mark.
     */
    private static boolean representable(Path entry, String name) {
        try {
            return entry.getFileName().equals(entry.getFileSystem().getPath(name));
        } catch (InvalidPathException e) {
            return false;
        }
    }

    private static String badNameDetail() {
        String encoding = System.getProperty("sun.jnu.encoding", "UTF-8");
        return encoding.equalsIgnoreCase("UTF-8") ? "its name is not valid UTF-8"
                : "its name cannot be read in this locale's encoding (" + encoding + "); run with a UTF-8 locale"
                        + " (LANG=C.UTF-8), as scripts/indexer does";
    }

    private static Object fileKey(Path dir) {
        try {
            return Files.readAttributes(dir, BasicFileAttributes.class).fileKey();
        } catch (IOException e) {
            return null; // not there yet: nothing to leave out
        }
    }

    static String describe(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        String message = e.getMessage();
        return message == null ? e.getClass().getSimpleName() : message;
    }

    /** Receives every file or directory that is left out, with the reason and a detail for the user. */
    @FunctionalInterface
    public interface SkipListener {
        /**
         * @param relativePath the path below the walk root
         * @param reason why it was left out
         * @param detail a short explanation with the numbers involved, e.g. {@code 6.2 MB > 5.0 MB}
         */
        void skipped(String relativePath, SkipReason reason, String detail);
    }
}
