package dev.indexer.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.indexer.chunk.Symbol;
import dev.indexer.chunk.syntax.SyntaxLanguage;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Hits landing on definitions ({@link Landing}), with definitions from the real Java grammar. */
class LandingTest {
    private static final Landing LANDING = Landing.SHIPPED;

    /**
     * Codec.java: a class with a field block, three one-line methods packed together (lines 6-8),
     * a longer method (10-19), an unrelated method far below (21-23), and one of 100 lines (25-126).
     */
    private static List<String> codec() {
        List<String> lines = new ArrayList<>(List.of(
                "package demo;",
                "",
                "public class Codec {",
                "    private int count;",
                "    private String name;",
                "    int encodeLength(byte[] b) { return b.length * 2; }",
                "    int decodeLength(byte[] b) { return b.length / 2; }",
                "    void reset() { count = 0; }",
                "",
                "    byte[] decodeBase64(String text) {",
                "        byte[] out = new byte[text.length()];",
                "        int at = 0;",
                "        for (char c : text.toCharArray()) {",
                "            if (c != '=') {",
                "                out[at++] = (byte) c;",
                "            }",
                "        }",
                "        return out;",
                "    }",
                "",
                "    String checksumOfFile(String path) {",
                "        return path + count;",
                "    }",
                "",
                "    void longOne() {"));
        for (int i = 0; i < 100; i++) {
            lines.add("        count += " + i + ";");
        }
        lines.add("    }");
        lines.add("}");
        return lines;
    }

    private static final Landing.Definitions DEFINITIONS = (repo, path) -> path.equals("Codec.java")
            ? Optional.of(new Landing.FileDefinitions(SyntaxLanguage.of("java").orElseThrow().symbols(codec()), codec()))
            : Optional.empty();

    private static SearchHit chunk(String id, String path, int start, int end, float score) {
        List<String> lines = path.equals("Codec.java") ? codec() : List.of("a", "b", "c", "d", "e");
        String text = String.join("\n", lines.subList(start - 1, Math.min(end, lines.size())));
        return new SearchHit(id, path, start, end, "java", text, score, "", "", "", "");
    }

    @Test
    void aChunkInsideOneDefinitionIsShownAsThatDefinition() {
        // Lines 12-15 are a piece of decodeBase64 (10-19): the hit becomes the whole method.
        List<SearchHit> ranked = List.of(chunk("c1", "Codec.java", 12, 15, 0.9f), chunk("o1", "Other.java", 1, 3, 0.8f));
        List<SearchHit> hits = LANDING.land("convert text to bytes", ranked, 2, DEFINITIONS, true);
        SearchHit first = hits.get(0);
        assertEquals(List.of(10, 19, "decodeBase64", "method", "Codec"),
                List.of(first.startLine(), first.endLine(), first.symbol(), first.kind(), first.container()));
        assertTrue(first.text().startsWith("    byte[] decodeBase64(String text) {"), first.text());
        assertTrue(first.text().endsWith("        return out;\n    }"), first.text());
        assertEquals(0.9f, first.score());
        assertEquals(ranked.get(1), hits.get(1), "another file keeps its place and its hit");
    }

    @Test
    void aChunkOverSeveralDefinitionsKeepsItsLinesAndIsNamedByTheOneTheQueryNames() {
        List<SearchHit> ranked = List.of(chunk("c1", "Codec.java", 4, 8, 0.9f));
        SearchHit hit = LANDING.land("length of the decoded bytes", ranked, 1, DEFINITIONS, true).get(0);
        assertEquals(List.of(4, 8, "decodeLength", "method", "c1"),
                List.of(hit.startLine(), hit.endLine(), hit.symbol(), hit.kind(), hit.id()));
    }

    @Test
    void aDefinitionThatNoCandidateHoldsTakesAWeakerPlaceOfItsFile() {
        // The file holds places 1 and 3; the method the query names (checksumOfFile, 21-23) is in no
        // candidate. It takes the file's second place from the weak chunk of the field block.
        List<SearchHit> ranked = List.of(
                chunk("c1", "Codec.java", 10, 19, 0.9f),
                chunk("o1", "Other.java", 1, 3, 0.8f),
                chunk("c2", "Codec.java", 3, 5, 0.2f));
        List<SearchHit> hits = LANDING.land("checksum of a file", ranked, 3, DEFINITIONS, true);
        assertEquals("Other.java", hits.get(1).path(), "the other file keeps its place");
        List<String> codecHits = List.of(hits.get(0).symbol(), hits.get(2).symbol());
        assertTrue(codecHits.contains("checksumOfFile"), codecHits.toString());
        SearchHit found = hits.get(0).symbol().equals("checksumOfFile") ? hits.get(0) : hits.get(2);
        assertEquals(List.of(21, 23), List.of(found.startLine(), found.endLine()));
        assertTrue(found.id().startsWith(Landing.DEFINITION_ID), found.id());
        assertTrue(hits.get(0).score() >= hits.get(1).score() && hits.get(1).score() >= hits.get(2).score(),
                "scores stay in rank order");
    }

    @Test
    void aCandidateBelowTheCutLendsItsScoreToItsDefinition() {
        // Asked for 2 hits, both the file's. The 3rd candidate lies in checksumOfFile, which the
        // query names: with its score it goes first; by its text alone, second.
        SearchHit fields = chunk("c2", "Codec.java", 3, 5, 0.5f);
        List<SearchHit> ranked = List.of(chunk("c1", "Codec.java", 10, 19, 0.9f), fields,
                chunk("c3", "Codec.java", 21, 23, 0.45f), chunk("o1", "Other.java", 1, 3, 0.4f));
        assertEquals(List.of("checksumOfFile", "decodeBase64"), LANDING.land("checksum", ranked, 2, DEFINITIONS, true)
                .stream().map(SearchHit::symbol).toList());
        List<SearchHit> without = List.of(ranked.get(0), fields, ranked.get(3));
        assertEquals(List.of("decodeBase64", "checksumOfFile"), LANDING.land("checksum", without, 2, DEFINITIONS, true)
                .stream().map(SearchHit::symbol).toList());
    }

    @Test
    void aSearchInOneModeKeepsTheOrderOfItsCandidates() {
        // Re-scored, the chunk of checksumOfFile overtakes the field block; kept, it does not.
        SearchHit fields = chunk("c2", "Codec.java", 3, 5, 0.5f);
        List<SearchHit> ranked = List.of(chunk("c1", "Codec.java", 10, 19, 0.9f), fields,
                chunk("c3", "Codec.java", 21, 23, 0.45f));
        assertEquals(fields, LANDING.land("checksum", ranked, 2, DEFINITIONS, false).get(1));
        assertEquals(List.of("checksumOfFile", "decodeBase64"), LANDING.land("checksum", ranked, 2, DEFINITIONS, true)
                .stream().map(SearchHit::symbol).toList());
    }

    @Test
    void aLongDefinitionIsShownAsThePieceFoundNamedByIt() {
        List<SearchHit> ranked = List.of(chunk("c1", "Codec.java", 60, 70, 0.9f));
        SearchHit hit = LANDING.land("count", ranked, 1, DEFINITIONS, true).get(0);
        assertEquals(List.of(60, 70, "longOne"), List.of(hit.startLine(), hit.endLine(), hit.symbol()));
        assertEquals(Landing.DEFINITION_ID + "Codec.java:25:longOne", hit.id());
    }

    @Test
    void twoPiecesOfOneDefinitionLandOnItOnce() {
        List<SearchHit> ranked = List.of(
                chunk("c1", "Codec.java", 30, 40, 0.9f),
                chunk("c2", "Codec.java", 90, 100, 0.8f),
                chunk("c3", "Codec.java", 10, 19, 0.1f));
        List<SearchHit> hits = LANDING.land("count", ranked, 3, DEFINITIONS, true);
        // The second piece frees a place: reset and checksumOfFile, whose own text holds the query's
        // word, take the file's places ahead of decodeBase64's weak chunk.
        assertEquals(List.of("longOne", "reset", "checksumOfFile"), hits.stream().map(SearchHit::symbol).toList());
        assertEquals(3, hits.stream().map(SearchHit::id).distinct().count(), hits.toString());
    }

    @Test
    void aPlaceLeftOverGoesToTheNextCandidateOfAnotherFile() {
        // One.java's only definition is found twice (two pieces of it): it is shown once, and the
        // place left over goes to the next candidate of a file not landed on.
        List<String> lines = new ArrayList<>(List.of("class One {", "    void only() {"));
        for (int i = 0; i < 100; i++) {
            lines.add("        step(" + i + ");");
        }
        lines.add("    }");
        lines.add("}");
        Landing.Definitions one = (repo, path) -> path.equals("One.java") ? Optional.of(new Landing.FileDefinitions(
                SyntaxLanguage.of("java").orElseThrow().symbols(lines), lines)) : Optional.empty();
        List<SearchHit> ranked = List.of(
                new SearchHit("p1", "One.java", 10, 20, "java", "step", 0.9f, "", "", "", ""),
                new SearchHit("p2", "One.java", 60, 70, "java", "step", 0.8f, "", "", "", ""),
                chunk("o1", "Other.java", 1, 3, 0.5f),
                chunk("o2", "Third.java", 1, 2, 0.4f));
        List<SearchHit> hits = LANDING.land("step", ranked, 2, one, true);
        assertEquals(List.of("only", ""), hits.stream().map(SearchHit::symbol).toList());
        assertEquals(List.of("One.java", "Other.java"), hits.stream().map(SearchHit::path).toList());
    }

    @Test
    void filesBeyondTheCharacterBudgetKeepTheirHitsAsRanked() {
        // Two files of 600,000 characters each: the first lands, the second would pass 1 MB.
        List<String> big = new ArrayList<>(List.of("class Big {", "    void first() {", "    }"));
        while (big.size() < 10_000) {
            big.add("    // " + "x".repeat(55));
        }
        big.add("}");
        Landing.FileDefinitions parsed = new Landing.FileDefinitions(
                SyntaxLanguage.of("java").orElseThrow().symbols(big.subList(0, 3)), big);
        Landing.Definitions two = (repo, path) -> Optional.of(parsed);
        List<SearchHit> ranked = List.of(new SearchHit("a", "A.java", 2, 3, "java", "void first() {", 0.9f, "", "", "", ""),
                new SearchHit("b", "B.java", 2, 3, "java", "void first() { // B", 0.8f, "", "", "", ""));
        List<SearchHit> hits = LANDING.land("first", ranked, 2, two, true);
        assertTrue(hits.get(0).id().startsWith(Landing.DEFINITION_ID), hits.get(0).toString());
        assertEquals(ranked.get(1), hits.get(1), "over the budget: as ranked");
    }

    @Test
    void aHitWithTheTextOfABetterOneIsListedAsItsCopyAndItsPlaceGoesToTheNext() {
        // eachLimit.js and forEachLimit.js are the same file (async's aliases): one place, both named.
        SearchHit each = new SearchHit("e", "eachLimit.js", 46, 48, "javascript", "function eachLimit() {}", 0.9f,
                "", "", "", "");
        SearchHit other = new SearchHit("o", "map.js", 3, 9, "javascript", "function map() {}", 0.8f, "", "", "", "");
        SearchHit alias = new SearchHit("f", "forEachLimit.js", 46, 48, "javascript", "function eachLimit() {}", 0.7f,
                "", "", "", "");
        SearchHit next = new SearchHit("n", "reduce.js", 1, 5, "javascript", "function reduce() {}", 0.6f, "", "", "",
                "");
        List<SearchHit> hits = LANDING.land("each with a limit", List.of(each, other, alias, next), 3,
                Landing.Definitions.NONE, true);
        assertEquals(List.of("eachLimit.js", "map.js", "reduce.js"), hits.stream().map(SearchHit::path).toList());
        assertEquals(List.of(new SearchHit.Copy("f", "", "forEachLimit.js", 46, 48)), hits.get(0).copies());
        assertEquals(List.of(), hits.get(1).copies());
    }

    @Test
    void definitionsLandedInTwoIdenticalFilesAreOneHit() {
        Landing.Definitions both = (repo, path) -> Optional.of(new Landing.FileDefinitions(
                SyntaxLanguage.of("java").orElseThrow().symbols(codec()), codec()));
        SearchHit vendored = chunk("v1", "Codec.java", 12, 15, 0.8f);
        List<SearchHit> ranked = List.of(chunk("c1", "Codec.java", 12, 15, 0.9f),
                new SearchHit("v1", "vendor/Codec.java", 12, 15, "java", vendored.text(), 0.8f, "", "", "", ""),
                new SearchHit("o1", "Other.java", 1, 3, "java", "something else", 0.5f, "", "", "", ""));
        List<SearchHit> hits = LANDING.land("convert text to bytes", ranked, 2, both, true);
        assertEquals(List.of("Codec.java", "Other.java"), hits.stream().map(SearchHit::path).toList());
        assertEquals("decodeBase64", hits.get(0).symbol());
        // The copy of the chunk is named at its own lines: only they are known to be the same.
        assertEquals(List.of("vendor/Codec.java:12-15"), hits.get(0).copies().stream()
                .map(c -> c.path() + ":" + c.startLine() + "-" + c.endLine()).toList());
        // Known to be the same file (its content hash): named at the lines of the definition, once.
        Landing.Definitions twins = (repo, path) -> Optional.of(new Landing.FileDefinitions(
                SyntaxLanguage.of("java").orElseThrow().symbols(codec()), codec(),
                List.of(path.equals("Codec.java") ? "vendor/Codec.java" : "Codec.java")));
        hits = LANDING.land("convert text to bytes", ranked, 2, twins, true);
        assertEquals(List.of("Codec.java", "Other.java"), hits.stream().map(SearchHit::path).toList());
        assertEquals(List.of("vendor/Codec.java:10-19"), hits.get(0).copies().stream()
                .map(c -> c.path() + ":" + c.startLine() + "-" + c.endLine()).toList());
    }

    @Test
    void copiesTakeNoPlaceSoTheFileTheyCrowdedOutKeepsItsPlaces() {
        // Ten generated classes with one identical method rank 2-6 among the candidates; Codec.java
        // has candidates at 1 and 7. Counted with the copies, Codec.java would hold one of three
        // places; counted as a reader sees the list, it holds two, filled by its two best units.
        List<SearchHit> ranked = new ArrayList<>(List.of(chunk("c1", "Codec.java", 12, 15, 0.9f)));
        for (int i = 0; i < 5; i++) {
            ranked.add(new SearchHit("g" + i, "gen/G" + i + ".java", 3, 5, "java", "int weight() { return w; }",
                    0.8f - i * 0.01f, "", "", "", ""));
        }
        ranked.add(chunk("c2", "Codec.java", 21, 23, 0.5f));
        ranked.add(chunk("o1", "Other.java", 1, 3, 0.4f));
        List<SearchHit> hits = LANDING.land("decode base64 text or checksum a file", ranked, 3, DEFINITIONS, true);
        assertEquals(List.of("Codec.java", "gen/G0.java", "Codec.java"), hits.stream().map(SearchHit::path).toList());
        assertEquals(List.of("decodeBase64", "checksumOfFile"), List.of(hits.get(0).symbol(), hits.get(2).symbol()));
        assertEquals(List.of("gen/G1.java", "gen/G2.java", "gen/G3.java", "gen/G4.java"),
                hits.get(1).copies().stream().map(SearchHit.Copy::path).toList());
    }

    @Test
    void filesWithTheSameTextAreNamedByTheHitEvenWhenTheSearchFoundOnlyOne() {
        // The index knows anySeries.js and someSeries.js have the same content; only someSeries.js
        // was a candidate. Its hit, landed on a definition, names the other's same lines, and a hit of
        // a second twin that was a candidate too is named once, not twice.
        List<String> code = List.of("function someSeries(coll, test, cb) {", "    return run(coll, test, 1, cb);", "}",
                "", "function helper() {", "    return 1;", "}");
        Landing.Definitions twins = (repo, path) -> path.equals("someSeries.js") ? Optional.of(new Landing.FileDefinitions(
                SyntaxLanguage.of("javascript").orElseThrow().symbols(code), code, List.of("anySeries.js", "vendor/some.js")))
                : Optional.empty();
        List<SearchHit> ranked = List.of(
                new SearchHit("s1", "someSeries.js", 1, 2, "javascript", code.get(0) + "\n" + code.get(1), 0.9f, "", "",
                        "", ""),
                new SearchHit("o1", "map.js", 1, 3, "javascript", "function map() {}", 0.5f, "", "", "", ""),
                new SearchHit("v1", "vendor/some.js", 1, 3, "javascript", String.join("\n", code.subList(0, 3)), 0.4f,
                        "", "", "", ""));
        List<SearchHit> hits = LANDING.land("the same as some but one at a time", ranked, 2, twins, true);
        assertEquals(List.of("someSeries.js", "map.js"), hits.stream().map(SearchHit::path).toList());
        SearchHit first = hits.get(0);
        assertEquals(List.of(1, 3, "someSeries"), List.of(first.startLine(), first.endLine(), first.symbol()));
        assertEquals(List.of("anySeries.js:1-3", "vendor/some.js:1-3"), first.copies().stream()
                .map(c -> c.path() + ":" + c.startLine() + "-" + c.endLine()).toList());
        assertEquals(List.of(Landing.DEFINITION_ID + "anySeries.js:1:someSeries",
                Landing.DEFINITION_ID + "vendor/some.js:1:someSeries"),
                first.copies().stream().map(SearchHit.Copy::id).toList(), "the ids their own hits would have");
        assertEquals(first.id().replace("someSeries.js", "anySeries.js"), first.copies().get(0).id());
        assertEquals("the same text in anySeries.js:1-3, vendor/some.js:1-3", first.copiesLine(false));
        assertEquals(List.of(), hits.get(1).copies());
    }

    @Test
    void withoutDefinitionsTheHitsAreTheRanking() {
        List<SearchHit> ranked = List.of(chunk("c1", "Codec.java", 4, 8, 0.9f), chunk("o1", "Other.java", 1, 3, 0.8f),
                chunk("c2", "Codec.java", 12, 15, 0.7f));
        assertEquals(ranked.subList(0, 2), LANDING.land("decode", ranked, 2, Landing.Definitions.NONE, true));
        assertEquals(List.of(), LANDING.land("decode", List.of(), 10, DEFINITIONS, true));
        Landing.Definitions broken = (repo, path) -> {
            throw new IllegalStateException("the navigation index cannot be read");
        };
        assertEquals(ranked.subList(0, 2), LANDING.land("decode", ranked, 2, broken, true),
                "a navigation index that cannot be read leaves the hits as ranked");
    }

    @Test
    void leavesAreTheCallablesThatHoldNoOther() {
        List<Symbol> symbols = List.of(
                symbol("outer", "function", 1, 10),
                symbol("inner", "function", 2, 4),
                symbol("deeper", "function", 5, 9),
                symbol("deepest", "function", 6, 7),
                symbol("Shape", "class", 12, 20),
                symbol("area", "method", 13, 14),
                symbol("same", "method", 16, 17),
                symbol("sameTwin", "method", 16, 17),
                symbol("LIMIT", "constant", 19, 19));
        assertEquals(List.of("inner", "deepest", "area", "same", "sameTwin"),
                Landing.leaves(symbols).stream().map(Symbol::name).toList());
        // Python's functions hold no definitions the parser keeps: each is a leaf.
        List<String> python = List.of("def outer():", "    def inner():", "        return 1", "    return inner", "",
                "class Shape:", "    def area(self):", "        return 0");
        assertEquals(List.of("outer", "area"), Landing.leaves(SyntaxLanguage.of("python").orElseThrow().symbols(python))
                .stream().map(Symbol::name).toList());
    }

    private static Symbol symbol(String name, String kind, int start, int end) {
        return new Symbol(name, kind, name, List.of(), start, end, name);
    }
}
