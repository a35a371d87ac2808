package dev.indexer.git;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commit a tree has checked out, read from the files git keeps, in the layouts git writes. */
class GitCheckoutTest {
    private static final String A = "0123456789abcdef0123456789abcdef01234567";
    private static final String B = "89abcdef0123456789abcdef0123456789abcdef";

    @TempDir
    Path dir;

    private Path git(String head) throws IOException {
        Path git = Files.createDirectories(dir.resolve("repo/.git"));
        Files.writeString(git.resolve("HEAD"), head + "\n");
        return git;
    }

    @Test
    void aBranchIsResolvedFromItsLooseRefOrFromPackedRefs() throws IOException {
        Path git = git("ref: refs/heads/main");
        Files.writeString(git.resolve("packed-refs"), "# pack-refs with: peeled fully-peeled sorted\n" + B
                + " refs/heads/main\n" + A + " refs/heads/other\n");
        Path sub = Files.createDirectories(dir.resolve("repo/src/main"));
        assertEquals(Optional.of(B), GitCheckout.of(sub).flatMap(GitCheckout::head), "a tree inside the repository");
        Files.createDirectories(git.resolve("refs/heads"));
        Files.writeString(git.resolve("refs/heads/main"), A + "\n");
        assertEquals(Optional.of(A), GitCheckout.of(dir.resolve("repo")).flatMap(GitCheckout::head), "loose refs win");
    }

    @Test
    void aDetachedHeadIsItsCommit() throws IOException {
        git(A);
        assertEquals(Optional.of(A), GitCheckout.of(dir.resolve("repo")).flatMap(GitCheckout::head));
    }

    @Test
    void aWorktreeFollowsItsGitFileAndSharesTheMainRefs() throws IOException {
        Path main = git("ref: refs/heads/main");
        Files.createDirectories(main.resolve("refs/heads"));
        Files.writeString(main.resolve("refs/heads/feature"), B + "\n");
        Path worktreeGit = Files.createDirectories(main.resolve("worktrees/wt"));
        Files.writeString(worktreeGit.resolve("HEAD"), "ref: refs/heads/feature\n");
        Files.writeString(worktreeGit.resolve("commondir"), "../..\n");
        Path wt = Files.createDirectories(dir.resolve("wt"));
        Files.writeString(wt.resolve(".git"), "gitdir: " + worktreeGit + "\n");
        assertEquals(Optional.of(B), GitCheckout.of(wt).flatMap(GitCheckout::head));
    }

    @Test
    void theSshAndHttpsFormsOfAnOriginGiveOneNameAndNoCredentials() {
        for (String url : new String[] {"git@github.com:Owner/Name.git", "https://github.com/owner/name.git",
            "https://user:tok3n-s3cret@github.com/owner/name", "ssh://git@github.com:22/owner/name.git",
            "  \"https://github.com/owner/name/\"  ", "git://github.com/owner/name"}) {
            assertEquals(Optional.of("github.com/owner/name"), GitCheckout.normalize(url), url);
        }
        assertEquals(Optional.of("gitlab.example.com/group/sub/name"),
                GitCheckout.normalize("ssh://git@gitlab.example.com:2222/group/sub/name.git"));
        assertEquals(Optional.of("git/project"), GitCheckout.normalize("/srv/git/project.git"));
        assertEquals(Optional.of("git/project"), GitCheckout.normalize("file:///srv/git/project.git"));
        for (String none : new String[] {"", "https://github.com/", "git@github.com:", "https://h/a/../../etc"}) {
            assertEquals(Optional.empty(), GitCheckout.normalize(none), none);
        }
    }

    @Test
    void theRepositoryIsNamedByItsOriginElseByItsDirectory() throws IOException {
        Path git = git("ref: refs/heads/main");
        Files.writeString(git.resolve("config"), """
                [core]
                \trepositoryformatversion = 0
                [remote "upstream"]
                \turl = https://github.com/someone-else/fork.git
                [remote "origin"]
                \turl = git@github.com:Team/Service.git
                \tfetch = +refs/heads/*:refs/remotes/origin/*
                """);
        Path sub = Files.createDirectories(dir.resolve("repo/module"));
        assertEquals("github.com/team/service", GitCheckout.repositoryName(sub));
        Files.writeString(git.resolve("config"), "[core]\n\tbare = false\n");
        assertEquals("module", GitCheckout.repositoryName(sub), "no origin: the directory's name");
    }

    @Test
    void anythingElseIsUnknown() throws IOException {
        assertTrue(GitCheckout.of(Files.createDirectories(dir.resolve("plain"))).flatMap(GitCheckout::head).isEmpty()
                || !dir.getRoot().resolve(".git").toFile().exists(), "no repository (unless the machine's root is one)");
        git("ref: refs/heads/../../../etc/passwd");
        assertEquals(Optional.empty(), GitCheckout.of(dir.resolve("repo")).flatMap(GitCheckout::head));
        git("ref: refs/heads/missing");
        assertEquals(Optional.empty(), GitCheckout.of(dir.resolve("repo")).flatMap(GitCheckout::head));
        git("not a head at all");
        assertEquals(Optional.empty(), GitCheckout.of(dir.resolve("repo")).flatMap(GitCheckout::head));
    }
}
