package dev.indexer.git;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a tree's git checkout says of itself, read from its files (no git binary, no library): the
 * commit checked out. Enough for a run to record what it indexed; anything unusual (no
 * repository, a ref that cannot be resolved, an unreadable file) is simply unknown.
 */
public final class GitCheckout {
    private static final Pattern SHA = Pattern.compile("[0-9a-f]{40}([0-9a-f]{24})?");
    /** How far up from the tree a repository's top is looked for: a tree is often a part of one. */
    private static final int MAX_LEVELS = 64;

    private final Path gitDir;

    private GitCheckout(Path gitDir) {
        this.gitDir = gitDir;
    }

    /** The checkout {@code tree} is in (it, or a directory above it), if any. */
    public static Optional<GitCheckout> of(Path tree) {
        Path dir = tree.toAbsolutePath().normalize();
        for (int level = 0; dir != null && level < MAX_LEVELS; level++, dir = dir.getParent()) {
            Path dotGit = dir.resolve(".git");
            if (Files.isDirectory(dotGit)) {
                return Optional.of(new GitCheckout(dotGit));
            }
            if (Files.isRegularFile(dotGit)) {
                // A worktree or submodule: ".git" is a file that names the real directory.
                return firstLine(dotGit).filter(line -> line.startsWith("gitdir:"))
                        .map(line -> dotGit.getParent().resolve(line.substring("gitdir:".length()).trim()).normalize())
                        .filter(Files::isDirectory).map(GitCheckout::new);
            }
        }
        return Optional.empty();
    }

    /** The full hash of the commit checked out; empty if it cannot be told. */
    public Optional<String> head() {
        Optional<String> head = firstLine(gitDir.resolve("HEAD"));
        if (head.isEmpty()) {
            return Optional.empty();
        }
        String value = head.get().trim();
        if (SHA.matcher(value).matches()) {
            return Optional.of(value); // detached, as CI checkouts often are
        }
        if (!value.startsWith("ref:")) {
            return Optional.empty();
        }
        String ref = value.substring(4).trim();
        if (ref.contains("..")) {
            return Optional.empty();
        }
        // A worktree keeps its own HEAD but shares refs with the main repository ("commondir").
        Path common = firstLine(gitDir.resolve("commondir")).map(c -> gitDir.resolve(c.trim()).normalize()).orElse(gitDir);
        for (Path dir : new Path[] {gitDir, common}) {
            Optional<String> loose = firstLine(dir.resolve(ref)).map(String::trim).filter(s -> SHA.matcher(s).matches());
            if (loose.isPresent()) {
                return loose;
            }
        }
        return packed(common.resolve("packed-refs"), ref);
    }

    private static Optional<String> packed(Path file, String ref) {
        try {
            if (!Files.isRegularFile(file)) {
                return Optional.empty();
            }
            // Read line by line: a monorepo's packed-refs (every tag) can be tens of megabytes.
            try (BufferedReader lines = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    int space = line.indexOf(' ');
                    if (space > 0 && line.substring(space + 1).trim().equals(ref)
                            && SHA.matcher(line.substring(0, space)).matches()) {
                        return Optional.of(line.substring(0, space));
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // unknown, as the class says
        }
        return Optional.empty();
    }

    private static Optional<String> firstLine(Path file) {
        try {
            if (!Files.isRegularFile(file) || Files.size(file) > 4096) {
                return Optional.empty();
            }
            return Files.readAllLines(file, StandardCharsets.UTF_8).stream().findFirst();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
