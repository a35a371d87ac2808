package dev.indexer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file and its identical twin (a copy kept in another directory; {@code vendor/} itself is left
 * out by the default rules) are one hit that names both, in every mode and
 * every output, through the real model and index: the twin's place goes to other code.
 */
class CopiesTest {
    @TempDir
    static Path tree;
    @TempDir
    static Path home;

    private static final String SLUG = """
            import re


            def slugify(title):
                return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")


            def shorten(title, limit):
                return title if len(title) <= limit else title[:limit].rstrip() + "..."
            """;

    @BeforeAll
    static void writeTree() throws IOException {
        Files.createDirectories(tree.resolve("text"));
        Files.createDirectories(tree.resolve("mirror/text"));
        Files.writeString(tree.resolve("text/slug.py"), SLUG);
        Files.writeString(tree.resolve("mirror/text/slug.py"), SLUG);
        Files.writeString(tree.resolve("text/title.py"), """
                def title_case(words):
                    return " ".join(w.capitalize() for w in words.split())
                """);
        CliTest.Result indexed = CliTest.run(Map.of(), "index", tree.toString(), "--collection", "twins",
                "--index-dir", home.toString(), "--quiet");
        assertEquals(0, indexed.code(), indexed.err());
    }

    @Test
    void manyCopiesUseUpNoPlacesAndTheTextNamesAFew(@TempDir Path many) throws IOException {
        // 40 copies fill every candidate of the first fetch: the search fetches more, and other code still comes.
        for (int i = 0; i < 40; i++) {
            Files.writeString(many.resolve("copy " + i + ".py"), SLUG);
        }
        Files.writeString(many.resolve("title.py"), "def title_case(words):\n    return words.title()\n");
        Files.writeString(many.resolve("split.py"), "def split_words(text):\n    return text.split()\n");
        CliTest.Result indexed = CliTest.run(Map.of(), "index", many.toString(), "--collection", "many",
                "--index-dir", home.toString(), "--quiet");
        assertEquals(0, indexed.code(), indexed.err());
        for (String mode : List.of("hybrid", "vector")) {
            CliTest.Result json = CliTest.run("search", "turn a title into a url slug", "--collection", "many",
                    "--index-dir", home.toString(), "--mode", mode, "-k", "3", "--json");
            assertEquals(0, json.code(), json.err());
            List<JsonObject> hits = json.out().lines().map(l -> JsonParser.parseString(l).getAsJsonObject()).toList();
            assertEquals(3, hits.size(), mode + ": " + json.out());
            List<JsonObject> copies = hits.stream().filter(h -> h.get("path").getAsString().startsWith("copy ")).toList();
            assertEquals(1, copies.size(), mode + ": " + json.out());
            assertEquals(39, copies.get(0).getAsJsonArray("copies").size(), mode);
            assertEquals(List.of("split.py", "title.py"), hits.stream().map(h -> h.get("path").getAsString())
                    .filter(p -> !p.startsWith("copy ")).sorted().toList(), mode);
        }
        CliTest.Result text = CliTest.run("search", "turn a title into a url slug", "--collection", "many",
                "--index-dir", home.toString(), "-k", "3");
        assertTrue(text.out().matches("(?s).*copy \\d+\\.py:1-9 .*\n    the same text in (copy \\d+\\.py:1-9, ){4}"
                + "copy \\d+\\.py:1-9 and 34 more\n.*"), text.out());
    }

    @Test
    void anIdenticalTwinIsNamedByTheHitItCopiesAndTakesNoPlaceOfItsOwn() {
        for (String mode : List.of("hybrid", "vector", "lexical")) {
            CliTest.Result json = CliTest.run("search", "turn a title into a url slug", "--collection", "twins",
                    "--index-dir", home.toString(), "--mode", mode, "-k", "3", "--json");
            assertEquals(0, json.code(), json.err());
            List<JsonObject> hits = json.out().lines().map(l -> JsonParser.parseString(l).getAsJsonObject()).toList();
            JsonObject slugify = hits.stream().filter(h -> h.get("symbol").getAsString().equals("slugify")).findFirst()
                    .orElseThrow(() -> new AssertionError(mode + ": " + json.out()));
            JsonArray copies = slugify.getAsJsonArray("copies");
            assertEquals(1, copies.size(), mode + ": " + slugify);
            JsonObject copy = copies.get(0).getAsJsonObject();
            String twin = slugify.get("path").getAsString().startsWith("mirror/") ? "text/slug.py" : "mirror/text/slug.py";
            assertEquals(twin, copy.get("path").getAsString(), mode + ": " + slugify);
            assertEquals(List.of(slugify.get("startLine").getAsInt(), slugify.get("endLine").getAsInt()),
                    List.of(copy.get("startLine").getAsInt(), copy.get("endLine").getAsInt()));
            assertEquals(hits.size(), hits.stream().map(h -> h.get("text").getAsString()).distinct().count(),
                    mode + ": no text twice among the hits: " + json.out());
        }
        CliTest.Result text = CliTest.run("search", "turn a title into a url slug", "--collection", "twins",
                "--index-dir", home.toString(), "-k", "3");
        assertEquals(0, text.code(), text.err());
        assertTrue(text.out().matches("(?s).*    the same text in (mirror/)?text/slug\\.py:\\d+-\\d+\\n.*"), text.out());
    }
}
