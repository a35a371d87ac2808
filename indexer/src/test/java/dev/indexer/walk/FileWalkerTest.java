package dev.indexer.walk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileWalkerTest {
    @TempDir
    Path root;

    private final Map<String, SkipReason> skipped = new LinkedHashMap<>();

    private List<String> walk(WalkOptions options) {
        FileWalker walker = new FileWalker(root, options, (path, reason, detail) -> skipped.put(path, reason));
        try (Stream<SourceFile> files = walker.stream()) {
            return files.map(SourceFile::relativePath).toList();
        }
    }

    private List<String> walkScope(String... scope) {
        FileWalker walker = new FileWalker(root, new WalkOptions(1 << 20, WalkOptions.SymlinkPolicy.SKIP),
                (path, reason, detail) -> skipped.put(path, reason));
        try (Stream<SourceFile> files = walker.stream(List.of(scope))) {
            return files.map(SourceFile::relativePath).toList();
        }
    }

    @Test
    void aScopedWalkYieldsOnlyItsPathsUnderTheSameRulesAsAWalkFromTheRoot() throws IOException {
        write(".gitignore", "*.log\nbuild-out/\n");
        write("src/a/A.java", "a");
        write("src/a/deep/B.java", "b");
        write("src/a/trace.log", "x");
        write("src/other/C.java", "c");
        write("build-out/Gen.java", "g");
        write("node_modules/lib/index.js", "n");
        write("src/.env", "SECRET=1");
        write("src/a/.gitignore", "deep/\n");
        assertEquals(List.of("src/a/.gitignore", "src/a/A.java"), walkScope("src/a"),
                "the nested .gitignore applies to its directory");
        assertEquals(List.of("src/a/A.java", "src/other/C.java"), walkScope("src/other/C.java", "src/a/A.java"));
        assertEquals(List.of(), walkScope("src/a/trace.log"), "ignored by the root's .gitignore");
        assertEquals(List.of(), walkScope("build-out/Gen.java"), "under an ignored directory");
        assertEquals(List.of(), walkScope("node_modules/lib"), "under a built-in exclude");
        assertEquals(List.of(), walkScope("src/.env"), "a secrets file");
        assertEquals(List.of(), walkScope("src/a/deep/B.java"), "under a directory its parent's rules ignore");
        skipped.clear();
        assertEquals(List.of(), walkScope("src/gone.java", "nowhere/at/all"));
        assertTrue(skipped.isEmpty(), "what is not there is not reported: " + skipped);
    }

    @Test
    void forEachDirectoryListsTheDirectoriesAWalkEnters() throws IOException {
        write(".gitignore", "generated/\n");
        write("src/main/A.java", "a");
        write("src/test/B.java", "b");
        write("generated/C.java", "c");
        write(".git/HEAD", "ref");
        write("node_modules/x/index.js", "x");
        List<String> dirs = new ArrayList<>();
        FileWalker walker = new FileWalker(root, new WalkOptions(1 << 20, WalkOptions.SymlinkPolicy.SKIP),
                (path, reason, detail) -> { });
        walker.forEachDirectory(List.of(), dir -> dirs.add(root.relativize(dir).toString()));
        assertEquals(List.of("", "src", "src/main", "src/test"), dirs);
        dirs.clear();
        walker.forEachDirectory(List.of("src/test"), dir -> dirs.add(root.relativize(dir).toString()));
        assertEquals(List.of("src/test"), dirs);
    }

    private List<String> walk() {
        return walk(new WalkOptions(1 << 20, WalkOptions.SymlinkPolicy.SKIP));
    }

    private void write(String relative, String content) throws IOException {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content, StandardCharsets.UTF_8);
    }

    @Test
    void walksDepthFirstInNameOrder() throws IOException {
        write("b.txt", "b");
        write("a/z.txt", "z");
        write("a/b/c.txt", "c");
        write("c.txt", "c");
        assertEquals(List.of("a/b/c.txt", "a/z.txt", "b.txt", "c.txt"), walk());
    }

    @Test
    void gitignoreNegationNestingAnchoringDirOnlyAndDoubleStar() throws IOException {
        write(".gitignore", String.join("\n",
                "*.log",
                "!keep.log",
                "/top-only.txt",
                "cache/",
                "docs/**/draft-*.md",
                ""));
        write("a.log", "x");
        write("keep.log", "x");
        write("top-only.txt", "x");
        write("sub/top-only.txt", "anchored rule does not reach here");
        write("cache/data.txt", "x");
        write("sub/cache/data.txt", "x");
        write("cache.txt", "a file named like the dir-only rule");
        write("docs/a/b/draft-1.md", "x");
        write("docs/final.md", "x");
        write("nested/.gitignore", "secret-plan.txt\n!a.log\n");
        write("nested/secret-plan.txt", "x");
        write("nested/a.log", "re-included by the nested file");
        write("nested/deeper/secret-plan.txt", "x");
        List<String> files = walk();
        assertEquals(List.of(
                ".gitignore",
                "cache.txt",
                "docs/final.md",
                "keep.log",
                "nested/.gitignore",
                "nested/a.log",
                "sub/top-only.txt"), files);
        assertEquals(SkipReason.IGNORED, skipped.get("a.log"));
        assertEquals(SkipReason.IGNORED, skipped.get("top-only.txt"));
        assertEquals(SkipReason.IGNORED_DIRECTORY, skipped.get("cache"));
        assertEquals(SkipReason.IGNORED_DIRECTORY, skipped.get("sub/cache"));
        assertEquals(SkipReason.IGNORED, skipped.get("docs/a/b/draft-1.md"));
        assertEquals(SkipReason.IGNORED, skipped.get("nested/secret-plan.txt"));
        assertEquals(SkipReason.IGNORED, skipped.get("nested/deeper/secret-plan.txt"));
    }

    @Test
    void indexerignoreOverridesGitignoreInTheSameDirectory() throws IOException {
        write(".gitignore", "*.sql\n");
        write(".indexerignore", "!schema.sql\nnotes/\n");
        write("schema.sql", "create table t (id int);");
        write("dump.sql", "insert ...");
        write("notes/todo.md", "x");
        assertEquals(List.of(".gitignore", ".indexerignore", "schema.sql"), walk());
        assertEquals(SkipReason.IGNORED_DIRECTORY, skipped.get("notes"));
    }

    @Test
    void builtInExcludesCanBeReincludedButSecretsCannot() throws IOException {
        write("node_modules/lib/index.js", "x");
        write(".git/config", "x");
        write("target/classes/A.class", "x");
        write("package-lock.json", "{}");
        write("web/app.min.js", "x");
        write("vendor/dep/dep.go", "package dep");
        write(".env", "TOKEN=1");
        write("config/.env.production", "TOKEN=2");
        write("keys/server.pem", "-----BEGIN PRIVATE KEY-----");
        write("home/.ssh/id_rsa", "x");
        write("id_ed25519", "x");
        write(".aws/credentials", "x");
        write(".indexerignore", "!vendor/\n!.env\n!*.pem\n");
        write("src/Main.java", "class Main {}");
        assertEquals(List.of(".indexerignore", "src/Main.java", "vendor/dep/dep.go"), walk());
        for (String path : List.of("node_modules", ".git", "target")) {
            assertEquals(SkipReason.IGNORED_DIRECTORY, skipped.get(path), path);
        }
        assertEquals(SkipReason.IGNORED, skipped.get("package-lock.json"));
        assertEquals(SkipReason.IGNORED, skipped.get("web/app.min.js"));
        for (String path : List.of(".env", "config/.env.production", "keys/server.pem", "home/.ssh", "id_ed25519", ".aws")) {
            assertEquals(SkipReason.SECRET, skipped.get(path), path);
        }
    }

    @Test
    void gitInfoExcludeApplies() throws IOException {
        write(".git/info/exclude", "local-notes.txt\n");
        write("local-notes.txt", "x");
        write("kept.txt", "x");
        assertEquals(List.of("kept.txt"), walk());
        assertEquals(SkipReason.IGNORED, skipped.get("local-notes.txt"));
    }

    @Test
    void sizeCapIsCheckedFromMetadata() throws IOException {
        write("small.txt", "x".repeat(100));
        write("big.txt", "x".repeat(101));
        assertEquals(List.of("small.txt"), walk(new WalkOptions(100, WalkOptions.SymlinkPolicy.SKIP)));
        assertEquals(SkipReason.TOO_LARGE, skipped.get("big.txt"));
    }

    @Test
    void symlinksAreSkippedByDefault() throws IOException {
        write("real/a.txt", "a");
        Files.createSymbolicLink(root.resolve("link-dir"), root.resolve("real"));
        Files.createSymbolicLink(root.resolve("link-file.txt"), root.resolve("real/a.txt"));
        assertEquals(List.of("real/a.txt"), walk());
        assertEquals(SkipReason.SYMLINK, skipped.get("link-dir"));
        assertEquals(SkipReason.SYMLINK, skipped.get("link-file.txt"));
    }

    @Test
    void followedSymlinkLoopIsDetected() throws IOException {
        write("a/file.txt", "a");
        Files.createSymbolicLink(root.resolve("a/back-to-root"), root);
        Files.createSymbolicLink(root.resolve("a/self"), root.resolve("a"));
        List<String> files = walk(new WalkOptions(1 << 20, WalkOptions.SymlinkPolicy.FOLLOW));
        assertEquals(List.of("a/file.txt"), files);
        assertEquals(SkipReason.SYMLINK_LOOP, skipped.get("a/back-to-root"));
        assertEquals(SkipReason.SYMLINK_LOOP, skipped.get("a/self"));
    }

    @Test
    void followedSymlinkToAnotherTreeIsWalked(@TempDir Path outside) throws IOException {
        Files.writeString(outside.resolve("shared.txt"), "shared");
        Files.createSymbolicLink(root.resolve("shared"), outside);
        assertEquals(List.of("shared/shared.txt"), walk(new WalkOptions(1 << 20, WalkOptions.SymlinkPolicy.FOLLOW)));
    }

    @Test
    void danglingLinkAndSpecialFilesAreReportedNotFatal() throws IOException, InterruptedException {
        Files.createSymbolicLink(root.resolve("dangling"), root.resolve("missing"));
        Process mkfifo = new ProcessBuilder("mkfifo", root.resolve("pipe").toString()).start();
        assertEquals(0, mkfifo.waitFor());
        write("ok.txt", "ok");
        assertEquals(List.of("ok.txt"), walk(new WalkOptions(1 << 20, WalkOptions.SymlinkPolicy.FOLLOW)));
        assertEquals(SkipReason.VANISHED, skipped.get("dangling"));
        assertEquals(SkipReason.NOT_REGULAR, skipped.get("pipe"));
    }

    @Test
    void unreadableDirectoryIsSkippedWithReason() throws IOException {
        write("locked/inside.txt", "x");
        write("open.txt", "x");
        Path locked = root.resolve("locked");
        assertTrue(locked.toFile().setReadable(false, false));
        try {
            List<String> files = walk();
            if (Files.isReadable(locked)) {
                // root ignores permissions; the walk must then simply see the file
                assertEquals(List.of("locked/inside.txt", "open.txt"), files);
            } else {
                assertEquals(List.of("open.txt"), files);
                assertEquals(SkipReason.UNREADABLE, skipped.get("locked"));
            }
        } finally {
            locked.toFile().setReadable(true, false);
        }
    }

    @Test
    void streamIsLazy() throws IOException {
        for (int i = 0; i < 30; i++) {
            write("d" + (10 + i) + "/f.txt", "x");
        }
        FileWalker walker = new FileWalker(root, new WalkOptions(1 << 20, WalkOptions.SymlinkPolicy.SKIP),
                (path, reason, detail) -> {});
        List<String> seen = new ArrayList<>();
        try (Stream<SourceFile> files = walker.stream()) {
            var it = files.iterator();
            seen.add(it.next().relativePath());
            // A file added to a directory the walk has not reached yet is still found: nothing
            // below the current path was listed in advance.
            write("d30/late.txt", "x");
            it.forEachRemaining(f -> seen.add(f.relativePath()));
        }
        assertEquals("d10/f.txt", seen.get(0));
        assertTrue(seen.contains("d30/late.txt"), seen.toString());
        assertEquals(31, seen.size());
    }
}
