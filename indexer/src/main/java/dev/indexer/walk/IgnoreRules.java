package dev.indexer.walk;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.eclipse.jgit.ignore.IgnoreNode;

/**
 * Git's ignore semantics for one directory and everything above it: the rules of the innermost
 * directory that has an opinion win, negations re-include, and rules are relative to the
 * directory of the file that holds them. Immutable: entering a directory makes a child layer.
 */
final class IgnoreRules {
    /** Ignore files read in every directory, in order: later files override earlier ones. */
    static final String[] IGNORE_FILE_NAMES = {".gitignore", ".indexerignore"};

    private final String base;
    private final IgnoreNode node;
    private final IgnoreRules parent;

    private IgnoreRules(String base, IgnoreNode node, IgnoreRules parent) {
        this.base = base;
        this.node = node;
        this.parent = parent;
    }

    /** A root layer made from rules in gitignore syntax, e.g. the built-in excludes. */
    static IgnoreRules of(String gitignoreText) {
        return new IgnoreRules("", parse(gitignoreText), null);
    }

    /**
     * The layer for {@code directory}: this layer plus the rules of the ignore files found there.
     * Returns this same layer when the directory has none, so the chain stays short.
     *
     * @param relativeDirectory the directory's path below the walk root ("" for the root)
     * @throws IOException if an ignore file exists but cannot be read
     */
    IgnoreRules enter(Path directory, String relativeDirectory, Path... extraFiles) throws IOException {
        IgnoreNode merged = null;
        for (Path file : extraFiles) {
            merged = parseInto(merged, file);
        }
        for (String name : IGNORE_FILE_NAMES) {
            merged = parseInto(merged, directory.resolve(name));
        }
        return merged == null ? this : new IgnoreRules(relativeDirectory, merged, this);
    }

    /**
     * Whether an entry is ignored.
     *
     * @param relativePath the entry's path below the walk root, {@code /}-separated
     */
    boolean isIgnored(String relativePath, boolean isDirectory) {
        for (IgnoreRules layer = this; layer != null; layer = layer.parent) {
            String local = layer.base.isEmpty() ? relativePath : relativePath.substring(layer.base.length() + 1);
            Boolean verdict = layer.node.checkIgnored(local, isDirectory);
            if (verdict != null) {
                return verdict;
            }
        }
        return false;
    }

    private static IgnoreNode parseInto(IgnoreNode node, Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            IgnoreNode target = node == null ? new IgnoreNode() : node;
            target.parse(file.toString(), in);
            return target;
        } catch (NoSuchFileException absent) {
            return node;
        }
    }

    private static IgnoreNode parse(String text) {
        IgnoreNode node = new IgnoreNode();
        try {
            node.parse(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException("reading built-in rules from memory", e);
        }
        return node;
    }
}
