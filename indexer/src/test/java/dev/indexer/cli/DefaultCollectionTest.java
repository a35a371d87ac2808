package dev.indexer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Commands that index a tree name its collection after the tree's repository when none is given. */
class DefaultCollectionTest {
    @TempDir
    Path dir;

    private static String indexedCollection(CliTest.Result result) {
        assertEquals(0, result.code(), result.err());
        return JsonParser.parseString(result.out()).getAsJsonObject().get("collection").getAsString();
    }

    @Test
    void aCheckoutIsNamedByItsOriginAndAnyOtherTreeByItsDirectory() throws IOException {
        Path repo = Files.createDirectories(dir.resolve("checkout"));
        Files.createDirectories(repo.resolve(".git"));
        Files.writeString(repo.resolve(".git/HEAD"), "ref: refs/heads/main\n");
        Files.writeString(repo.resolve(".git/config"), "[remote \"origin\"]\n\turl = https://ci-bot:ghp_s3cret@github.com/Team/Service.git\n");
        Files.writeString(repo.resolve("Greeter.java"), "class Greeter {\n    /** Says hello to the team. */\n    String hello() { return \"hello\"; }\n}\n");
        Path home = dir.resolve("home");
        assertEquals("github.com-team-service", indexedCollection(CliTest.run("index", repo.toString(), "--index-dir",
                home.toString(), "--json", "-q")));
        CliTest.Result search = CliTest.run("search", "say hello", "--collection", "github.com-team-service",
                "--index-dir", home.toString());
        assertEquals(0, search.code(), search.err());
        assertTrue(search.out().startsWith("Greeter.java:"), search.out());
        assertTrue(!Files.readString(dev.indexer.RepoDirs.only(home, "github.com-team-service").resolve("manifest.db"), java.nio.charset
                .StandardCharsets.ISO_8859_1).contains("s3cret"), "the token in the origin URL stays out of the index");

        Path plain = Files.createDirectories(dir.resolve("My Project!"));
        Files.writeString(plain.resolve("notes.md"), "# Notes\n\nNothing here yet.\n");
        assertEquals("My-Project-", indexedCollection(CliTest.run("index", plain.toString(), "--index-dir",
                home.toString(), "--json", "-q")));

        // A name with no letter a collection name can hold still gets one, the same every time.
        Path cyrillic = Files.createDirectories(dir.resolve("проект"));
        Files.writeString(cyrillic.resolve("main.py"), "print('hi')\n");
        String hashed = indexedCollection(CliTest.run("index", cyrillic.toString(), "--index-dir", home.toString(),
                "--json", "-q"));
        assertTrue(hashed.matches("tree-[0-9a-f]{10}"), hashed);
        assertEquals(hashed, indexedCollection(CliTest.run("index", cyrillic.toString(), "--index-dir",
                home.toString(), "--json", "-q")));

        CliTest.Result noName = CliTest.run("search", "notes", "--index-dir", home.toString());
        assertEquals(ExitCodes.USAGE, noName.code(), "a search still names its collection");
        assertTrue(noName.err().contains("Missing required option: '--collection=NAME'"), noName.err());
    }
}
