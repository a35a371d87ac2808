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
 * commit checked out, and the repository's name from its {@code origin} remote. Enough for a run
 * to record what it indexed and to name a collection; anything unusual (no repository, a ref that
 * cannot be resolved, an unreadable file) is simply unknown.
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
        Path common = commonDir();
        for (Path dir : new Path[] {gitDir, common}) {
            Optional<String> loose = firstLine(dir.resolve(ref)).map(String::trim).filter(s -> SHA.matcher(s).matches());
            if (loose.isPresent()) {
                return loose;
            }
        }
        return packed(common.resolve("packed-refs"), ref);
    }

    /**
     * The repository's name as its {@code origin} remote gives it, the same for the ssh and https
     * forms of one URL: {@code git@github.com:Owner/Name.git} and
     * {@code https://user:token@github.com/owner/name} are both {@code github.com/owner/name}. Any
     * user name, password or token in the URL is dropped (it never leaves the machine), so is a port.
     * Empty when there is no origin, or its URL names no repository.
     */
    public Optional<String> origin() {
        Path config = commonDir().resolve("config");
        try {
            if (!Files.isRegularFile(config) || Files.size(config) > 1 << 20) {
                return Optional.empty();
            }
            boolean inOrigin = false;
            for (String raw : Files.readAllLines(config, StandardCharsets.UTF_8)) {
                String line = raw.trim();
                if (line.startsWith("[")) {
                    inOrigin = line.replace(" ", "").equalsIgnoreCase("[remote\"origin\"]");
                } else if (inOrigin && line.toLowerCase(java.util.Locale.ROOT).startsWith("url")) {
                    int equals = line.indexOf('=');
                    if (equals > 0 && line.substring(0, equals).trim().equalsIgnoreCase("url")) {
                        return normalize(line.substring(equals + 1).trim());
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // unknown, as the class says
        }
        return Optional.empty();
    }

    /**
     * The name of the repository {@code tree} is: its origin's ({@link #origin()}), or else the
     * directory's own name.
     */
    public static String repositoryName(Path tree) {
        Path dir = tree.toAbsolutePath().normalize();
        return of(dir).flatMap(GitCheckout::origin)
                .orElse(dir.getFileName() == null ? "" : dir.getFileName().toString());
    }

    /** {@code host/owner/name} (lower case) from a remote URL in any of git's forms; empty if it names none. */
    public static Optional<String> normalize(String url) {
        String rest = url.trim();
        if (rest.startsWith("\"") && rest.endsWith("\"") && rest.length() > 1) {
            rest = rest.substring(1, rest.length() - 1);
        }
        String host = "";
        int scheme = rest.indexOf("://");
        if (scheme >= 0) {
            rest = rest.substring(scheme + 3);
            int slash = rest.indexOf('/');
            String authority = slash < 0 ? rest : rest.substring(0, slash);
            rest = slash < 0 ? "" : rest.substring(slash + 1);
            host = authority.substring(authority.lastIndexOf('@') + 1);
        } else {
            int colon = rest.indexOf(':');
            int slash = rest.indexOf('/');
            if (colon > 0 && (slash < 0 || colon < slash)) {
                // scp-like: [user@]host:owner/name
                String authority = rest.substring(0, colon);
                host = authority.substring(authority.lastIndexOf('@') + 1);
                rest = rest.substring(colon + 1);
            }
        }
        int port = host.lastIndexOf(':');
        if (port >= 0) {
            host = host.substring(0, port);
        }
        rest = rest.replace('\\', '/');
        while (rest.endsWith("/")) {
            rest = rest.substring(0, rest.length() - 1);
        }
        if (rest.endsWith(".git")) {
            rest = rest.substring(0, rest.length() - 4);
        }
        while (rest.startsWith("/")) {
            rest = rest.substring(1);
        }
        if (rest.isEmpty() || rest.contains("..")) {
            return Optional.empty();
        }
        // A local path (no host) keeps its last two names: where a clone came from on this disk.
        if (host.isEmpty()) {
            String[] names = rest.split("/");
            rest = names.length >= 2 ? names[names.length - 2] + "/" + names[names.length - 1] : names[names.length - 1];
        }
        return Optional.of((host.isEmpty() ? rest : host + "/" + rest).toLowerCase(java.util.Locale.ROOT));
    }

    /** A worktree keeps its own HEAD but shares refs and config with the main repository ("commondir"). */
    private Path commonDir() {
        return firstLine(gitDir.resolve("commondir")).map(c -> gitDir.resolve(c.trim()).normalize()).orElse(gitDir);
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
